"""VC-JWT: credentials secured as compact JWS (EdDSA, ES256, RS256).

Two shapes are read: VC-JOSE-COSE (the JWT claims set *is* the credential, ``typ``
``vc+jwt``) and the VC 1.1 JWT encoding (the credential in a ``vc`` claim, with
``iss``/``nbf``/``exp``/``jti``/``sub`` standing in for credential members). The
algorithm is never taken on trust: ``none`` and HMAC are refused, and the header's
``alg`` must match the type of the key the issuer published (no key confusion).
"""

from __future__ import annotations

import copy
import json
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey, RSAKey

from .dids import KeyResolutionError, VerificationMethod, resolve_verification_method
from .fetching import Fetcher
from .keys import (
    KeyFormatError,
    KeyPair,
    PublicKey,
    b64url_decode,
    public_key_from_jwk,
)

ACCEPTED_ALGORITHMS = ("EdDSA", "Ed25519", "ES256", "RS256")
MAX_TOKEN_LENGTH = 1_000_000
_MIN_RSA_BITS = 2048


class JwtError(Exception):
    """A token that is malformed, uses a refused algorithm, or cannot be checked."""

    def __init__(self, message: str, *, unverifiable: bool = False):
        super().__init__(message)
        self.unverifiable = unverifiable


@dataclass
class DecodedJwt:
    """A parsed (not yet verified) VC-JWT."""

    header: dict[str, Any]
    claims: dict[str, Any]
    credential: dict[str, Any]
    shape: str  # "vc-jose-cose" or "vc-jwt-1.1"


@dataclass
class JwtOutcome:
    verified: bool
    detail: str
    decoded: DecodedJwt | None = None
    method: VerificationMethod | None = None
    unverifiable: bool = False


def looks_like_jwt(text: str) -> bool:
    """True when ``text`` has the shape of a compact JWS (three base64url segments)."""
    parts = text.strip().split(".")
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    return len(parts) == 3 and bool(parts[0]) and all(set(p) <= alphabet for p in parts)


def _segment_json(segment: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(b64url_decode(segment))
    except (KeyFormatError, ValueError, UnicodeDecodeError) as exc:
        raise JwtError(f"JWT {what} is not base64url-encoded JSON (truncated or corrupted token?)") from exc
    if not isinstance(value, dict):
        raise JwtError(f"JWT {what} is not a JSON object")
    return value


def _epoch_to_iso(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value, UTC).isoformat().replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):
        return None


def credential_from_vc_claim(claims: dict[str, Any]) -> dict[str, Any]:
    """Rebuild the credential of a VC 1.1 JWT from its ``vc`` claim and registered claims."""
    vc = claims.get("vc")
    if not isinstance(vc, dict):
        raise JwtError("JWT has no 'vc' claim and is not itself a credential")
    cred = copy.deepcopy(vc)
    if isinstance(claims.get("iss"), str):
        issuer = cred.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        if issuer_id and issuer_id != claims["iss"]:
            raise JwtError("the 'iss' claim and the credential's issuer differ")
        if not issuer_id:
            cred["issuer"] = claims["iss"] if not isinstance(issuer, dict) else {**issuer, "id": claims["iss"]}
    if isinstance(claims.get("jti"), str):
        cred.setdefault("id", claims["jti"])
    subject = cred.get("credentialSubject")
    if isinstance(claims.get("sub"), str) and isinstance(subject, dict):
        subject.setdefault("id", claims["sub"])
    is_v2 = "https://www.w3.org/ns/credentials/v2" in (cred.get("@context") or [])
    if _epoch_to_iso(claims.get("nbf")):
        cred.setdefault("validFrom" if is_v2 else "issuanceDate", _epoch_to_iso(claims["nbf"]))
    if _epoch_to_iso(claims.get("exp")):
        cred.setdefault("validUntil" if is_v2 else "expirationDate", _epoch_to_iso(claims["exp"]))
    return cred


