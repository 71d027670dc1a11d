"""PDF documents (ReportLab): the CPD spend report per department and year, and a person's CPD
record with any learning agreement printed in full."""

from __future__ import annotations

import io
from collections.abc import Collection
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.domain.calendar import london
from app.domain.money import format_pounds as pounds
from app.services.cpd import budgets, queries

BRAND = colors.HexColor("#00594f")
_styles = getSampleStyleSheet()
H1 = ParagraphStyle("cw-h1", parent=_styles["Heading1"], textColor=BRAND, fontSize=18, leading=22)
H2 = ParagraphStyle("cw-h2", parent=_styles["Heading2"], fontSize=13, leading=16, spaceBefore=10)
BODY = ParagraphStyle("cw-body", parent=_styles["BodyText"], fontSize=9.5, leading=12.5)
SMALL = ParagraphStyle("cw-small", parent=BODY, fontSize=8, leading=10, textColor=colors.HexColor("#505a5f"))
CELL = ParagraphStyle("cw-cell", parent=BODY, fontSize=8.5, leading=10.5)
MONEY = ParagraphStyle("cw-money", parent=CELL, alignment=TA_RIGHT)


def _p(text, style=CELL) -> Paragraph:
    return Paragraph(escape(str(text if text is not None else "")), style)


def _table(
    header: list[str],
    rows: list[list],
    widths: list[float],
    money_cols: Collection[int] = frozenset(),
    total_row: bool = False,
) -> Table:
    data = [[_p(h, MONEY if i in money_cols else CELL) for i, h in enumerate(header)]]
    for row in rows:
        data.append(
            [c if isinstance(c, Paragraph) else _p(c, MONEY if i in money_cols else CELL) for i, c in enumerate(row)]
        )
    table = Table(data, colWidths=widths, repeatRows=1)
    style: list[Any] = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_row:
        style.append(("LINEABOVE", (0, -1), (-1, -1), 1, colors.black))
    table.setStyle(TableStyle(style))
    return table


def _footer(title: str):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#505a5f"))
        canvas.drawString(18 * mm, 10 * mm, f"Credwork · {title}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    return draw


def _build(story: list, title: str) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=title,
        author="Credwork",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    doc.build(story, onFirstPage=_footer(title), onLaterPages=_footer(title))
    return out.getvalue()


def spend_report(org, year: int, department: str | None = None) -> bytes:
    """Budget, committed, spent and remaining per department, then every sponsorship with money."""
    label = budgets.financial_year_label(year)
    start, end = budgets.financial_year_bounds(year)
    scope = department or "All departments"
    title = f"CPD spend report {label}: {scope}"
    story = [
        Paragraph(escape(f"CPD spend report, {label}"), H1),
        _p(
            f"{org.name} · {scope} · financial year {start:%-d %B %Y} to "
            f"{date.fromordinal(end.toordinal() - 1):%-d %B %Y} · produced {date.today():%-d %B %Y}",
            SMALL,
        ),
        Spacer(1, 6),
    ]
    money = [m for m in queries.money_by_department(org, year) if not department or m.department == department]
    rows = [
        [m.department, pounds(m.allocated), pounds(m.committed), pounds(m.spent), pounds(m.remaining)] for m in money
    ]
    if len(money) > 1:
        rows.append(
            [
                "Total",
                pounds(sum(m.allocated for m in money)),
                pounds(sum(m.committed for m in money)),
                pounds(sum(m.spent for m in money)),
                pounds(sum(m.remaining for m in money)),
            ]
        )
    story.append(Paragraph("Budgets", H2))
    if rows:
        story.append(
            _table(
                ["Department", "Budget", "Committed", "Spent", "Remaining"],
                rows,
                [62 * mm, 27 * mm, 27 * mm, 27 * mm, 31 * mm],
                {1, 2, 3, 4},
                total_row=len(money) > 1,
            )
        )
    else:
        story.append(_p("No budget has been set for this year.", BODY))
    items = queries.spend_rows(org, year, department)
    story.append(Paragraph("Sponsorships", H2))
    if items:
        story.append(
            _table(
                ["Person", "Department", "Course", "Status", "Committed", "Spent"],
                [
                    [
                        s.person.name,
                        s.department or "",
                        f"{s.title} ({s.provider_name})",
                        s.status_label,
                        pounds(s.committed_pence),
                        pounds(s.spent_pence),
                    ]
                    for s in items
                ]
                + [
                    [
                        "Total",
                        "",
                        "",
                        "",
                        pounds(sum(s.committed_pence for s in items)),
                        pounds(sum(s.spent_pence for s in items)),
                    ]
                ],
                [30 * mm, 28 * mm, 54 * mm, 24 * mm, 19 * mm, 19 * mm],
                {4, 5},
                total_row=True,
            )
        )
    else:
        story.append(_p("No sponsorship has committed or spent money in this year.", BODY))
    return _build(story, title)


def person_record(record: queries.CpdRecord) -> bytes:
    """A person's CPD record: totals, every request, and each learning agreement's full text."""
    person, membership = record.person, record.membership
    title = f"CPD record: {person.name}"
    story = [
        Paragraph(escape(f"CPD record: {person.name}"), H1),
        _p(
            " · ".join(
                x
                for x in [
                    membership.organisation.name,
                    membership.job_title,
                    membership.department,
                    f"produced {date.today():%-d %B %Y}",
                ]
                if x
            ),
            SMALL,
        ),
        Spacer(1, 6),
        _table(
            ["Completed CPD", "Hours", "SCQF credit points", "Sponsored spend"],
            [[str(len(record.completed)), str(record.hours), str(record.scqf_credits), pounds(record.spent_pence)]],
            [44 * mm, 40 * mm, 46 * mm, 44 * mm],
            {3},
        ),
    ]
    story.append(Paragraph("Requests and learning", H2))
    if record.requests:
        story.append(
            _table(
                ["Course", "Start", "Status", "Hours", "Credits", "Cost"],
                [
                    [
                        f"{s.title} ({s.provider_name})",
                        s.start_date.strftime("%-d %b %Y") if s.start_date else "",
                        s.status_label + (f", {s.completed_on:%-d %b %Y}" if s.completed_on else ""),
                        str(s.hours),
                        "" if s.scqf_credits is None else str(s.scqf_credits),
                        pounds(s.spent_pence or s.committed_pence or s.cost_pence),
                    ]
                    for s in record.requests
                ],
                [64 * mm, 22 * mm, 36 * mm, 14 * mm, 16 * mm, 22 * mm],
                {5},
            )
        )
    else:
        story.append(_p("No CPD requests yet.", BODY))
    for s in record.requests:
        agreement = s.agreement
        if agreement is None:
            continue
        story.append(Paragraph(escape(f"Learning agreement: {s.title}"), H2))
        basis = "pro rata" if agreement.repayment_basis == "pro_rata" else "in full"
        story.append(
            _p(
                f"Repayment: {basis} if the employee leaves within {agreement.repayment_months} months "
                f"of completing. Cost sponsored: {pounds(s.spent_pence or s.committed_pence or s.cost_pence)}.",
                BODY,
            )
        )
        for para in agreement.text.split("\n"):
            if para.strip():
                story.append(_p(para.strip(), BODY))
        accepted = (
            f"Accepted by {person.name} on {london(agreement.accepted_at)}"
            if agreement.accepted_at
            else "Not yet accepted by the employee"
        )
        story.append(_p(accepted, SMALL))
    return _build(story, title)
