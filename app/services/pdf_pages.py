"""The house style of Credwork's PDF documents (ReportLab): colours, paragraph styles, tables with
a header row, the footer with the title and page number. Feature modules (CPD reports, the
apprenticeship reports) build their stories from these."""

from __future__ import annotations

import io
from collections.abc import Collection
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

BRAND = colors.HexColor("#00594f")
_styles = getSampleStyleSheet()
H1 = ParagraphStyle("cw-h1", parent=_styles["Heading1"], textColor=BRAND, fontSize=18, leading=22)
H2 = ParagraphStyle("cw-h2", parent=_styles["Heading2"], fontSize=13, leading=16, spaceBefore=10)
BODY = ParagraphStyle("cw-body", parent=_styles["BodyText"], fontSize=9.5, leading=12.5)
SMALL = ParagraphStyle("cw-small", parent=BODY, fontSize=8, leading=10, textColor=colors.HexColor("#505a5f"))
CELL = ParagraphStyle("cw-cell", parent=BODY, fontSize=8.5, leading=10.5)
MONEY = ParagraphStyle("cw-money", parent=CELL, alignment=TA_RIGHT)


def para(text, style=CELL) -> Paragraph:
    return Paragraph(escape(str(text if text is not None else "")), style)


def table(
    header: list[str],
    rows: list[list],
    widths: list[float],
    money_cols: Collection[int] = frozenset(),
    total_row: bool = False,
) -> Table:
    data = [[para(h, MONEY if i in money_cols else CELL) for i, h in enumerate(header)]]
    for row in rows:
        data.append(
            [c if isinstance(c, Paragraph) else para(c, MONEY if i in money_cols else CELL) for i, c in enumerate(row)]
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
        canvas.drawRightString(doc.pagesize[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    return draw


def build(story: list, title: str, pagesize: tuple[float, float] = A4) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=pagesize,
        title=title,
        author="Credwork",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    doc.build(story, onFirstPage=_footer(title), onLaterPages=_footer(title))
    return out.getvalue()
