"""Offline JSON-LD document loading over the contexts bundled in ``contexts/``.

A verifier never fetches a context: a context URL that is not bundled makes the
operation fail closed with :class:`ContextNotBundled`. The manifest records where each
file came from and its sha256, and the loader refuses a file whose hash has drifted.
"""

from __future__ import annotations

import copy
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

CONTEXTS_DIR = Path(__file__).with_name("contexts")

# Constants for the contexts the issuer writes.
CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"


class ContextNotBundled(Exception):
    """A JSON-LD document refers to a context this verifier does not carry."""

    def __init__(self, url: str):
        super().__init__(f"context {url} is not bundled; cannot verify offline")
        self.url = url


@lru_cache(maxsize=1)
def manifest() -> dict[str, dict[str, str]]:
    """The bundled-context manifest keyed by context URL (url, file, source, licence, sha256)."""
    data = json.loads((CONTEXTS_DIR / "manifest.json").read_text(encoding="utf-8"))
    return {entry["url"]: entry for entry in data["contexts"]}


def bundled_urls() -> list[str]:
    """Every context URL this engine can process offline."""
    return sorted(manifest())


@lru_cache(maxsize=64)
def _bundled_document(url: str) -> dict[str, Any]:
    entry = manifest()[url]
    raw = (CONTEXTS_DIR / entry["file"]).read_bytes()
    if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
        # A context that changed under us would silently change what signatures mean.
        raise ContextNotBundled(url + " (bundled file does not match its manifest hash)")
    loaded: dict[str, Any] = json.loads(raw)
    return loaded


def load_context(url: str) -> dict[str, Any]:
    """Return the parsed bundled context document for ``url`` or raise ContextNotBundled."""
    if url not in manifest():
        raise ContextNotBundled(url)
    return _bundled_document(url)


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A PyLD document loader that only ever serves bundled contexts."""
    return {
        "contextUrl": None,
        "documentUrl": url,
        # PyLD may rewrite a context in place while resolving it: hand out a copy.
        "document": copy.deepcopy(load_context(url)),
        # PyLD keeps a resolved remote context across operations only when the loader
        # tags it; bundled contexts never change, so "static" lets it skip re-resolving
        # (and re-canonicalising) every context on every proof.
        "tag": "static",
    }


def context_urls(document: dict[str, Any]) -> list[str]:
    """The string entries of a document's top-level ``@context`` (in order)."""
    ctx = document.get("@context", [])
    if isinstance(ctx, (str, dict)):
        ctx = [ctx]
    return [c for c in ctx if isinstance(c, str)] if isinstance(ctx, list) else []


def missing_contexts(document: dict[str, Any]) -> list[str]:
    """Context URLs named at the top of ``document`` that are not bundled."""
    return [u for u in context_urls(document) if u not in manifest()]
