"""Issuer signing keys: Ed25519 key pairs, Multikey / JWK encodings, encryption at rest.

Private keys are stored encrypted with AES-256-GCM under a key derived (HKDF-SHA256,
random salt) from a secret the application configures; callers pass the secret in,
this module never reads configuration.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from typing import Any

import base58
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Multicodec prefixes (varint-encoded) for Ed25519 public and private keys.
ED25519_PUB_PREFIX = b"\xed\x01"
ED25519_PRIV_PREFIX = b"\x80\x26"
_ENCRYPTION_VERSION = "v1"

PublicKey = Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey


class KeyFormatError(ValueError):
    """Key material is malformed or of an unsupported type."""


class KeyDecryptionError(Exception):
    """An encrypted private key could not be decrypted (wrong secret or tampered data)."""


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str):
        raise KeyFormatError("expected base64url text")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise KeyFormatError("invalid base64url") from exc


def multibase_decode(value: str) -> bytes:
    """Decode a base58btc multibase string (``z...``)."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise KeyFormatError("only base58btc multibase values ('z...') are supported")
    try:
        return base58.b58decode(value[1:])
    except ValueError as exc:
        raise KeyFormatError("invalid base58btc value") from exc


def multibase_encode(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


@dataclass(frozen=True)
class KeyPair:
    """An Ed25519 key pair; ``public_multibase`` is the Multikey form (z6Mk...)."""

    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def public_multibase(self) -> str:
        return ed25519_public_multibase(self.public_key)

    @property
    def private_multibase(self) -> str:
        raw = self.private_key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        return multibase_encode(ED25519_PRIV_PREFIX + raw)


def generate_key_pair() -> KeyPair:
    """A fresh Ed25519 key pair for an issuer."""
    return KeyPair(Ed25519PrivateKey.generate())


def key_pair_from_private_multibase(value: str) -> KeyPair:
    """Load a key pair from a Multikey secret (``z3u2...``) as published in test vectors."""
    raw = multibase_decode(value)
    # Some publishers (the OB 3.0 spec among them) encode seed || public key (64 bytes).
    if raw[:2] != ED25519_PRIV_PREFIX or len(raw) not in (34, 66):
        raise KeyFormatError("not an Ed25519 Multikey secret key")
    pair = KeyPair(Ed25519PrivateKey.from_private_bytes(raw[2:34]))
    if len(raw) == 66 and multibase_decode(pair.public_multibase)[2:] != raw[34:]:
        raise KeyFormatError("the secret key's embedded public key does not match its seed")
    return pair


def ed25519_public_multibase(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return multibase_encode(ED25519_PUB_PREFIX + raw)


def ed25519_from_multibase(value: str) -> Ed25519PublicKey:
    """Decode an Ed25519 Multikey / Ed25519VerificationKey2020 ``publicKeyMultibase``."""
    raw = multibase_decode(value)
    if raw[:2] != ED25519_PUB_PREFIX or len(raw) != 34:
        raise KeyFormatError("not an Ed25519 public Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def public_key_from_jwk(jwk: dict[str, Any]) -> PublicKey:
    """A public key from a JWK (OKP Ed25519, EC P-256/P-384, RSA); private members ignored."""
    if not isinstance(jwk, dict):
        raise KeyFormatError("JWK must be an object")
    kty = jwk.get("kty")
    try:
        if kty == "OKP" and jwk.get("crv") == "Ed25519":
            return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
        if kty == "EC":
            curve = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}.get(str(jwk.get("crv")))
            if curve is None:
                raise KeyFormatError(f"unsupported EC curve {jwk.get('crv')!r}")
            x = int.from_bytes(b64url_decode(jwk["x"]), "big")
            y = int.from_bytes(b64url_decode(jwk["y"]), "big")
            return ec.EllipticCurvePublicNumbers(x, y, curve).public_key()
        if kty == "RSA":
            n = int.from_bytes(b64url_decode(jwk["n"]), "big")
            e = int.from_bytes(b64url_decode(jwk["e"]), "big")
            return rsa.RSAPublicNumbers(e, n).public_key()
    except (KeyError, ValueError) as exc:
        raise KeyFormatError(f"invalid {kty} JWK: {exc}") from exc
    raise KeyFormatError(f"unsupported JWK key type {kty!r}")


def public_jwk(public_key: PublicKey) -> dict[str, str]:
    """The public JWK of a key (no private members)."""
    if isinstance(public_key, Ed25519PublicKey):
        raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        nums = public_key.public_numbers()
        size = (public_key.curve.key_size + 7) // 8
        crv = {"secp256r1": "P-256", "secp384r1": "P-384"}.get(public_key.curve.name)
        if crv is None:
            raise KeyFormatError(f"unsupported EC curve {public_key.curve.name}")
        return {
            "kty": "EC",
            "crv": crv,
            "x": b64url_encode(nums.x.to_bytes(size, "big")),
            "y": b64url_encode(nums.y.to_bytes(size, "big")),
        }
    if isinstance(public_key, rsa.RSAPublicKey):
        rsa_nums = public_key.public_numbers()
        n, e = rsa_nums.n, rsa_nums.e
        return {
            "kty": "RSA",
            "n": b64url_encode(n.to_bytes((n.bit_length() + 7) // 8, "big")),
            "e": b64url_encode(e.to_bytes((e.bit_length() + 7) // 8, "big")),
        }
    raise KeyFormatError("unsupported public key type")


def _derive(secret: str | bytes, salt: bytes, context: str) -> bytes:
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not secret:
        raise ValueError("an encryption secret is required")
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"credwork-issuer-key:" + context.encode("utf-8")
    ).derive(secret)


def encrypt_private_key(private_key: Ed25519PrivateKey, secret: str | bytes, *, context: str = "") -> str:
    """Encrypt a private key for storage: ``v1.<salt>.<nonce>.<ciphertext>`` (base64url).

    ``context`` (for example the key's id) is bound into the key derivation and as
    associated data, so a ciphertext moved to another row does not decrypt there.
    """
    raw = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_derive(secret, salt, context)).encrypt(nonce, raw, context.encode("utf-8"))
    return ".".join([_ENCRYPTION_VERSION, b64url_encode(salt), b64url_encode(nonce), b64url_encode(sealed)])


def decrypt_private_key(token: str, secret: str | bytes, *, context: str = "") -> Ed25519PrivateKey:
    """Reverse :func:`encrypt_private_key`; raises KeyDecryptionError on any mismatch."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 4 or parts[0] != _ENCRYPTION_VERSION:
        raise KeyDecryptionError("not an encrypted key produced by this version")
    try:
        salt, nonce, sealed = (b64url_decode(p) for p in parts[1:])
        raw = AESGCM(_derive(secret, salt, context)).decrypt(nonce, sealed, context.encode("utf-8"))
        return Ed25519PrivateKey.from_private_bytes(raw)
    except (InvalidTag, KeyFormatError, ValueError) as exc:
        raise KeyDecryptionError("wrong secret or corrupted key") from exc
