"""Shared helpers for the engine's conformance tests, plus the tests of the test fetcher itself.

The conformance data is read in place from <repo>/../shared/conformance; the test fetcher
maps the public URLs those files name (did:web documents, status lists) to local files,
so no test touches the network.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.openbadges.fetching import FetchError, FetchResponse

CONFORMANCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "conformance"
needs_conformance = pytest.mark.skipif(
    not CONFORMANCE.is_dir(), reason="../shared/conformance is absent (CI always has it)"
)
DCC = CONFORMANCE / "dcc-vc-test-fixtures"
EDDSA = CONFORMANCE / "w3c-vc-di-eddsa"
OB3 = CONFORMANCE / "1edtech-ob3"

_DCC_WEB = "https://digitalcredentials.github.io/vc-test-fixtures"
_STATUS_PREFIXES = (
    f"{_DCC_WEB}/statusLists/didkey-ed25519Signature2020/",
    "https://raw.githubusercontent.com/digitalcredentials/verifier-core/",
)


class TableFetcher:
    """A fetcher serving a URL -> local file table; any other URL is a fetch error.

    ``gone`` lists URLs answered with HTTP 410 (revoked hosted assertions)."""

    def __init__(self, table: dict[str, Path | bytes] | None = None, *, gone: set[str] | None = None):
        self.table = dict(table or {})
        self.gone = set(gone or ())
        self.requested: list[str] = []

    def get(self, url: str, *, accept: str | None = None) -> FetchResponse:
        self.requested.append(url)
        if url in self.gone:
            return FetchResponse(url, 410, b"", {"content-type": "text/plain"})
        body = self.table.get(url)
        if body is None:
            body = self._dcc_file(url)
        if body is None:
            raise FetchError(f"no route to {url} in the test table")
        content = body if isinstance(body, bytes) else Path(body).read_bytes()
        return FetchResponse(url, 200, content, {"content-type": "application/json"})

    @staticmethod
    def _dcc_file(url: str) -> Path | None:
        if url.startswith(f"{_DCC_WEB}/dids/") and url.endswith("/did.json"):
            path = DCC / url[len(_DCC_WEB) + 1 :]
            return path if path.is_file() else None
        for prefix in _STATUS_PREFIXES:
            if url.startswith(prefix):
                name = url.rstrip("/").rsplit("/", 1)[1]
                path = DCC / "statusLists" / "didkey-ed25519Signature2020" / name
                return path if path.is_file() else None
        return None


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def ob3_key_override() -> dict[str, str]:
    """The 1EdTech spec example's key: its verificationMethod URL is fictional."""
    key = load(OB3 / "ob3-spec-issuer-key.json")
    return {key["id"]: key["publicKeyMultibase"]}
