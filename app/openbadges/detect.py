"""Working out what a verifier was given: a JSON credential, a JWT, a baked image, a URL.

Nothing here verifies anything; it only classifies, so each format goes to the right
checks. Malformed input is classified as ``unknown`` with a plain-English reason,
never an exception.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import baking
from .keys import KeyFormatError, b64url_decode
from .vc_jwt import looks_like_jwt

MAX_INPUT_BYTES = 10 * 1024 * 1024
# Real credentials nest a dozen levels or so; anything far deeper is refused before any check
# walks it (recursive code would otherwise exhaust the stack).
MAX_DEPTH = 64


def too_deeply_nested(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether JSON-like `value` nests more than `limit` levels (checked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

VC_JSON = "vc-json"
VC_JWT = "vc-jwt"
OB2_JSON = "ob2-json"
OB2_JWS = "ob2-jws"
URL = "url"
UNKNOWN = "unknown"


@dataclass
class Detected:
    """``payload`` is a dict (JSON kinds) or str (JWT, JWS, URL); ``baked`` is png/svg when
    the input was an image and ``verify_url`` the hosted URL the image carried."""

    kind: str
    payload: Any = None
    baked: str | None = None
    verify_url: str | None = None
    error: str | None = None


def _types(obj: dict[str, Any]) -> list[str]:
    value = obj.get("type", obj.get("@type", []))
    return (
        [value]
        if isinstance(value, str)
        else [t for t in value if isinstance(t, str)]
        if isinstance(value, list)
        else []
    )


def classify_json(obj: Any) -> Detected:
    """Tell a Verifiable Credential from an Open Badges 2.0 (or older) assertion."""
    if not isinstance(obj, dict):
        return Detected(UNKNOWN, error="the JSON is not an object")
    types = _types(obj)
    if "credentialSubject" in obj or "VerifiableCredential" in types:
        return Detected(VC_JSON, obj)
    context = json.dumps(obj.get("@context", ""))
    if "openbadges" in context or "Assertion" in types or {"recipient", "badge"} & obj.keys():
        return Detected(OB2_JSON, obj)
    return Detected(UNKNOWN, error="the JSON is neither a Verifiable Credential nor an Open Badges assertion")


def _classify_jws(token: str) -> Detected:
    try:
        claims = json.loads(b64url_decode(token.split(".")[1]))
    except (KeyFormatError, ValueError, UnicodeDecodeError, IndexError, RecursionError):
        claims = None
    if isinstance(claims, dict) and ("vc" in claims or "credentialSubject" in claims):
        return Detected(VC_JWT, token)
    if isinstance(claims, dict) and {"recipient", "badge"} & claims.keys():
        return Detected(OB2_JWS, token)
    # Let the JWT verifier explain what is wrong with it.
    return Detected(VC_JWT, token)


def detect_text(text: str) -> Detected:
    """Classify pasted or extracted text: JSON, a compact JWS/JWT or an http(s) URL."""
    text = text.lstrip("\ufeff").strip()
    if not text:
        return Detected(UNKNOWN, error="nothing to verify: the input is empty")
    if text[0] in "{[":
        try:
            return classify_json(json.loads(text))
        except (ValueError, RecursionError) as exc:
            return Detected(UNKNOWN, error=f"the JSON is malformed ({exc.__class__.__name__})")
    if looks_like_jwt(text):
        return _classify_jws(text)
    if text.startswith(("https://", "http://")) and not any(c.isspace() for c in text):
        return Detected(URL, text)
    if text.count(".") >= 1 and " " not in text and len(text) > 20:
        return Detected(VC_JWT, text)  # JWT-ish but damaged: the JWT checks report why
    return Detected(UNKNOWN, error="not a credential: expected JSON, a JWT, a baked image or a URL")


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<") and (b"<svg" in data[:4096] or head.startswith(b"<?xml"))


def detect(data: bytes | str | dict[str, Any]) -> Detected:
    """Classify any input a person can hand the verifier."""
    if isinstance(data, dict):
        return classify_json(data)
    if isinstance(data, str):
        if len(data) > MAX_INPUT_BYTES:
            return Detected(UNKNOWN, error="the input is too large")
        return detect_text(data)
    if not isinstance(data, (bytes, bytearray)):
        return Detected(UNKNOWN, error="unsupported input type")
    data = bytes(data)
    if len(data) > MAX_INPUT_BYTES:
        return Detected(UNKNOWN, error="the file is too large")
    if data.startswith(PNG_SIGNATURE) or _looks_like_svg(data):
        return _detect_baked(data)
    try:
        return detect_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        return Detected(UNKNOWN, error="the file is neither text nor a PNG or SVG badge image")


def _detect_baked(data: bytes) -> Detected:
    kind = "png" if data.startswith(PNG_SIGNATURE) else "svg"
    try:
        baked = baking.extract(data)
    except baking.NotBaked as exc:
        return Detected(UNKNOWN, baked=kind, error=str(exc) or "not a baked badge")
    except baking.BakingError as exc:
        return Detected(UNKNOWN, baked=kind, error=f"the badge image is unreadable: {exc}")
    inner = detect_text(baked.payload) if baked.payload else Detected(UNKNOWN)
    inner.baked = baked.kind
    inner.verify_url = baked.verify_url
    if inner.kind == UNKNOWN and baked.verify_url:
        return Detected(URL, baked.verify_url, baked=baked.kind, verify_url=baked.verify_url)
    return inner
