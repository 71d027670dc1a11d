"""Where evidence files live: one small interface, the local filesystem by default.

Files are stored under random keys (never a name anyone typed), two levels of folders deep. A
deployment that keeps files in object storage (S3, Azure Blob, GCS) implements the same three
methods and names its class in `EVIDENCE_STORE`; nothing else changes (see the README).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Protocol

from flask import current_app
from werkzeug.utils import import_string

from app.domain import DomainError


class FileMissing(DomainError):
    """The stored file has gone (deleted or never copied to this server)."""


class FileStore(Protocol):
    def save(self, content: bytes) -> str:
        """Keep `content`; return the new random key it is kept under."""

    def read(self, key: str) -> bytes:
        """The content kept under `key`; FileMissing if it is not there."""

    def delete(self, key: str) -> None: ...


class LocalFileStore:
    """Files in a folder on this server (`EVIDENCE_STORAGE_DIR`)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not key.isalnum():  # keys are ours: hex only, so no path can be smuggled in
            raise FileMissing("The file could not be found in storage.")
        return self.root / key[:2] / key

    def save(self, content: bytes) -> str:
        key = secrets.token_hex(24)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return key

    def read(self, key: str) -> bytes:
        path = self._path(key)
        if not path.is_file():
            raise FileMissing(
                "This file is missing from storage. Ask your organisation admin to restore it from backup."
            )
        return path.read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def store() -> FileStore:
    """The configured store (`EVIDENCE_STORE`, default the local filesystem)."""
    configured = current_app.config.get("EVIDENCE_STORE")
    if configured:
        return import_string(configured)(current_app.config)
    return LocalFileStore(current_app.config["EVIDENCE_STORAGE_DIR"])
