"""Canonical forms that proofs sign: RDFC-1.0 (URDNA2015) N-Quads and RFC 8785 JCS.

RDF canonicalisation runs in a *safe mode*: JSON-LD silently drops properties and types
that the contexts do not define, and a signature over what is left would "verify" a
document whose extra claims were never signed. Any such loss raises
:class:`UndefinedTerm` instead, as jsonld.js's ``safe: true`` does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import jcs
from pyld import jsonld
from pyld.canon import URDNA2015

from .documents import ContextNotBundled, document_loader

MAX_OBJECTS = 1000
MAX_DEEP_ITERATIONS = 500
_PYLD_LOCK = threading.Lock()


class CanonicalizationError(Exception):
    """The document cannot be put in canonical form (bad JSON-LD, unknown context...)."""


class UndefinedTerm(CanonicalizationError):
    """A property, type or identifier would be dropped because no context defines it."""


def _options() -> dict[str, Any]:
    return {"documentLoader": document_loader, "base": None, "processingMode": "json-ld-1.1"}


def _is_absolute(iri: str) -> bool:
    return iri.startswith("_:") or (":" in iri and not iri.startswith(":"))


def _raise_dropped(term: str | None) -> None:
    raise UndefinedTerm(f"term {term!r} is not defined by the document's contexts")


def _check_expanded(node: Any) -> None:
    """Refuse relative @type/@id values: RDF conversion would drop them without a word."""
    if isinstance(node, list):
        for item in node:
            _check_expanded(item)
        return
    if not isinstance(node, dict):
        return
    if "@value" in node:
        return
    for value in node.get("@type", []) if isinstance(node.get("@type"), list) else []:
        if isinstance(value, str) and not _is_absolute(value):
            raise UndefinedTerm(f"type {value!r} is not defined by the document's contexts")
    node_id = node.get("@id")
    if isinstance(node_id, str) and not _is_absolute(node_id):
        raise UndefinedTerm(f"identifier {node_id!r} is not an absolute IRI")
    for key, value in node.items():
        if key not in ("@type", "@id", "@context"):
            _check_expanded(value)


def _unwrap(error: BaseException) -> BaseException:
    """PyLD wraps loader errors several levels deep; surface the one a person can act on."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, (ContextNotBundled, UndefinedTerm)):
            return seen
        seen = seen.__cause__ or getattr(seen, "cause", None) or seen.__context__
    return error


class _SafeProcessor(jsonld.JsonLdProcessor):  # type: ignore[misc]  # PyLD is untyped
    """A PyLD processor that refuses to lose data: dropped properties raise (via the
    hook PyLD offers) and relative @type/@id values are checked after expansion.
    Overriding ``expand`` covers normalisation too, which expands internally, so a
    document is expanded once per canonicalisation."""

    def __init__(self) -> None:
        super().__init__(on_property_dropped=_raise_dropped)

    def expand(self, input_: Any, options: dict[str, Any]) -> Any:
        expanded = super().expand(input_, options)
        _check_expanded(expanded)
        return expanded


def _count_objects(node: Any, limit: int) -> int:
    count, stack = 0, [node]
    while stack and count <= limit:
        item = stack.pop()
        if isinstance(item, dict):
            count += 1
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _run(
    operation: Callable[[dict[str, Any], dict[str, Any]], Any], document: dict[str, Any], options: dict[str, Any]
) -> Any:
    # RDF canonicalisation can be driven into exponential work by crafted graphs of
    # blank nodes; real credentials have a few dozen objects, so refuse huge ones.
    if _count_objects(document, MAX_OBJECTS) > MAX_OBJECTS:
        raise CanonicalizationError(f"the document has more than {MAX_OBJECTS} objects; refusing to canonicalise")
    try:
        with _PYLD_LOCK:  # PyLD's shared context caches are not thread-safe
            return operation(document, {**_options(), **options})
    except (jsonld.JsonLdError, ContextNotBundled, UndefinedTerm) as exc:
        cause = _unwrap(exc)
        if cause is exc and isinstance(exc, jsonld.JsonLdError):
            raise CanonicalizationError(f"invalid JSON-LD: {exc}") from exc
        raise cause from None
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise CanonicalizationError(f"invalid JSON-LD: {exc}") from exc


def expand_safely(document: dict[str, Any]) -> list[Any]:
    """Expand ``document`` with bundled contexts only, failing on any undefined term."""
    expanded: list[Any] = _run(_SafeProcessor().expand, document, {})
    return expanded


class _BoundedURDNA2015(URDNA2015):  # type: ignore[misc]  # PyLD is untyped
    """URDNA2015 with a work budget: crafted graphs of look-alike blank nodes make the
    n-degree hashing step explode (the "poison graph" attack); honest credentials need
    a handful of such steps at most."""

    def __init__(self, budget: int) -> None:
        super().__init__()
        self._budget = budget

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self._budget -= 1
        if self._budget < 0:
            raise CanonicalizationError("the document is too complex to canonicalise (possible poison graph)")
        return super().hash_n_degree_quads(id_, issuer)


def _canonical_nquads(document: dict[str, Any], options: dict[str, Any]) -> str:
    dataset = _SafeProcessor().to_rdf(document, {**options, "produceGeneralizedRdf": False})
    return str(_BoundedURDNA2015(MAX_DEEP_ITERATIONS).main(dataset, {"format": "application/n-quads"}))


def rdfc(document: dict[str, Any]) -> str:
    """RDFC-1.0 / URDNA2015 canonical N-Quads of a JSON-LD document (safe mode)."""
    return str(_run(_canonical_nquads, document, {}))


def jcs_bytes(value: Any) -> bytes:
    """RFC 8785 JSON Canonicalization Scheme serialisation of ``value``."""
    try:
        return bytes(jcs.canonicalize(value))
    except (TypeError, ValueError) as exc:
        raise CanonicalizationError(f"cannot canonicalise as JCS: {exc}") from exc
