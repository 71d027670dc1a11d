"""The PDF verification report (ReportLab): the verdict in words, what was achieved, who
issued it, every check, and when and by whom it was verified."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.domain.calendar import london, london_date
from app.models.verifications import VERDICT_SENTENCES, CheckRow, Verification
from app.services.pdf_pages import BODY, CELL, H1, H2, SMALL

VERDICT = ParagraphStyle("cw-v-verdict", parent=BODY, fontSize=15, leading=19, textColor=colors.white)

# The verdict is always spelt out; the colour only repeats it.
VERDICT_HEX = {
    "valid": "#00703c",
    "expired": "#505a5f",
    "revoked": "#d4351c",
    "invalid": "#d4351c",
    "unverifiable": "#1d70b8",
}


def friendly_date(value: str | None) -> str | None:
    """An ISO 8601 instant from a credential as a London date ("10 January 2025"); text that
    is not a date is returned as it is."""
    if not isinstance(value, str) or not value:
        return value
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return london_date(moment)


def _p(text, style=CELL) -> Paragraph:
    return Paragraph(escape(str(text if text is not None else "")), style)


def _facts(rows: list[tuple[str, str | None]]) -> Table:
    data = [
        [_p(label, ParagraphStyle("k", parent=CELL, fontName="Helvetica-Bold")), _p(value)]
        for label, value in rows
        if value
    ]
    table = Table(data or [[_p("Nothing recorded"), _p("")]], colWidths=[45 * mm, 125 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _checks(checks: list[CheckRow]) -> Table:
    head = ParagraphStyle("cw-v-head", parent=CELL, fontName="Helvetica-Bold")
    data = [[_p("Check", head), _p("Result", head), _p("Detail", head)]]
    for check in checks:
        data.append([_p(check.label), _p(check.status_label), _p(check.detail)])
    table = Table(data, colWidths=[42 * mm, 22 * mm, 106 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _verdict_box(verdict: str, label: str, why: str | None) -> Table:
    white = ParagraphStyle("vs", parent=BODY, textColor=colors.white)
    rows = [
        [Paragraph(f"<b>{escape(label)}</b>", VERDICT)],
        [Paragraph(escape(VERDICT_SENTENCES.get(verdict, "")), white)],
    ]
    if why:
        rows.append([Paragraph(escape(f"Why: {why}"), white)])
    box = Table(rows, colWidths=[170 * mm])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(VERDICT_HEX.get(verdict, "#505a5f"))),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return box


def _claims_heading(proven: bool) -> list:
    if proven:
        return [Paragraph("What was achieved", H2)]
    return [
        Paragraph("What the credential claims (not proven)", H2),
        _p(
            "Its proof did not verify, so nothing in this section or the next is confirmed by the issuer "
            "it names: it may have been made up or changed.",
        ),
        Spacer(1, 2 * mm),
    ]


def build_report(verification: Verification, *, verified_by: str) -> bytes:
    """The report as PDF bytes. ``verified_by`` names the person and organisation (or says
    the public verifier was used)."""
    result = verification.result
    achievement = result.get("achievement") or {}
    issuer = result.get("issuer") or {}
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title="Badge verification report",
        author="Credwork",
    )
    story = [
        Paragraph("Badge verification report", H1),
        _verdict_box(verification.verdict, f"Verdict: {verification.verdict_label}", verification.reason),
        Spacer(1, 4 * mm),
        *_claims_heading(verification.claims_proven),
        _facts(
            [
                ("Achievement" if verification.claims_proven else "Claimed achievement", achievement.get("name")),
                ("Description", achievement.get("description")),
                ("Level", achievement.get("level")),
                ("Credits", achievement.get("credits")),
                ("Skills", ", ".join(achievement.get("skills") or [])),
                ("Criteria", achievement.get("criteria")),
                ("Awarded on", friendly_date(result.get("issued_on"))),
                ("Valid until", friendly_date(result.get("valid_until"))),
            ]
        ),
        Paragraph("Issuer" if verification.claims_proven else "Claimed issuer", H2),
        _facts(
            [
                ("Name", issuer.get("name") or "Not given"),
                ("Identifier", issuer.get("id")),
                ("Website", issuer.get("url")),
            ]
        ),
        Paragraph("Checks", H2),
        _checks(verification.checks),
        Paragraph("About this verification", H2),
        _facts(
            [
                ("Verified at", london(verification.created_at)),
                ("Verified by", verified_by),
                ("Candidate", verification.candidate_email),
                (
                    "Recipient check",
                    {
                        True: "matches the candidate's email",
                        False: "does not match the email given",
                        None: "not checked",
                    }[verification.recipient_match],
                ),
                ("Credential format", verification.format_label),
                ("Credential id", verification.credential_id),
                ("Input", verification.input_label),
            ]
        ),
        Spacer(1, 4 * mm),
        _p(
            "The checks above were made by Credwork at the time shown. A badge's status can change later: "
            "the issuer may revoke it. Verify again for its current status.",
            SMALL,
        ),
    ]
    doc.build(story)
    return buffer.getvalue()
