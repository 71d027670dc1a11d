"""What an evidence upload may be: its type is read from its content (never from its name),
it is not empty, corrupt or too large, and an apprentice's files stay under their allowance.

Allowed: PDF, images (PNG, JPEG, GIF, WebP), office documents (Word, Excel, PowerPoint, their
OpenDocument cousins) and short video (MP4, QuickTime, WebM). Anything else, including HTML,
SVG and scripts whatever they are called, is refused. Sizes come from configuration.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import filetype
from PIL import Image

from app.services.apprenticeships.errors import ApprenticeshipError

ALLOWED = {
    "application/pdf": "PDF",
    "image/png": "image",
    "image/jpeg": "image",
    "image/gif": "image",
    "image/webp": "image",
    "application/msword": "Word document",
    "application/vnd.ms-excel": "Excel workbook",
    "application/vnd.ms-powerpoint": "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint presentation",
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
    "video/mp4": "video",
    "video/quicktime": "video",
    "video/webm": "video",
}
MAX_IMAGE_PIXELS = 40_000_000


class UploadRefused(ApprenticeshipError):
    """An upload that may not be kept; the message says why, for the form."""

    def __init__(self, message: str):
        super().__init__(message, field="file")


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    content: bytes


def safe_name(filename: str | None) -> str:
    """The name shown and offered on download: no folders, no control or quoting characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^\w.\- ()]+", "_", name).strip(" ._")[:150]
    return name or "evidence"


def check(filename: str | None, content: bytes, *, max_bytes: int, room_left: int) -> CheckedFile:
    """The upload if it may be kept, else UploadRefused with words for the person."""
    name = safe_name(filename)
    if not content:
        raise UploadRefused(f"{name} is empty.")
    if len(content) > max_bytes:
        raise UploadRefused(f"{name} is larger than the {max_bytes // 1_000_000} MB a file may be.")
    if len(content) > room_left:
        raise UploadRefused(
            f"{name} would take this apprentice over their file allowance ({max(room_left, 0) // 1_000_000} MB left)."
        )
    kind = filetype.guess(content)
    content_type = kind.mime if kind else None
    if content_type not in ALLOWED:
        raise UploadRefused(
            f"{name} is not a file type evidence can hold. Use a PDF, an image, an office document or a short video."
        )
    if not _intact(content_type, content):
        raise UploadRefused(f"{name} looks damaged and cannot be opened. Save it again and upload the new copy.")
    return CheckedFile(name, content_type, content)


def _intact(content_type: str, content: bytes) -> bool:
    """A light check that the file opens as what it claims to be."""
    if content_type == "application/pdf":
        return b"%%EOF" in content[-2048:]
    if content_type.startswith("image/"):
        try:
            with Image.open(io.BytesIO(content)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    return False
                image.verify()
            return True
        except Exception:  # Pillow raises many kinds of error for a damaged image
            return False
    if "openxmlformats" in content_type or "opendocument" in content_type:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return archive.testzip() is None
        except zipfile.BadZipFile:
            return False
    return True
