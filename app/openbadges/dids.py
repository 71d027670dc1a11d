"""Resolving verification methods (did:key, did:jwk, did:web, HTTPS) and building DID documents.

Network access happens only through the :class:`~app.openbadges.fetching.Fetcher` the
caller passes in. A verification method is accepted for a proof purpose only when its
controller document lists it under that purpose (``assertionMethod`` for credentials).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urldefrag

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .fetching import Fetcher, FetchError
from .keys import (
    KeyFormatError,
    PublicKey,
    b64url_decode,
    b64url_encode,
    ed25519_from_multibase,
    ed25519_public_multibase,
    public_jwk,
    public_key_from_jwk,
)

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
_RELATIONSHIPS = ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation", "keyAgreement")
_MAX_DOCUMENT = 256 * 1024


class KeyResolutionError(Exception):
    """The verification method or its controller document could not be resolved."""


@dataclass
class VerificationMethod:
    """A resolved public key with who controls it and what it may be used for."""

    id: str
    controller: str
    public_key: PublicKey
    type: str = "Multikey"
    purposes: set[str] = field(default_factory=set)


def did_key_for(public_key: Ed25519PublicKey) -> str:
    """The did:key identifier of an Ed25519 public key."""
    return "did:key:" + ed25519_public_multibase(public_key)


def did_key_verification_method(public_key: Ed25519PublicKey) -> str:
    """The verification method id of a did:key (``did:key:z6Mk...#z6Mk...``)."""
    multibase = ed25519_public_multibase(public_key)
    return f"did:key:{multibase}#{multibase}"


def did_web_for(host: str, path: str | None = None) -> str:
    """``did:web`` for a host (``example.org`` or ``example.org:8443``) and optional path."""
    did = "did:web:" + quote(host, safe="")
    if path:
        did += "".join(":" + quote(seg, safe="") for seg in path.strip("/").split("/") if seg)
    return did


def did_web_url(did: str) -> str:
    """The HTTPS URL of a did:web DID document (did.json; .well-known for a bare host)."""
    parts = did.split(":")
    if len(parts) < 3 or parts[:2] != ["did", "web"] or not parts[2]:
        raise KeyResolutionError(f"not a did:web identifier: {did}")
    host = unquote(parts[2])
    if "/" in host or "@" in host:
        raise KeyResolutionError(f"invalid did:web host in {did}")
    path = "/".join(unquote(p) for p in parts[3:])
    if not path:
        return f"https://{host}/.well-known/did.json"
    return f"https://{host}/{path}/did.json"


def _vm_object(did: str, fragment: str, key: PublicKey) -> dict[str, Any]:
    vm: dict[str, Any] = {"id": f"{did}#{fragment}", "type": "Multikey", "controller": did}
    if isinstance(key, Ed25519PublicKey):
        vm["publicKeyMultibase"] = ed25519_public_multibase(key)
    else:
        vm["type"] = "JsonWebKey"
        vm["publicKeyJwk"] = public_jwk(key)
    return vm


def build_did_document(
    did: str, keys: list[tuple[str, PublicKey]], *, also_known_as: list[str] | None = None
) -> dict[str, Any]:
    """A DID document for an issuer: every key (``(fragment, public_key)``) is listed
    for assertionMethod, so credentials signed with a rotated-out key still verify.
    Order the current key first."""
    methods = [_vm_object(did, fragment, key) for fragment, key in keys]
    doc: dict[str, Any] = {
        "@context": list(DID_CONTEXTS),
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
        "authentication": [m["id"] for m in methods],
    }
    if also_known_as:
        doc["alsoKnownAs"] = list(also_known_as)
    return doc


def did_key_document(did: str) -> dict[str, Any]:
    """The DID document a did:key (Ed25519, ``z6Mk...``) expands to."""
    multibase = did.split(":", 2)[2].split("#")[0] if did.count(":") >= 2 else ""
    try:
        key = ed25519_from_multibase(multibase)
    except KeyFormatError as exc:
        raise KeyResolutionError(f"unsupported did:key {did}: {exc}") from exc
    return build_did_document(f"did:key:{multibase}", [(multibase, key)])


def did_jwk_document(did: str) -> dict[str, Any]:
    """The DID document of a did:jwk (its one method is ``#0``)."""
    encoded = did.split(":", 2)[2].split("#")[0] if did.count(":") >= 2 else ""
    try:
        jwk = json.loads(b64url_decode(encoded))
        key = public_key_from_jwk(jwk)
    except (KeyFormatError, ValueError, UnicodeDecodeError) as exc:
        raise KeyResolutionError(f"invalid did:jwk {did[:60]}: {exc}") from exc
    if any(k in jwk for k in ("d", "p", "q", "dp", "dq", "qi")):
        raise KeyResolutionError("did:jwk must not contain private key members")
    return build_did_document(f"did:jwk:{encoded}", [("0", key)])


def did_jwk_for(public_key: PublicKey) -> str:
    """The did:jwk identifier of a public key."""
    return "did:jwk:" + b64url_encode(json.dumps(public_jwk(public_key), separators=(",", ":")).encode())


def _fetch_json(url: str, fetcher: Fetcher, *, accept: str) -> dict[str, Any]:
    try:
        response = fetcher.get(url, accept=accept)
    except FetchError as exc:
        raise KeyResolutionError(f"could not fetch {url}: {exc}") from exc
    if response.status != 200:
        raise KeyResolutionError(f"could not fetch {url}: HTTP {response.status}")
    if len(response.content) > _MAX_DOCUMENT:
        raise KeyResolutionError(f"document at {url} is too large")
    try:
        doc = json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise KeyResolutionError(f"document at {url} is not JSON") from exc
    if not isinstance(doc, dict):
        raise KeyResolutionError(f"document at {url} is not a JSON object")
    return doc


def resolve_did(did: str, *, fetcher: Fetcher | None) -> dict[str, Any]:
    """Resolve a DID (without fragment) to its DID document."""
    if did.startswith("did:key:"):
        return did_key_document(did)
    if did.startswith("did:jwk:"):
        return did_jwk_document(did)
    if did.startswith("did:web:"):
        if fetcher is None:
            raise KeyResolutionError("resolving did:web needs network access")
        doc = _fetch_json(did_web_url(did), fetcher, accept="application/did+json, application/json")
        if doc.get("id") != did:
            raise KeyResolutionError(f"DID document id {doc.get('id')!r} does not match {did}")
        return doc
    raise KeyResolutionError(f"unsupported DID method: {did.split(':')[:2]}")


def _absolute(ref: str, base: str) -> str:
    return base + ref if ref.startswith("#") else ref


def _methods_in(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every verification method object in a controller document, by absolute id."""
    base = str(doc.get("id", ""))
    found: dict[str, dict[str, Any]] = {}
    for key in ("verificationMethod", *_RELATIONSHIPS):
        entries = doc.get(key, [])
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                found.setdefault(_absolute(entry["id"], base), entry)
    return found


def _purposes(doc: dict[str, Any], vm_id: str) -> set[str]:
    base = str(doc.get("id", ""))
    purposes = set()
    for rel in _RELATIONSHIPS:
        entries = doc.get(rel, [])
        for entry in entries if isinstance(entries, list) else [entries]:
            ref = entry.get("id") if isinstance(entry, dict) else entry
            if isinstance(ref, str) and _absolute(ref, base) == vm_id:
                purposes.add(rel)
    return purposes


def public_key_of(method: dict[str, Any]) -> PublicKey:
    """The public key carried by a verification method object."""
    try:
        if "publicKeyMultibase" in method:
            return ed25519_from_multibase(method["publicKeyMultibase"])
        if "publicKeyJwk" in method:
            return public_key_from_jwk(method["publicKeyJwk"])
        if "publicKeyBase58" in method:
            return Ed25519PublicKey.from_public_bytes(base58.b58decode(method["publicKeyBase58"]))
    except (KeyFormatError, ValueError, TypeError) as exc:
        raise KeyResolutionError(f"unusable key in {method.get('id')}: {exc}") from exc
    raise KeyResolutionError(f"verification method {method.get('id')} carries no supported key")


def _from_override(vm_id: str, override: Any) -> VerificationMethod:
    if isinstance(override, dict):
        key = public_key_of(override)
        controller = override.get("controller") or urldefrag(vm_id)[0]
    else:
        key = ed25519_from_multibase(override) if isinstance(override, str) else override
        controller = urldefrag(vm_id)[0]
    return VerificationMethod(vm_id, controller, key, "override", {"assertionMethod"})


def _controller_document(controller: str, fetcher: Fetcher | None) -> dict[str, Any]:
    """The document that says what a method may be used for, when it is not the one
    the method came from (a key published on its own page, for example)."""
    if controller.startswith("did:"):
        return resolve_did(controller, fetcher=fetcher)
    if not controller.startswith("https://"):
        raise KeyResolutionError(f"unsupported controller {controller[:80]}")
    if fetcher is None:
        raise KeyResolutionError("resolving an HTTPS controller needs network access")
    return _fetch_json(controller, fetcher, accept="application/ld+json, application/json")


def resolve_verification_method(
    vm_id: str, *, fetcher: Fetcher | None, key_overrides: dict[str, Any] | None = None
) -> VerificationMethod:
    """Resolve a verification method id (DID URL or HTTPS URL) to its key and controller.

    ``key_overrides`` maps a method id to a public key, a Multikey string or a method
    object: the caller vouches for it (used for spec examples whose key URL is fictional).
    """
    if not isinstance(vm_id, str) or not vm_id:
        raise KeyResolutionError("proof has no verificationMethod")
    if key_overrides and vm_id in key_overrides:
        return _from_override(vm_id, key_overrides[vm_id])
    base_url, _fragment = urldefrag(vm_id)
    if vm_id.startswith("did:"):
        doc = resolve_did(base_url, fetcher=fetcher)
    elif vm_id.startswith("https://"):
        if fetcher is None:
            raise KeyResolutionError("resolving an HTTPS key needs network access")
        doc = _fetch_json(base_url, fetcher, accept="application/ld+json, application/json")
    else:
        raise KeyResolutionError(f"unsupported verification method URL: {vm_id[:80]}")
    method = _methods_in(doc).get(vm_id)
    if method is None and doc.get("id") == vm_id:
        method = doc  # the URL served the verification method itself
    if method is None:
        raise KeyResolutionError(f"{vm_id} is not listed in its controller document")
    controller = method.get("controller")
    if not isinstance(controller, str):
        raise KeyResolutionError(f"{vm_id} has no controller")
    controller_doc = doc if controller == doc.get("id") else _controller_document(controller, fetcher)
    return VerificationMethod(
        vm_id, controller, public_key_of(method), str(method.get("type", "")), _purposes(controller_doc, vm_id)
    )
