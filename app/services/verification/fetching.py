"""The fetcher the verifier uses: this deployment's own public URLs are answered in-process,
everything else goes out through the SSRF-safe :class:`SafeFetcher`.

Credentials Credwork issues point back at Credwork (did:web documents, status lists, hosted
credentials). Fetching those over the network would mean the server calling itself: refused
on loopback or intranet deployments, and needless anywhere. They are public pages, so they
are served here exactly as an anonymous visitor would get them: the inner request starts with
an empty `g`, so nothing of the person verifying (their sign-in, their organisation) leaks in.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, g, has_app_context
from werkzeug.test import Client

from app.openbadges.fetching import FetchError, FetchResponse
from app.security.fetcher import SafeFetcher


class HubFetcher:
    """Implements :class:`app.openbadges.fetching.Fetcher` for the verifier."""

    def __init__(self, app, outbound: SafeFetcher):
        self.app = app
        self.outbound = outbound
        self.own_host = (urlsplit(app.config.get("PUBLIC_BASE_URL") or "").netloc or "").lower()

    def is_own(self, url: str) -> bool:
        """Whether ``url`` names this deployment (same host and port, http or https)."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        return (
            bool(self.own_host)
            and parts.scheme in ("http", "https")
            and parts.netloc.lower() == self.own_host
            and parts.username is None
        )

    def get(self, url: str, *, accept: str | None = None) -> FetchResponse:
        if not self.is_own(url):
            return self.outbound.get(url, accept=accept)
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if has_app_context() and current_app._get_current_object() is self.app:  # type: ignore[attr-defined]  # LocalProxy's own method
            # Same database session (so a list changed earlier in this transaction reads as
            # changed), but an empty `g`: the inner request is an anonymous visitor.
            saved = dict(g.__dict__)
            g.__dict__.clear()
            try:
                status, body, headers = self._dispatch(path, parts, accept)
            finally:
                g.__dict__.clear()
                g.__dict__.update(saved)
        else:
            with self.app.app_context():
                status, body, headers = self._dispatch(path, parts, accept)
        if len(body) > self.outbound.max_bytes:
            raise FetchError(f"response from {url} is too large (over {self.outbound.max_bytes} bytes)")
        return FetchResponse(url, status, body, headers)

    def _dispatch(self, path: str, parts, accept: str | None) -> tuple[int, bytes, dict[str, str]]:
        response = Client(self.app).get(
            path, headers={"Accept": accept or "*/*"}, base_url=f"{parts.scheme}://{parts.netloc}"
        )
        try:
            return response.status_code, response.get_data(), {k.lower(): v for k, v in response.headers.items()}
        finally:
            response.close()


def verifier_fetcher() -> HubFetcher:
    """The verifier's fetcher: in-process for this site, SafeFetcher (private networks only
    when VERIFIER_ALLOW_PRIVATE_NETWORKS is set) for everything else."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # LocalProxy's own method
    outbound = SafeFetcher(allow_private_networks=bool(app.config.get("VERIFIER_ALLOW_PRIVATE_NETWORKS")))
    return HubFetcher(app, outbound)
