"""The one SSRF-safe HTTP fetcher every outbound request goes through.

Badge URLs, did:web documents and status lists are chosen by whoever hands us a credential,
so a fetch must never become a way to reach the deployment's own network. The fetcher
resolves the host once, refuses non-public addresses, then connects to exactly the address it
checked (so a second DNS answer cannot swap in 127.0.0.1), follows redirects itself with the
same checks on every hop, and stops reading at a byte cap and a deadline.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from app.openbadges.fetching import FetchError, FetchResponse

_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_CHUNK = 65536

# Ranges Python does not flag as non-global on every version, or that embed another address.
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_METADATA = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_refusal(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be contacted from a public verifier, or None when it is public."""
    if ip in _METADATA:
        return "a cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return address_refusal(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            return address_refusal(ip.sixtofour)
        if ip.teredo is not None:
            return "a Teredo tunnel address"
        if ip in _NAT64:
            return address_refusal(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    checks = (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private network address"),
        ("is_reserved", "a reserved address"),
    )
    for attribute, reason in checks:
        if getattr(ip, attribute):
            return reason
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "a carrier-grade NAT address"
    if not ip.is_global:
        return "not a public address"
    return None


@functools.cache
def _default_tls_context() -> ssl.SSLContext:
    """The system's trust store, loaded once (it costs tens of milliseconds)."""
    return ssl.create_default_context()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address chosen in advance; Host still names the site."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a pre-checked address, with SNI and certificate checks against the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float, context: ssl.SSLContext):
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._tls = context

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


class SafeFetcher:
    """Fetches http(s) URLs for the verifier; implements :class:`app.openbadges.fetching.Fetcher`.

    ``allow_private_networks=True`` (tests, intranet deployments) lifts the address checks;
    everything else (schemes, redirects, byte cap, timeouts, TLS verification) still applies.
    """

    def __init__(
        self,
        allow_private_networks: bool = False,
        timeout: float = 5.0,
        max_bytes: int = 2_000_000,
        max_redirects: int = 3,
        user_agent: str = "Credwork-Verifier",
        *,
        ssl_context: ssl.SSLContext | None = None,
    ):
        self.allow_private_networks = allow_private_networks
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        # Certificates and host names are always verified; tests may pass a context that
        # trusts their own CA, never one that turns verification off.
        self.ssl_context = ssl_context

    def get(self, url: str, *, accept: str | None = None) -> FetchResponse:
        """GET ``url``, following up to ``max_redirects`` redirects, each hop re-checked.

        Returns the final response whatever its HTTP status; raises FetchError when the URL or
        any address is refused, on a redirect loop, timeout, oversized body or network error.
        """
        deadline = time.monotonic() + self.timeout
        seen: set[str] = set()
        current = url
        for _hop in range(self.max_redirects + 1):
            if current in seen:
                raise FetchError(f"redirect loop at {current}")
            seen.add(current)
            response, location = self._get_once(current, accept, deadline)
            if location is None:
                return response
            try:
                current = urljoin(current, location)
            except ValueError:
                raise FetchError(f"malformed redirect location {location[:200]!r}") from None
        raise FetchError(f"too many redirects (more than {self.max_redirects}) from {url}")

    def _resolve(self, host: str, port: int) -> list[str]:
        """All addresses the host name resolves to (a hook tests may replace)."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError) as exc:
            raise FetchError(f"cannot resolve host {host!r}: {exc}") from None
        return list(dict.fromkeys(str(info[4][0]) for info in infos))

    def _refusal(self, ip: IPAddress) -> str | None:
        """Why the policy refuses ``ip`` (None when it may be contacted)."""
        if self.allow_private_networks:
            return None
        return address_refusal(ip)

    def _checked_address(self, host: str, port: int) -> str:
        addresses = self._resolve(host, port)
        if not addresses:
            raise FetchError(f"host {host!r} has no address")
        # Refuse when any answer is bad: picking a "good" one would let a hostile DNS
        # server mix private answers in and hope another resolver picks them.
        for text in addresses:
            ip = ipaddress.ip_address(text.split("%", 1)[0])
            reason = self._refusal(ip)
            if reason:
                raise FetchError(f"refused to fetch from {host}: {ip} is {reason}")
        return addresses[0]

    def _get_once(self, url: str, accept: str | None, deadline: float) -> tuple[FetchResponse, str | None]:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise FetchError(f"malformed URL {url!r}: {exc}") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"only http and https URLs can be fetched, not {scheme or 'no scheme'!r}")
        host = parts.hostname
        if not host:
            raise FetchError(f"URL has no host: {url!r}")
        if parts.username is not None or parts.password is not None:
            raise FetchError("URLs with credentials in them are not fetched")
        port = port or (443 if scheme == "https" else 80)
        address = self._checked_address(host, port)

        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"timed out fetching {url}")
        connection: http.client.HTTPConnection
        if scheme == "https":
            context = self.ssl_context or _default_tls_context()
            connection = _PinnedHTTPSConnection(host, port, address, remaining, context)
        else:
            connection = _PinnedHTTPConnection(host, port, address, remaining)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "identity"}
        if accept:
            headers["Accept"] = accept
        try:
            connection.request("GET", target, headers=headers)
            raw = connection.getresponse()
            response_headers = {k.lower(): v for k, v in raw.getheaders()}
            if raw.status in _REDIRECT_STATUSES and response_headers.get("location"):
                return FetchResponse(url, raw.status, b"", response_headers), response_headers["location"]
            body = self._read_capped(raw, connection.sock, response_headers, url, deadline)
        except FetchError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if isinstance(exc, TimeoutError | socket.timeout):
                raise FetchError(f"timed out fetching {url}") from None
            raise FetchError(f"could not fetch {url}: {exc.__class__.__name__}: {exc}") from None
        finally:
            connection.close()
        return FetchResponse(url, raw.status, body, response_headers), None

    def _read_capped(
        self,
        raw: http.client.HTTPResponse,
        sock: socket.socket | None,
        headers: dict[str, str],
        url: str,
        deadline: float,
    ) -> bytes:
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"response from {url} is too large ({declared} bytes; limit {self.max_bytes})")
        chunks: list[bytes] = []
        total = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(f"timed out fetching {url}")
            if sock is not None:
                sock.settimeout(remaining)
            # read1 returns what has arrived, so a server dripping bytes hits the deadline
            chunk = raw.read1(_CHUNK)
            if not chunk:
                return b"".join(chunks)
            total += len(chunk)
            if total > self.max_bytes:
                raise FetchError(f"response from {url} is too large (over {self.max_bytes} bytes)")
            chunks.append(chunk)
