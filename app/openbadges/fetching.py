"""The fetcher interface the engine uses for every outbound request.

The engine never opens a socket itself: callers pass an object with this shape. The
application passes :class:`app.security.fetcher.SafeFetcher` (SSRF-safe); tests pass a
fetcher pointed at a local server or a table of URL -> file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class FetchError(Exception):
    """The resource could not be fetched (refused address, timeout, too large, bad status...)."""


@dataclass
class FetchResponse:
    url: str
    status: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class Fetcher(Protocol):
    def get(self, url: str, *, accept: str | None = None) -> FetchResponse:
        """GET url; returns the response for any HTTP status (callers decide what 404/410 mean);
        raises FetchError when nothing usable came back."""
        ...
