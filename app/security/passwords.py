"""Argon2id password hashing."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_DEFAULT = PasswordHasher()  # Argon2id with the library's recommended costs
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # tests only

MIN_LENGTH = 10


def _hasher() -> PasswordHasher:
    return _FAST if current_app.config.get("PASSWORD_HASH_FAST") else _DEFAULT


def hash_password(password: str) -> str:
    return _hasher().hash(password)


_decoys: dict[int, str] = {}


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password. With no hash (no such account, or SSO only) a decoy hash is checked
    anyway, so the time taken does not reveal whether the account exists."""
    hasher = _hasher()
    if not password_hash:
        decoy = _decoys.get(id(hasher))
        if decoy is None:
            decoy = _decoys[id(hasher)] = hasher.hash("decoy-password-never-matches")
        _check(hasher, decoy, password)
        return False
    return _check(hasher, password_hash, password)


def _check(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """A plain-English reason the password is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if password.lower() in {"password123", "credwork123", "qwertyuiop"}:
        return "Choose a password that is harder to guess"
    return None
