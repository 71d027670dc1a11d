"""Apprenticeship PDFs (ReportLab, in the house style of `app.services.pdf_pages`): an
apprentice's progress report, a cohort report and the signed record of a progress review."""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from sqlalchemy import select

from app.domain.calendar import london, london_date
from app.domain.off_the_job import hours
from app.extensions import db
from app.models import Apprenticeship, Cohort, Job, Membership, Organisation, Party, ProgressReview, User
from app.services import jobs
from app.services.apprenticeships import cohorts, history, plans, reviews
from app.services.apprenticeships.progress import counts, figures_where, progress_of
from app.services.pdf_pages import BODY, H1, H2, SMALL, build, para, table


def _percent(value: int | None) -> str:
    return "n/a" if value is None else f"{value}%"


def progress_report(a: Apprenticeship, today: date) -> bytes:
    """Where one apprentice stands: the plan, hours, status with reasons, reviews, modules."""
    p = progress_of([a], today)[0]
    h = p.hours
    name = a.apprentice.user.name
    title = f"Apprenticeship progress report: {name}"
    programme = a.programme
    story = [
        Paragraph(escape(title), H1),
        para(
            f"{programme.title} ({programme.type_label}, version {programme.version}) · produced {london_date(today)}",
            SMALL,
        ),
        Spacer(1, 6),
        table(
            ["Apprentice", name],
            [
                ["Employer", a.employer.name],
                ["Provider", a.provider.name],
                ["Cohort", a.cohort.name],
                [
                    "SCQF",
                    " ".join(
                        x
                        for x in (
                            f"level {programme.scqf_level}" if programme.scqf_level else "",
                            f"{programme.scqf_credits} credit points" if programme.scqf_credits else "",
                        )
                        if x
                    )
                    or "Not credit-rated",
                ],
                ["Line manager", a.line_manager.user.name if a.line_manager else "Not set"],
                ["Assessor", a.assessor.user.name if a.assessor else "Not set"],
                [
                    "Dates",
                    f"{london_date(a.start_date)} to {london_date(a.planned_end_date)} (expected end {london_date(a.expected_end(today))})",
                ],
                ["Stage", a.status_label],
                ["Progress", f"{p.status_label}: {'; '.join(p.reasons) or 'nothing to report'}"],
            ],
            [40 * mm, 134 * mm],
        ),
        Paragraph("Off-the-job training", H2),
        para(f"Target: {programme.target_label}.", BODY),
        table(
            ["Target", "Logged", "Confirmed", "Expected to date", "Of target", "Of expected"],
            [
                [
                    hours(h.target),
                    hours(h.logged),
                    hours(h.confirmed),
                    hours(h.expected),
                    _percent(h.percent_of_target),
                    _percent(h.percent_of_expected),
                ]
            ],
            [29 * mm] * 6,
            {0, 1, 2, 3, 4, 5},
        ),
    ]
    if a.breaks:
        story += [
            Paragraph("Breaks in learning", H2),
            table(
                ["From", "To", "Reason"],
                [
                    [london_date(b.start_date), london_date(b.end_date) if b.end_date else "continuing", b.reason]
                    for b in a.breaks
                ],
                [30 * mm, 30 * mm, 114 * mm],
            ),
        ]
    if a.prior_learning:
        story += [
            Paragraph("Recognised prior learning", H2),
            table(["Recognised", "Reason"], [[x.what, x.reason] for x in a.prior_learning], [74 * mm, 100 * mm]),
        ]
    results = plans.module_results(a)
    if programme.modules:
        story += [
            Paragraph("Modules", H2),
            table(
                ["Module", "Result"],
                [
                    [
                        m.micro_credential.title,
                        f"{results[m.id].result} on {london_date(results[m.id].result_date)}"
                        if m.id in results
                        else "No result yet",
                    ]
                    for m in programme.modules
                ],
                [120 * mm, 54 * mm],
            ),
        ]
    found = reviews.reviews_of(a)
    story += [
        Paragraph("Progress reviews", H2),
        table(
            ["Review", "Due", "Held", "State"],
            [
                [f"Review {r.number}", london_date(r.due_date), london_date(r.held_on) or "Not yet", r.status_label]
                for r in found
            ],
            [30 * mm, 40 * mm, 40 * mm, 64 * mm],
        ),
    ]
    open_actions = [x for r in found for x in r.actions if x.done_at is None]
    if open_actions:
        story += [
            Paragraph("Open actions", H2),
            table(
                ["Action", "Owner", "Due"],
                [[x.description, Party(x.owner).label, london_date(x.due_date)] for x in open_actions],
                [110 * mm, 30 * mm, 34 * mm],
            ),
        ]
    story += [
        Paragraph("Recent changes", H2),
        table(
            ["When", "Who", "What"],
            [[london(e.at), e.actor.name if e.actor else "Credwork", e.summary] for e in history.recent(a, 15)],
            [36 * mm, 34 * mm, 104 * mm],
        ),
    ]
    return build(story, title)