def _credential_from_payload(claims: dict[str, Any]) -> dict[str, Any]:
    """VC-JOSE-COSE: the payload is the credential; JWT ``iss``/``nbf``/``exp`` may sit
    beside its members and must not contradict them (they narrow the window if absent)."""
    cred = copy.deepcopy(claims)
    for claim in ("iss", "nbf", "exp", "iat", "jti", "sub", "aud", "cnf"):
        cred.pop(claim, None)
    if isinstance(claims.get("iss"), str) and _issuer_id(cred) not in (None, claims["iss"]):
        raise JwtError("the 'iss' claim and the credential's issuer differ")
    if _epoch_to_iso(claims.get("nbf")) and "validFrom" not in cred:
        cred["validFrom"] = _epoch_to_iso(claims["nbf"])
    if _epoch_to_iso(claims.get("exp")) and "validUntil" not in cred:
        cred["validUntil"] = _epoch_to_iso(claims["exp"])
    return cred


def decode(token: str) -> DecodedJwt:
    """Parse a VC-JWT without verifying it; refuses malformed tokens and unsafe algorithms."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise JwtError("JWT is missing or too large")
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts):
        raise JwtError("JWT must have three non-empty parts (header.payload.signature): truncated token?")
    header = _segment_json(parts[0], "header")
    claims = _segment_json(parts[1], "payload")
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        raise JwtError("unsigned JWT (alg 'none') refused")
    if alg.upper().startswith("HS"):
        raise JwtError(f"symmetric algorithm {alg} refused: a credential needs a public-key signature")
    if alg not in ACCEPTED_ALGORITHMS:
        raise JwtError(f"algorithm {alg} is not supported (EdDSA, ES256, RS256)", unverifiable=True)
    if header.get("crit") or header.get("b64") is False:
        raise JwtError("JWT header uses critical extensions this verifier does not understand")
    try:
        b64url_decode(parts[2])
    except KeyFormatError as exc:
        raise JwtError("JWT signature is not base64url") from exc
    if "vc" in claims:
        return DecodedJwt(header, claims, credential_from_vc_claim(claims), "vc-jwt-1.1")
    if "@context" in claims and "credentialSubject" in claims:
        return DecodedJwt(header, claims, _credential_from_payload(claims), "vc-jose-cose")
    raise JwtError("JWT payload is not a verifiable credential")


def _issuer_id(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer if isinstance(issuer, str) else None


def _method_for(
    decoded: DecodedJwt, fetcher: Fetcher | None, key_overrides: dict[str, Any] | None
) -> VerificationMethod:
    kid = decoded.header.get("kid")
    issuer = _issuer_id(decoded.credential) or decoded.claims.get("iss")
    if isinstance(kid, str) and kid:
        if kid.startswith("#") and isinstance(issuer, str):
            kid = issuer + kid
        elif kid.startswith(("did:key:", "did:jwk:")) and "#" not in kid:
            kid += "#0" if kid.startswith("did:jwk:") else "#" + kid.split(":", 2)[2]
        return resolve_verification_method(kid, fetcher=fetcher, key_overrides=key_overrides)
    if isinstance(decoded.header.get("jwk"), dict):
        # A bare embedded key proves nothing about who owns it: binding is left open.
        try:
            key = public_key_from_jwk(decoded.header["jwk"])
        except KeyFormatError as exc:
            raise JwtError(f"embedded jwk is unusable: {exc}") from exc
        return VerificationMethod("jwk (embedded in header)", "", key, "JsonWebKey", {"assertionMethod"})
    if isinstance(issuer, str) and issuer.startswith(("did:key:", "did:jwk:")):
        fragment = "0" if issuer.startswith("did:jwk:") else issuer.split(":", 2)[2]
        return resolve_verification_method(f"{issuer}#{fragment}", fetcher=fetcher, key_overrides=key_overrides)
    raise JwtError("JWT names no key (no 'kid' or 'jwk' header)", unverifiable=True)


def _jose_key(alg: str, key: PublicKey) -> Any:
    """Wrap the resolved key for joserfc, refusing an ``alg`` that does not fit it."""
    if isinstance(key, Ed25519PublicKey) and alg in ("EdDSA", "Ed25519"):
        return OKPKey.import_key(key)
    if isinstance(key, ec.EllipticCurvePublicKey) and alg == "ES256" and key.curve.name == "secp256r1":
        return ECKey.import_key(key)
    if isinstance(key, rsa.RSAPublicKey) and alg == "RS256":
        if key.key_size < _MIN_RSA_BITS:
            raise JwtError(f"RSA key of {key.key_size} bits is too short")
        return RSAKey.import_key(key)
    raise JwtError(f"header alg {alg} does not match the issuer's {type(key).__name__.replace('PublicKey', '')} key")


def verify_jwt(token: str, *, fetcher: Fetcher | None, key_overrides: dict[str, Any] | None = None) -> JwtOutcome:
    """Verify a VC-JWT's signature with the key its header names."""
    decoded = method = None
    try:
        decoded = decode(token)
        alg = decoded.header["alg"]
        method = _method_for(decoded, fetcher, key_overrides)
        if "assertionMethod" not in method.purposes:
            raise JwtError(f"{method.id} is not authorised for assertionMethod by its controller")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # joserfc flags "EdDSA" as superseded by "Ed25519"
            jws.deserialize_compact(token.strip(), _jose_key(alg, method.public_key), algorithms=[alg])
    except JwtError as exc:
        return JwtOutcome(False, str(exc), decoded, method, unverifiable=exc.unverifiable)
    except KeyResolutionError as exc:
        return JwtOutcome(False, f"cannot resolve the signing key: {exc}", decoded, method, unverifiable=True)
    except JoseError as exc:
        return JwtOutcome(False, f"JWT signature does not verify ({exc.error})", decoded, method)
    except (ValueError, TypeError) as exc:
        return JwtOutcome(False, f"JWT could not be checked: {exc}", decoded, method)
    return JwtOutcome(True, f"{alg} signature verified with {method.id}", decoded, method)


