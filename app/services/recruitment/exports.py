"""What recruiters take out of Credwork: the shortlist as CSV (cells safe from spreadsheet
formulas) and the hiring panel's PDF, one page per candidate with the verification evidence
(made in the background when there are many candidates)."""

from __future__ import annotations

import csv
import io

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer
from werkzeug.datastructures import MultiDict

from app.domain.calendar import london, london_date
from app.models import Job
from app.models.job_roles import PROFICIENCY_LABELS
from app.models.recruitment import CandidateBadge, Vacancy
from app.services import jobs
from app.services.pdf_pages import BODY, H1, H2, SMALL, build, para, table
from app.services.recruitment import fit, queries
from app.services.recruitment.fit import Comparison, SkillFit
from app.services.verification.batches import csv_cell


def _level(n: int) -> str:
    return f"{n} ({PROFICIENCY_LABELS.get(n, '')})" if n else "none"


def _cell_words(f: SkillFit) -> str:
    if f.proven_by is not None:
        return f"{f.status_label}: level {f.level} from {f.proven_by.shown_name}"
    if f.not_counted:
        return "Not covered: " + "; ".join(f"{b.shown_name} does not count, {why}" for b, why in f.not_counted)
    return "Not covered"


def shortlist_csv(table_: Comparison) -> str:
    """One row per candidate, one column per skill (plus counts)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Candidate", "Email", "Status", "Skills covered", "Skills covered below target"]
        + [f"{r.skill.label} (target {r.target_level})" for r in table_.requirements]
    )
    for c in table_.candidates:
        fits = table_.fits[c.id]
        writer.writerow(
            [csv_cell(x) for x in (c.name, c.email, c.status_label, c.skills_met, c.skills_partly)]
            + [csv_cell(_cell_words(f)) for f in fits]
        )
    return out.getvalue()


def _badge_rows(badges: list[CandidateBadge]) -> list[list]:
    return [
        [
            b.shown_name,
            b.issuer_name or "Unknown issuer",
            b.verdict_label + (f": {b.reason}" if b.reason else ""),
            london(b.checked_at),
            str(b.verification_id) if b.verification_id else "-",
        ]
        for b in badges
    ]


PANEL_LIMIT = 50  # candidates in one panel PDF


def _panel_candidates(vacancy: Vacancy, filters: queries.CompareFilters) -> Comparison:
    """The candidates the panel PDF shows (the comparison's filters and order, PANEL_LIMIT)."""
    return fit.comparison(vacancy, queries.compared(vacancy, filters, limit=PANEL_LIMIT))


def panel_for(actor, vacancy: Vacancy, filters: queries.CompareFilters, prepared_by: str) -> tuple[bytes, str] | Job:
    """The hiring panel's pack as (PDF, file name), or for many candidates the job making it."""
    rows = min(queries.compared_count(vacancy, filters), PANEL_LIMIT)
    params = {"vacancy_id": vacancy.id, "filters": filters.query_args(), "prepared_by": prepared_by}
    return jobs.now_or_later(
        actor, vacancy.organisation, "hiring_panel", f"Hiring panel pack for {vacancy.title}", params, rows=rows
    )


@jobs.report("hiring_panel")
def _panel_file(params: dict) -> tuple[bytes, str]:
    vacancy = jobs.still_there(Vacancy, params["vacancy_id"], "vacancy")
    filters = queries.CompareFilters.from_args(MultiDict(params["filters"]))
    return panel_pdf(
        vacancy, _panel_candidates(vacancy, filters), params["prepared_by"]
    ), f"vacancy-{vacancy.id}-panel.pdf"


def panel_pdf(vacancy: Vacancy, table_: Comparison, prepared_by: str) -> bytes:
    """The hiring panel's pack: one page per candidate."""
    story: list = []
    for n, c in enumerate(table_.candidates):
        if n:
            story.append(PageBreak())
        story += [
            para(f"{vacancy.title}: {c.name}", H1),
            para(
                f"{vacancy.organisation.name}. Closing date {london_date(vacancy.closes_on)}. "
                f"Candidate status: {c.status_label}. Applied {london(c.created_at)}.",
                BODY,
            ),
            para(
                f"Skills covered: {c.skills_met} of {len(table_.requirements)}; below target: {c.skills_partly}.", BODY
            ),
            para("Fit against the role", H2),
            table(
                ["Skill", "Target", "Verified level", "Evidence"],
                [
                    [f.requirement.skill.label, _level(f.requirement.target_level), _level(f.level), _cell_words(f)]
                    for f in table_.fits[c.id]
                ]
                or [["This vacancy asks for no skills", "", "", ""]],
                [48 * mm, 26 * mm, 26 * mm, 74 * mm],
            ),
            para("Badges and their verification", H2),
            table(
                ["Badge", "Issuer", "Verdict", "Checked", "Check no."],
                _badge_rows(table_.badges.get(c.id, [])) or [["No badges shared", "", "", "", ""]],
                [46 * mm, 34 * mm, 50 * mm, 28 * mm, 16 * mm],
            ),
            Spacer(1, 4 * mm),
            para(
                "Skills count only when a badge verified as valid and names the candidate. Each check's "
                "full detail is in the organisation's verification history under the number shown.",
                SMALL,
            ),
        ]
    if not story:
        story = [para(vacancy.title, H1), para("No candidates were chosen for the panel.", BODY)]
    story += [Spacer(1, 4 * mm), para(f"Prepared by {prepared_by} on Credwork.", SMALL)]
    return build(story, f"Hiring panel: {vacancy.title}")
