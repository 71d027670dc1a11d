"""The HTTP transport single sign-on talks to identity providers through.

An organisation admin types the issuer URL, so discovery, token and JWKS calls are requests
to an address a tenant chose. Like the verifier's fetcher (app.security.fetcher), the
transport refuses plain http and non-public addresses unless SSO_ALLOW_PRIVATE_NETWORKS is
set, and it connects to exactly the address it checked, so a second DNS answer cannot swap
in an internal host between the check and the connection. Authlib's requests-based OAuth2
session is kept; only its connection pool is replaced.
"""

from __future__ import annotations

import functools
import ipaddress
import socket

import requests
from authlib.integrations.requests_client import OAuth2Session
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError
from urllib3.util import connection as urllib3_connection

from app.security.fetcher import address_refusal

TIMEOUT_SECONDS = 10
MAX_REDIRECTS = 3


class TransportRefused(requests.exceptions.ConnectionError):
    """The identity provider's URL or address is not one we may contact."""


def _public_socket(conn) -> socket.socket:
    """Resolve once, refuse if any answer is non-public, connect to the checked address."""
    try:
        infos = socket.getaddrinfo(conn._dns_host, conn.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise NewConnectionError(conn, f"cannot resolve {conn.host}: {exc}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise NewConnectionError(conn, f"{conn.host} has no address")
    for text in addresses:
        reason = address_refusal(ipaddress.ip_address(text.split("%", 1)[0]))
        if reason:
            raise NewConnectionError(conn, f"refused to contact {conn.host}: {text} is {reason}")
    return urllib3_connection.create_connection(
        (addresses[0], conn.port), conn.timeout, source_address=conn.source_address, socket_options=conn.socket_options
    )


class _PublicHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _public_socket(self)


class _PublicHTTPSConnection(HTTPSConnection):
    # TLS still verifies the certificate against the host name (self.host), not the address.
    def _new_conn(self) -> socket.socket:
        return _public_socket(self)


class _PublicHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """Sends only https (or http when private networks are allowed) to permitted addresses."""

    def __init__(self, allow_private_networks: bool):
        self.allow_private_networks = allow_private_networks
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        if not self.allow_private_networks:
            self.poolmanager.pool_classes_by_scheme = {"http": _PublicHTTPPool, "https": _PublicHTTPSPool}

    def send(self, request, **kwargs):
        scheme = request.url.split(":", 1)[0].lower()
        if scheme != "https" and not (scheme == "http" and self.allow_private_networks):
            raise TransportRefused(f"identity provider URLs must use https, not {scheme}", request=request)
        try:
            return super().send(request, **kwargs)
        except requests.exceptions.ConnectionError as exc:
            if "refused to contact" in str(exc):
                raise TransportRefused(str(exc), request=request) from None
            raise


@functools.cache
def session_class(allow_private_networks: bool) -> type[OAuth2Session]:
    """An Authlib OAuth2Session subclass whose every request goes through GuardedAdapter."""

    class GuardedOAuth2Session(OAuth2Session):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("default_timeout", TIMEOUT_SECONDS)
            super().__init__(*args, **kwargs)
            self.trust_env = False  # an environment proxy would bypass the address checks
            self.max_redirects = MAX_REDIRECTS
            adapter = GuardedAdapter(allow_private_networks)
            self.mount("http://", adapter)
            self.mount("https://", adapter)

    return GuardedOAuth2Session
