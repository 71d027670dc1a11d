"""Encryption at rest for secrets the application must read back (SSO client secrets, keys)."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _fernet(key_material: str | None = None) -> Fernet:
    material = key_material or current_app.config["DATA_ENCRYPTION_KEY"]
    key = base64.urlsafe_b64encode(hashlib.sha256(material.encode()).digest())
    return Fernet(key)


def encrypt(plaintext: str, key_material: str | None = None) -> str:
    return _fernet(key_material).encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str, key_material: str | None = None) -> str:
    try:
        return _fernet(key_material).decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("secret cannot be decrypted with the configured DATA_ENCRYPTION_KEY") from exc
