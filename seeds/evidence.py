"""Demo work-based evidence, written through the real services by the apprenticeship stories
(seeds/apprenticeships.py): entries in every state, a line manager's witness testimony, a
returned piece with feedback, and a complete portfolio for the apprentice ready for gateway.
The attached files are small PDFs made here, so the demo has real downloads."""

from __future__ import annotations

import io
from datetime import timedelta

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.models import Party
from app.services.evidence import portfolio


def _pdf(title: str, lines: list[str]) -> bytes:
    out = io.BytesIO()
    page = Canvas(out, pagesize=A4)
    page.setTitle(title)
    page.setFont("Helvetica-Bold", 16)
    page.drawString(72, 770, title)
    page.setFont("Helvetica", 11)
    for n, line in enumerate(lines):
        page.drawString(72, 740 - 18 * n, line)
    page.save()
    return out.getvalue()


def add(
    story,
    title: str,
    codes: list[str],
    *,
    state: str,
    by: str = "apprentice",
    kind: str = "product_of_work",
    days_ago: int = 14,
    feedback: str = "",
) -> None:
    """One entry in `state` (draft, submitted, returned, resubmitted, signed_off)."""
    a = story.a
    outcomes = {o.code: o.id for o in a.programme.outcomes}
    person, party = (story.apprentice, Party.APPRENTICE) if by == "apprentice" else (story.employer, Party.EMPLOYER)
    entry = portfolio.record(
        person,
        a,
        portfolio.EntryDetails(
            title=title,
            work_date=story.today - timedelta(days=days_ago),
            description=f"{title}. What I did, how I did it, and what it shows about the KSBs claimed.",
            type=kind,
            outcome_ids=[outcomes[c] for c in codes],
        ),
        {party},
        story.today,
    )
    if by == "apprentice":
        portfolio.attach(
            person,
            a,
            entry,
            f"{title.lower().replace(' ', '-')}.pdf",
            _pdf(title, [f"Evidence for {a.apprentice.user.name}", f"KSBs: {', '.join(codes)}"]),
        )
    if state == "draft":
        return
    portfolio.submit(person, a, entry)
    if state in ("returned", "resubmitted"):
        portfolio.return_with_feedback(
            story.assessor,
            a,
            entry,
            feedback or "Add a photo of the finished work and say which checks you made.",
            None,
        )
        if state == "resubmitted":
            portfolio.submit(person, a, entry)
    if state == "signed_off":
        portfolio.sign_off(story.assessor, a, entry, [outcomes[c] for c in codes], None)


def complete_portfolio(story) -> None:
    """Every KSB signed off (the apprentice ready for gateway)."""
    for n, outcome in enumerate(story.a.programme.outcomes):
        add(
            story,
            f"Workplace project: {outcome.description[:60]}",
            [outcome.code],
            state="signed_off",
            days_ago=30 + 7 * n,
        )
