"""Reading a domain's DNS TXT records, to prove an organisation controls an email domain.

Everything goes through one small interface, `TxtResolver`, so tests (and deployments with
their own resolver) swap it: set `app.config["DNS_TXT_RESOLVER"]` to an object with a
`txt_records(name)` method. The default asks the system's resolver through dnspython, with
a timeout so a slow DNS server cannot hold a request.
"""

from __future__ import annotations

from typing import Protocol

from flask import current_app


class DnsLookupFailed(Exception):
    """The DNS could not be asked (timeout, server failure); says nothing about the records."""


class TxtResolver(Protocol):
    def txt_records(self, name: str) -> list[str]:
        """The TXT record strings at `name` (an empty list when it has none or does not exist);
        DnsLookupFailed when the answer could not be had."""
        ...


class DnsPythonResolver:
    """The system's resolver, through dnspython."""

    def __init__(self, timeout: float = 5.0):
        self.timeout = timeout

    def txt_records(self, name: str) -> list[str]:
        import dns.exception
        import dns.resolver

        try:
            answer = dns.resolver.resolve(name, "TXT", lifetime=self.timeout, search=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except dns.exception.DNSException as exc:  # timeout, no nameservers, SERVFAIL
            raise DnsLookupFailed(f"{type(exc).__name__}: {exc}") from exc
        # A TXT record is one or more character strings, joined as one value.
        return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]


def resolver() -> TxtResolver:
    """The configured resolver, or dnspython with the configured timeout."""
    configured = current_app.config.get("DNS_TXT_RESOLVER")
    if configured is not None:
        return configured
    return DnsPythonResolver(timeout=float(current_app.config.get("DNS_TIMEOUT_SECONDS", 5)))