def cohort_report(cohort: Cohort, today: date) -> bytes:
    """The cohort's counts, then one line per apprentice (in a fixed number of queries)."""
    figures = figures_where(Apprenticeship.cohort_id == cohort.id, today)
    rows = db.session.execute(
        select(Apprenticeship.id, User.name, Apprenticeship.status)
        .join(Membership, Apprenticeship.apprentice_id == Membership.id)
        .join(User, Membership.user_id == User.id)
        .where(Apprenticeship.cohort_id == cohort.id)
        .order_by(User.name)
    ).all()
    employers = dict(
        db.session.execute(
            select(Apprenticeship.id, Membership.organisation_id)
            .join(Membership, Apprenticeship.apprentice_id == Membership.id)
            .where(Apprenticeship.cohort_id == cohort.id)
        ).all()
    )
    names = dict(
        db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(set(employers.values())))
        ).all()
    )
    tally = counts(figures.values())
    title = f"Cohort report: {cohort.name}"
    story = [
        Paragraph(escape(title), H1),
        para(
            f"{cohort.programme.title} (version {cohort.programme.version}) · starts {london_date(cohort.start_date)} · produced {london_date(today)}",
            SMALL,
        ),
        Spacer(1, 6),
        table(
            ["Apprentices", "On track", "At risk", "Off track"],
            [[str(len(rows)), str(tally["on_track"]), str(tally["at_risk"]), str(tally["off_track"])]],
            [43 * mm] * 4,
            {0, 1, 2, 3},
        ),
        Paragraph("Apprentices", H2),
    ]
    lines = []
    for a, name, status in rows:
        f = figures[a]
        judged = f.assessment
        progress = f"{judged.status.label}: {judged.reasons[0]}" if judged else status.replace("_", " ").capitalize()
        lines.append(
            [
                name,
                names.get(employers[a], ""),
                progress,
                f"{hours(f.hours.logged)} / {hours(f.hours.expected)}",
                "Paused" if status == "break_in_learning" else london_date(f.next_review_due) or "None",
            ]
        )
    story.append(
        table(
            ["Apprentice", "Employer", "Progress", "Hours (logged / expected)", "Next review"],
            lines,
            [32 * mm, 34 * mm, 58 * mm, 24 * mm, 26 * mm],
            {3},
        )
    )
    return build(story, title)


def review_record(review: ProgressReview) -> bytes:
    """The record of one progress review, with each party's signature."""
    a = review.apprenticeship
    name = a.apprentice.user.name
    title = f"Progress review {review.number}: {name}"
    scores = reviews.ratings_by_outcome(review)
    signed = {Party(s.party): s for s in review.signatures}
    story = [
        Paragraph(escape(title), H1),
        para(f"{a.programme.title} · {a.employer.name} and {a.provider.name}", SMALL),
        para(
            "Locked: signed by all three parties on " + london(review.locked_at)
            if review.is_locked
            else "Not yet signed by all three parties.",
            SMALL,
        ),
        Spacer(1, 6),
        table(
            ["Review", str(review.number)],
            [
                ["Due", london_date(review.due_date)],
                ["Held", london_date(review.held_on) or "Not yet"],
                ["Progress since the last review", review.progress or ""],
                ["Off-the-job position", reviews.snapshot_words(review)],
                ["Wellbeing and support needs", review.wellbeing or "None recorded"],
            ],
            [50 * mm, 124 * mm],
        ),
        Paragraph("KSB ratings (1 to 5)", H2),
        table(
            ["KSB", "Apprentice", "Employer", "Provider"],
            [
                [f"{o.code}: {o.description}", *(str(scores.get(o.id, {}).get(party.value, "–")) for party in Party)]
                for o in a.programme.outcomes
            ],
            [114 * mm, 20 * mm, 20 * mm, 20 * mm],
            {1, 2, 3},
        ),
        Paragraph("Agreed actions", H2),
        table(
            ["Action", "Owner", "Due", "Done"],
            [
                [x.description, Party(x.owner).label, london_date(x.due_date), london(x.done_at) or "Open"]
                for x in review.actions
            ]
            or [["None agreed", "", "", ""]],
            [90 * mm, 24 * mm, 28 * mm, 32 * mm],
        ),
        Paragraph("Signatures", H2),
        table(
            ["Party", "Signed by", "When"],
            [
                [
                    party.label,
                    signed[party].user.name if party in signed else "Not signed",
                    london(signed[party].signed_at) if party in signed else "",
                ]
                for party in Party
            ],
            [40 * mm, 70 * mm, 64 * mm],
        ),
    ]
    return build(story, title)


def cohort_report_for(actor, org, cohort: Cohort, today: date) -> tuple[bytes, str] | Job:
    """The cohort report as (PDF, file name), or for a large cohort the job making it."""
    title, params = f"Cohort report: {cohort.name}", {"cohort_id": cohort.id, "today": today.isoformat()}
    return jobs.now_or_later(actor, org, "cohort_report", title, params, rows=cohorts.size(cohort))


@jobs.report("cohort_report")
def _cohort_report_file(params: dict) -> tuple[bytes, str]:
    cohort = jobs.still_there(Cohort, params["cohort_id"], "cohort")
    today = date.fromisoformat(params["today"])
    return cohort_report(cohort, today), f"cohort-report-{cohort.name}-{today}.pdf"
