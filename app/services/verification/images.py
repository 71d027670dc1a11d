"""Achievement images from other issuers, fetched once when a badge is verified.

Pages never load an image from another site: the Content-Security-Policy forbids it (a remote
image would also tell its host who is looking at a candidate's badge). So the verifier fetches
the image itself, through the same SSRF-safe fetcher as everything else, checks it is really a
PNG, JPEG, GIF, WebP or SVG within the size allowed, and keeps it under its SHA-256 digest; the
result page shows this site's copy. An image that cannot be fetched or is not an image is
simply not shown, with a word saying so: it never changes the verdict.
"""

from __future__ import annotations

import hashlib
import io
import logging
from datetime import timedelta
from typing import Any

import filetype
from defusedxml import ElementTree
from flask import current_app
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import utcnow
from app.models.verifications import BadgeImage
from app.openbadges.fetching import Fetcher, FetchError

logger = logging.getLogger(__name__)

RASTER_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
SVG = "image/svg+xml"
REUSE_FOR = timedelta(days=1)  # a batch of one issuer's badges fetches their image once
MAX_PIXELS = 25_000_000


class ImageRefused(Exception):
    """Why a badge image is not shown (words for the result page)."""


def max_image_bytes() -> int:
    return int(current_app.config["BADGE_IMAGE_MAX_BYTES"])


def keep_image(payload: dict[str, Any], fetcher: Fetcher) -> None:
    """Fetch the achievement's remote image into ``badge_images`` and note its digest in the
    result (``achievement.image_digest``), or why it is not shown (``image_problem``)."""
    achievement = payload.get("achievement") or {}
    url = achievement.get("image")
    if not isinstance(url, str) or not url.lower().startswith(("https://", "http://")):
        return
    try:
        image = _kept(url, fetcher)
    except ImageRefused as refused:
        achievement["image_problem"] = str(refused)
        return
    achievement["image_digest"] = image.digest


def _kept(url: str, fetcher: Fetcher) -> BadgeImage:
    recent = db.session.scalar(
        select(BadgeImage)
        .where(BadgeImage.source_url == url[:2000], BadgeImage.created_at >= utcnow() - REUSE_FOR)
        .order_by(BadgeImage.created_at.desc())
        .limit(1)
    )
    if recent is not None:
        return recent
    try:
        response = fetcher.get(url, accept="image/png, image/svg+xml, image/*;q=0.8")
    except FetchError as exc:
        raise ImageRefused(f"the badge image could not be fetched ({exc})") from None
    if response.status != 200:
        raise ImageRefused(f"the badge image could not be fetched (HTTP {response.status})")
    content = response.content
    limit = max_image_bytes()
    if len(content) > limit:
        allowed = f"{limit // 1024} KB" if limit >= 1024 else f"{limit} bytes"
        raise ImageRefused(f"the badge image is larger than the {allowed} allowed, so it is not shown")
    media_type = media_type_of(content)
    if media_type is None:
        raise ImageRefused("the badge image is not a PNG, JPEG, GIF, WebP or SVG image, so it is not shown")
    digest = hashlib.sha256(content).hexdigest()
    image = db.session.get(BadgeImage, digest)
    if image is None:
        image = BadgeImage(digest=digest, media_type=media_type, content=content, source_url=url[:2000])
        db.session.add(image)
    else:
        image.created_at = utcnow()  # fetched again: its source still serves it
    db.session.flush()
    return image


def media_type_of(content: bytes) -> str | None:
    """The image's type read from its bytes (never from a header or name), or None when it is
    not an image that decodes."""
    kind = filetype.guess(content)
    if kind is not None and kind.mime in RASTER_TYPES:
        try:
            with Image.open(io.BytesIO(content)) as picture:
                if picture.width * picture.height > MAX_PIXELS:
                    return None
                picture.verify()
        except Exception:  # Pillow raises many kinds for a corrupt file
            return None
        return kind.mime
    if kind is None and _is_svg(content):
        return SVG
    return None


def _is_svg(content: bytes) -> bool:
    try:
        root = ElementTree.fromstring(content, forbid_dtd=True)
    except Exception:  # defusedxml refuses entities and DTDs; anything unparsable is not an SVG
        return False
    return root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")


def stored(digest: str) -> BadgeImage | None:
    return db.session.get(BadgeImage, digest) if len(digest) == 64 else None