def sign_jwt(credential: dict[str, Any], key_pair: KeyPair, *, kid: str, shape: str = "vc-jose-cose") -> str:
    """Sign a credential as a VC-JWT with EdDSA.

    ``vc-jose-cose`` (default) puts the credential itself in the payload (``typ``
    ``vc+jwt``); ``vc-jwt-1.1`` wraps it in a ``vc`` claim with iss/jti/sub/nbf/exp.
    """
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    if shape == "vc-jose-cose":
        header = {"alg": "EdDSA", "kid": kid, "typ": "vc+jwt", "cty": "vc"}
        payload: dict[str, Any] = unsecured
    elif shape == "vc-jwt-1.1":
        header = {"alg": "EdDSA", "kid": kid, "typ": "JWT"}
        payload = {"vc": unsecured, "iss": _issuer_id(unsecured)}
        if unsecured.get("id"):
            payload["jti"] = unsecured["id"]
        subject = unsecured.get("credentialSubject")
        if isinstance(subject, dict) and subject.get("id"):
            payload["sub"] = subject["id"]
        for member, claim in (
            ("validFrom", "nbf"),
            ("issuanceDate", "nbf"),
            ("validUntil", "exp"),
            ("expirationDate", "exp"),
        ):
            if isinstance(unsecured.get(member), str):
                payload[claim] = int(datetime.fromisoformat(unsecured[member]).timestamp())
    else:
        raise ValueError(f"unknown VC-JWT shape {shape!r}")
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    with warnings.catch_warnings():
        # "EdDSA" is the name VC and Open Badges verifiers expect, though RFC 9864 prefers "Ed25519".
        warnings.simplefilter("ignore")
        return jws.serialize_compact(header, body, OKPKey.import_key(key_pair.private_key), algorithms=["EdDSA"])
