"""Many apprentices at once, for the query-count tests and the dashboards benchmark (and the
scale data to come): bulk inserts, not the services, so thousands take seconds.

Each apprentice is active, has accepted the plan, logs a training day a week for the last few
weeks (all but the newest confirmed) and has one open review. Every seventh logs one hour a
day instead of seven and every eleventh has a review overdue by 40 days, so a cohort that
started a few weeks ago has apprentices on track, at risk and off track.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert, select

from app.extensions import db
from app.models import (
    Apprenticeship,
    Cohort,
    EvidenceClaim,
    EvidenceEntry,
    Membership,
    OffTheJobEntry,
    Party,
    PlanAcceptance,
    ProgressReview,
    RoleGrant,
    User,
)


def add_apprentices(
    cohort: Cohort,
    employer_id: int,
    line_manager: Membership,
    assessor: Membership,
    count: int,
    *,
    today: date,
    label: str = "bulk",
    entries_each: int = 4,
) -> list[int]:
    """Add `count` active apprentices from `employer_id` to `cohort`; returns their ids."""
    now = datetime.now(UTC)
    start = cohort.start_date
    first = db.session.scalar(select(db.func.count(User.id))) or 0
    emails = [f"{label}.apprentice.{first + i}@scale.example" for i in range(count)]
    db.session.execute(
        insert(User),
        [
            {"email": e, "name": f"Apprentice {first + i:05d} {label.title()}", "created_at": now}
            for i, e in enumerate(emails)
        ],
    )
    users = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
    db.session.execute(
        insert(Membership),
        [
            {
                "user_id": users[e],
                "organisation_id": employer_id,
                "status": "active",
                "line_manager_id": line_manager.id,
                "created_at": now,
            }
            for e in emails
        ],
    )
    members = dict(
        db.session.execute(
            select(Membership.user_id, Membership.id).where(Membership.user_id.in_(users.values()))
        ).all()
    )
    db.session.execute(
        insert(RoleGrant), [{"membership_id": m, "role": "learner", "created_at": now} for m in members.values()]
    )
    end = start + timedelta(days=730)
    db.session.execute(
        insert(Apprenticeship),
        [
            {
                "employer_id": employer_id,
                "provider_id": cohort.organisation_id,
                "apprentice_id": members[users[e]],
                "programme_id": cohort.programme_id,
                "cohort_id": cohort.id,
                "line_manager_id": line_manager.id,
                "assessor_id": assessor.id,
                "weekly_minutes": 37 * 60 + 30,
                "start_date": start,
                "planned_end_date": end,
                "status": "active",
                "plan_version": 1,
                "status_changed_at": now,
                "created_at": now,
            }
            for e in emails
        ],
    )
    ids = list(
        db.session.scalars(
            select(Apprenticeship.id)
            .where(Apprenticeship.apprentice_id.in_(members.values()))
            .order_by(Apprenticeship.id)
        )
    )
    db.session.execute(
        insert(PlanAcceptance),
        [
            {
                "apprenticeship_id": a,
                "plan_version": 1,
                "party": party.value,
                "user_id": line_manager.user_id,
                "accepted_at": now,
            }
            for a in ids
            for party in Party
        ],
    )
    entries = []
    for n, a in enumerate(ids):
        behind = n % 7 == 0
        for k in range(entries_each):
            day = today - timedelta(days=7 * (k + 1))
            if day < start:
                break
            entries.append(
                {
                    "apprenticeship_id": a,
                    "day": day,
                    "starts_at": time(9),
                    "ends_at": time(10 if behind else 16),
                    "minutes": 60 if behind else 7 * 60,
                    "activity": "taught_learning",
                    "description": "Scheduled teaching day",
                    "counts": True,
                    "recorded_by_id": assessor.user_id,
                    "confirmed_by_id": None if k == 0 else assessor.user_id,
                    "confirmed_at": None if k == 0 else now,
                    "created_at": now,
                }
            )
    if entries:
        db.session.execute(insert(OffTheJobEntry), entries)
    db.session.execute(
        insert(ProgressReview),
        [
            {
                "apprenticeship_id": a,
                "number": 1,
                "due_date": today - timedelta(days=40) if n % 11 == 0 else today + timedelta(days=3 + n % 60),
                "status": "scheduled",
                "created_at": now,
            }
            for n, a in enumerate(ids)
        ],
    )
    db.session.flush()
    return ids


def add_evidence(
    apprenticeship_ids: list[int], outcome_ids: list[int], per_apprentice: int, recorded_by_id: int, *, today: date
) -> int:
    """`per_apprentice` entries for each apprenticeship, each claiming one KSB in turn: two in
    three signed off, the rest submitted. Returns how many entries were added."""
    now = datetime.now(UTC)
    entries: list[dict] = [
        {
            "apprenticeship_id": a,
            "title": f"Workplace evidence {n + 1}",
            "work_date": today - timedelta(days=1 + n % 300),
            "description": "Evidence of work done, and what it shows.",
            "type": "product_of_work",
            "status": "signed_off" if n % 3 else "submitted",
            "links": [],
            "recorded_by_id": recorded_by_id,
            "recorded_as": "apprentice",
            "created_at": now,
            "signed_off_at": now if n % 3 else None,
        }
        for a in apprenticeship_ids
        for n in range(per_apprentice)
    ]
    before = db.session.scalar(select(db.func.max(EvidenceEntry.id))) or 0
    for start in range(0, len(entries), 5_000):
        db.session.execute(insert(EvidenceEntry), entries[start : start + 5_000])
    made = db.session.execute(
        select(EvidenceEntry.id, EvidenceEntry.apprenticeship_id, EvidenceEntry.status)
        .where(EvidenceEntry.apprenticeship_id.in_(apprenticeship_ids), EvidenceEntry.id > before)
        .order_by(EvidenceEntry.id)
    ).all()
    claims = [
        {
            "entry_id": entry_id,
            "outcome_id": outcome_ids[n % len(outcome_ids)],
            "signed_off_at": now if status == "signed_off" else None,
        }
        for n, (entry_id, _, status) in enumerate(made)
    ]
    for start in range(0, len(claims), 5_000):
        db.session.execute(insert(EvidenceClaim), claims[start : start + 5_000])
    db.session.flush()
    return len(entries)
