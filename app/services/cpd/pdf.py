"""PDF documents (ReportLab): the CPD spend report per department and year, and a person's CPD
record with any learning agreement printed in full."""

from __future__ import annotations

import re
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from app.domain.calendar import london, london_date
from app.domain.money import format_pounds as pounds
from app.models import Job, Organisation
from app.services import jobs
from app.services.cpd import budgets, queries
from app.services.pdf_pages import BODY, H1, H2, SMALL, build, para, table


def spend_report(org, year: int, department: str | None = None) -> bytes:
    """Budget, committed, spent and remaining per department, then every sponsorship with money."""
    label = budgets.financial_year_label(year)
    start, end = budgets.financial_year_bounds(year)
    scope = department or "All departments"
    title = f"CPD spend report {label}: {scope}"
    story = [
        Paragraph(escape(f"CPD spend report, {label}"), H1),
        para(
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
            table(
                ["Department", "Budget", "Committed", "Spent", "Remaining"],
                rows,
                [62 * mm, 27 * mm, 27 * mm, 27 * mm, 31 * mm],
                {1, 2, 3, 4},
                total_row=len(money) > 1,
            )
        )
    else:
        story.append(para("No budget has been set for this year.", BODY))
    items = queries.spend_rows(org, year, department)
    story.append(Paragraph("Sponsorships", H2))
    if items:
        story.append(
            table(
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
        story.append(para("No sponsorship has committed or spent money in this year.", BODY))
    return build(story, title)


def _spend_filename(year: int, department: str | None) -> str:
    """The spend report's file name (only [a-z0-9-] from the department, which came from a URL)."""
    slug = (
        re.sub(r"[^a-z0-9]+", "-", (department or "all departments").lower().replace("&", "and")).strip("-")
        or "department"
    )
    return f"cpd-spend-{slug}-{budgets.financial_year_label(year)}.pdf"


def spend_report_for(actor, org, year: int, department: str | None) -> tuple[bytes, str] | Job:
    """The spend report as (PDF, file name), or for a year of many sponsorships the job making it."""
    title = f"CPD spend report {budgets.financial_year_label(year)}: {department or 'all departments'}"
    params = {"organisation_id": org.id, "year": year, "department": department}
    return jobs.now_or_later(actor, org, "cpd_spend", title, params, rows=queries.spend_count(org, year, department))


@jobs.report("cpd_spend")
def _spend_report_file(params: dict) -> tuple[bytes, str]:
    org = jobs.still_there(Organisation, params["organisation_id"], "organisation")
    year, department = params["year"], params.get("department")
    return spend_report(org, year, department), _spend_filename(year, department)


def person_record(record: queries.CpdRecord) -> bytes:
    """A person's CPD record: totals, every request, and each learning agreement's full text."""
    person, membership = record.person, record.membership
    title = f"CPD record: {person.name}"
    story = [
        Paragraph(escape(f"CPD record: {person.name}"), H1),
        para(
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
        table(
            ["Completed CPD", "Hours", "SCQF credit points", "Sponsored spend"],
            [[str(len(record.completed)), str(record.hours), str(record.scqf_credits), pounds(record.spent_pence)]],
            [44 * mm, 40 * mm, 46 * mm, 44 * mm],
            {3},
        ),
    ]
    story.append(Paragraph("Requests and learning", H2))
    if record.requests:
        story.append(
            table(
                ["Course", "Start", "Status", "Hours", "Credits", "Cost"],
                [
                    [
                        f"{s.title} ({s.provider_name})",
                        london_date(s.start_date),
                        s.status_label + (f", {london_date(s.completed_on)}" if s.completed_on else ""),
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
        story.append(para("No CPD requests yet.", BODY))
    for s in record.requests:
        agreement = s.agreement
        if agreement is None:
            continue
        story.append(Paragraph(escape(f"Learning agreement: {s.title}"), H2))
        basis = "pro rata" if agreement.repayment_basis == "pro_rata" else "in full"
        story.append(
            para(
                f"Repayment: {basis} if the employee leaves within {agreement.repayment_months} months "
                f"of completing. Cost sponsored: {pounds(s.spent_pence or s.committed_pence or s.cost_pence)}.",
                BODY,
            )
        )
        for line in agreement.text.split("\n"):
            if line.strip():
                story.append(para(line.strip(), BODY))
        accepted = (
            f"Accepted by {person.name} on {london(agreement.accepted_at)}"
            if agreement.accepted_at
            else "Not yet accepted by the employee"
        )
        story.append(para(accepted, SMALL))
    return build(story, title)
