"""The PDF certificate of an issued badge (ReportLab, A4 landscape), with a QR code that opens
the public credential page, where anyone sees its current status and can verify it."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import qrcode
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.domain.calendar import london_date
from app.models.badges import IssuedCredential
from app.services.issuing.awards import credential_url
from app.services.issuing.files import badge_png

BRAND = colors.HexColor("#00594f")
GREY = colors.HexColor("#505a5f")
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """DejaVu when installed (any learner's name prints), else the built-in Helvetica."""
    regular, bold = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdfmetrics.registerFont(TTFont("CwSans", str(regular)))
        pdfmetrics.registerFont(TTFont("CwSans-Bold", str(bold)))
        return "CwSans", "CwSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _qr_png(url: str) -> ImageReader:
    image = qrcode.make(url, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")  # type: ignore[call-arg]  # qrcode.make gives a PIL image here
    out.seek(0)
    return ImageReader(out)


def _fit(canvas: Canvas, text: str, font: str, size: float, max_width: float) -> float:
    """The largest font size up to ``size`` at which ``text`` fits on one line."""
    while size > 8 and canvas.stringWidth(text, font, size) > max_width:
        size -= 1
    return size


def certificate_pdf(issued: IssuedCredential) -> bytes:
    """One-page certificate: learner, achievement, issuer, date, level, credits, QR + link."""
    regular, bold = _fonts()
    record = issued.achieved
    url = credential_url(issued.public_id)
    out = io.BytesIO()
    width, height = landscape(A4)
    c = Canvas(out, pagesize=(width, height))
    c.setTitle(f"Certificate: {record.title} - {issued.recipient_name}")
    c.setAuthor(issued.issuer.name)
    c.setStrokeColor(BRAND)
    c.setLineWidth(4)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.drawImage(
        ImageReader(io.BytesIO(badge_png(issued))), width / 2 - 22 * mm, height - 70 * mm, 44 * mm, 44 * mm, mask="auto"
    )

    usable = width - 60 * mm
    c.setFillColor(GREY)
    c.setFont(regular, 14)
    c.drawCentredString(width / 2, height - 82 * mm, f"{issued.issuer.name} certifies that")
    c.setFillColor(colors.black)
    size = _fit(c, issued.recipient_name, bold, 30, usable)
    c.setFont(bold, size)
    c.drawCentredString(width / 2, height - 97 * mm, issued.recipient_name)
    c.setFillColor(GREY)
    c.setFont(regular, 14)
    c.drawCentredString(width / 2, height - 108 * mm, "has been awarded the micro-credential")
    c.setFillColor(BRAND)
    size = _fit(c, record.title, bold, 24, usable)
    c.setFont(bold, size)
    c.drawCentredString(width / 2, height - 122 * mm, record.title)

    credits = f"{record.scqf_credits} SCQF credit points" if record.scqf_credits else "Not credit-bearing"
    facts = f"SCQF level {record.scqf_level}  ·  {credits}  ·  {record.notional_hours} notional hours"
    c.setFillColor(colors.black)
    c.setFont(regular, 12)
    c.drawCentredString(width / 2, height - 134 * mm, facts)
    dated = f"Awarded on {london_date(issued.issued_at)}"
    if issued.valid_until:
        dated += f"  ·  Valid until {london_date(issued.valid_until)}"
    c.drawCentredString(width / 2, height - 142 * mm, dated)

    qr_size = 32 * mm
    c.drawImage(_qr_png(url), width - 20 * mm - qr_size, 20 * mm, qr_size, qr_size)
    c.setFont(bold, 10)
    c.setFillColor(colors.black)
    c.drawString(22 * mm, 40 * mm, "Check this certificate is genuine and still valid:")
    c.setFont(regular, 9)
    c.drawString(22 * mm, 34 * mm, url)
    c.setFillColor(GREY)
    c.setFont(regular, 8)
    c.drawString(
        22 * mm,
        28 * mm,
        "Scan the QR code or open the link. The page shows whether the issuer has "
        "revoked the badge, and lets you verify the signed credential.",
    )
    c.drawString(22 * mm, 23 * mm, f"Issued as an Open Badges 3.0 credential by {issued.issuer.did[:90]}")
    c.showPage()
    c.save()
    return out.getvalue()
