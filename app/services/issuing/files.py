"""Files a learner downloads for an issued badge: the badge image (PNG drawn with Pillow, SVG
from a template), each baked with the signed credential, and the "Add to LinkedIn" link.

The images carry only what the public credential page shows: the achievement, the issuer
and the level (never the learner's email).
"""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from app.models.badges import IssuedCredential
from app.openbadges.baking import bake_png, bake_svg
from app.services.issuing.awards import credential_url

BRAND = "#00594f"
SIZE = 400
_FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


@lru_cache(maxsize=8)
def _font(size: int, bold: bool = False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in _FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)  # Pillow's own scalable font


def badge_lines(issued: IssuedCredential) -> dict[str, str]:
    record = issued.achieved
    credits = f"{record.scqf_credits} SCQF credits" if record.scqf_credits else "Not credit-bearing"
    return {
        "issuer": issued.issuer.name,
        "title": record.title,
        "level": f"SCQF level {record.scqf_level}",
        "credits": credits,
    }


def badge_png(issued: IssuedCredential) -> bytes:
    """A plain 400x400 PNG badge: a disc with the issuer, title, level and credits as text."""
    lines = badge_lines(issued)
    image = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=BRAND)
    draw.ellipse((26, 26, SIZE - 26, SIZE - 26), outline="#ffffff", width=5)

    def centred(text: str, y: int, font) -> int:
        width = draw.textlength(text, font=font)
        draw.text(((SIZE - width) / 2, y), text, font=font, fill="#ffffff")
        return y + font.size + 6

    y = centred(lines["issuer"][:34], 92, _font(19))
    y += 10
    for part in textwrap.wrap(lines["title"], 20)[:3]:
        y = centred(part, y, _font(25, bold=True))
    y += 12
    y = centred(lines["level"], y, _font(19))
    centred(lines["credits"], y, _font(17))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def badge_svg(issued: IssuedCredential) -> str:
    """The same badge as an SVG document (text kept as text, so screen readers can read it)."""
    lines = badge_lines(issued)
    title_lines = textwrap.wrap(lines["title"], 22)[:3]
    tspans = "".join(
        f'<tspan x="200" dy="{0 if i == 0 else 32}">{escape(t)}</tspan>' for i, t in enumerate(title_lines)
    )
    label = escape(f"{lines['title']}, awarded by {lines['issuer']}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}" '
        f'role="img" aria-labelledby="badge-title"><title id="badge-title">{label}</title>'
        f'<circle cx="200" cy="200" r="192" fill="{BRAND}"/>'
        '<circle cx="200" cy="200" r="172" fill="none" stroke="#ffffff" stroke-width="5"/>'
        '<g font-family="DejaVu Sans, Arial, sans-serif" fill="#ffffff" text-anchor="middle">'
        f'<text x="200" y="112" font-size="19">{escape(lines["issuer"][:34])}</text>'
        f'<text x="200" y="168" font-size="25" font-weight="bold">{tspans}</text>'
        f'<text x="200" y="286" font-size="19">{escape(lines["level"])}</text>'
        f'<text x="200" y="314" font-size="17">{escape(lines["credits"])}</text>'
        "</g></svg>"
    )


def baked_png(issued: IssuedCredential) -> bytes:
    """The PNG badge with the signed JSON-LD credential in its ``openbadges`` iTXt chunk."""
    return bake_png(badge_png(issued), issued.credential_text)


def baked_svg(issued: IssuedCredential) -> bytes:
    """The SVG badge with the signed credential in ``openbadges:assertion`` (verify = its URL)."""
    return bake_svg(badge_svg(issued), issued.credential_text, verify_url=credential_url(issued.public_id))


def linkedin_url(issued: IssuedCredential) -> str:
    """LinkedIn's "Add licence or certification" link, prefilled."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": issued.achieved.title,
        "organizationName": issued.issuer.name,
        "issueYear": issued.issued_at.year,
        "issueMonth": issued.issued_at.month,
        "certUrl": credential_url(issued.public_id),
        "certId": issued.public_id,
    }
    if issued.valid_until:
        params.update(expirationYear=issued.valid_until.year, expirationMonth=issued.valid_until.month)
    return f"{LINKEDIN_ADD}?{urlencode(params)}"
