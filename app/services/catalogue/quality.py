"""Quality assurance of the hub's micro-credentials: a provider submits one published version
for review; a platform reviewer checks it against the published criteria (QA_CRITERIA), one
outcome and note each, and approves it or asks for changes, with comments the provider sees.

An approval belongs to one version and lasts QA_REVIEW_YEARS (3 by default). It is copied onto
the version as `quality_assured_until` here and nowhere else; `MicroCredential.quality_assured`
states the rule. A new version starts unapproved, and retiring a version withdraws a review
still waiting for it. Every step is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.domain import DomainError
from app.domain.calendar import london_date
from app.extensions import db
from app.models import MicroCredential, QualityReview, RecordStatus, ReviewStatus, utcnow
from app.models.catalogue import QA_CRITERIA, CriterionOutcome
from app.security.policy import quality_review_refusal
from app.services import audit

PAGE_SIZE = 25
MIN_NOTIONAL_HOURS = 10
CRITERIA = QA_CRITERIA
QUEUE_FILTERS = {
    "waiting": (ReviewStatus.SUBMITTED,),
    "approved": (ReviewStatus.APPROVED,),
    "changes": (ReviewStatus.CHANGES_REQUESTED,),
    "all": tuple(ReviewStatus),
}


class QualityReviewError(DomainError):
    """A quality-review rule was broken; the message is for the person."""


@dataclass(frozen=True)
class Finding:
    """One criterion as the reviewer records it."""

    outcome: str
    note: str = ""


def review_years() -> int:
    return int(current_app.config.get("QA_REVIEW_YEARS", 3))


def years_after(moment: datetime, years: int) -> datetime:
    """The same day and time `years` later (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def open_review(record: MicroCredential) -> QualityReview | None:
    """The review waiting for this version, if any."""
    return db.session.scalar(
        select(QualityReview).where(
            QualityReview.micro_credential_id == record.id, QualityReview.status == ReviewStatus.SUBMITTED
        )
    )


def submit(actor, record: MicroCredential, note: str = "") -> QualityReview:
    """Ask the platform to review this published version."""
    if record.status != RecordStatus.PUBLISHED:
        raise QualityReviewError("Only a published version can be submitted for quality review")
    if open_review(record) is not None:
        raise QualityReviewError(f"Version {record.version} of {record.code} is already waiting for review")
    if record.quality_assured:
        until = record.quality_assured_until
        raise QualityReviewError(
            f"Version {record.version} of {record.code} is already quality-assured"
            + (f" until {london_date(until)}" if until else "")
        )
    review = QualityReview(
        micro_credential_id=record.id,
        organisation_id=record.provider_id,
        status=ReviewStatus.SUBMITTED,
        submitted_by_id=getattr(actor, "id", None),
        submitted_at=utcnow(),
        submission_note=(note or "").strip() or None,
    )
    db.session.add(review)
    db.session.flush()
    audit.record(
        actor,
        "quality_review.submit",
        review,
        f"Submitted {record.code} version {record.version} for quality review",
        organisation=record.provider_id,
        code=record.code,
        version=record.version,
    )
    return review


def suggested(record: MicroCredential) -> dict[str, str]:
    """Outcomes the record's own data decides, to start the reviewer's form: the notional hours,
    and the credit criterion where the record claims no credit. The reviewer still decides."""
    hours = CriterionOutcome.MET if (record.notional_hours or 0) >= MIN_NOTIONAL_HOURS else CriterionOutcome.NOT_MET
    found = {"notional_hours": str(hours)}
    if not record.credit_bearing:
        found["credit_rated"] = str(CriterionOutcome.NOT_APPLICABLE)
    return found


def evidence(record: MicroCredential) -> dict[str, str]:
    """What the record says about each criterion, for the reviewer to check."""
    outcomes = record.learning_outcomes or []
    credit = (
        f"Claims {record.scqf_credits} SCQF credit points; {record.qa_label.lower()}"
        + (f" by {record.qa_body}" if record.qa_body else "")
        if record.credit_bearing
        else "Claims no credit, so this criterion does not apply"
    )
    return {
        "learning_outcomes": f"{len(outcomes)} learning outcome{'' if len(outcomes) == 1 else 's'} stated",
        "notional_hours": f"{record.notional_hours} notional hours (at least {MIN_NOTIONAL_HOURS} needed)",
        "assessed": f"Assessment: {record.assessment_type or 'none stated'}",
        "credit_rated": credit,
        "provider_qa": f"{record.qa_label}" + (f" ({record.qa_body})" if record.qa_body else ""),
    }


def decide(
    actor, membership, review: QualityReview, findings: dict[str, Finding], *, approve: bool, comments: str
) -> QualityReview:
    """Record the reviewer's outcome for every criterion and approve the version (every
    applicable criterion met) or ask the provider for changes (comments say what)."""
    refusal = quality_review_refusal(membership, review)
    if refusal:
        raise QualityReviewError(refusal)
    record = review.record
    if record.status != RecordStatus.PUBLISHED:
        raise QualityReviewError(f"Version {record.version} of {record.code} is no longer published")
    recorded: dict[str, dict[str, str]] = {}
    for key, label in CRITERIA:
        finding = findings.get(key)
        if finding is None or finding.outcome not in set(CriterionOutcome):
            raise QualityReviewError(f"Record an outcome for “{label}”")
        outcome = finding.outcome
        if key == "credit_rated" and not record.credit_bearing:
            outcome = CriterionOutcome.NOT_APPLICABLE  # no credit claimed: nothing to rate
        elif outcome == CriterionOutcome.NOT_APPLICABLE:
            raise QualityReviewError(f"“{label}” applies to every micro-credential: record met or not met")
        recorded[key] = {"outcome": str(outcome), "note": finding.note.strip()}
    comments = (comments or "").strip()
    unmet = [label for key, label in CRITERIA if recorded[key]["outcome"] == CriterionOutcome.NOT_MET]
    if approve and unmet:
        raise QualityReviewError(f"A version can be approved only when every criterion is met; not met: {unmet[0]}")
    if not approve and not comments:
        raise QualityReviewError("Say in your comments what the provider should change")
    now = utcnow()
    review.criteria = recorded
    review.comments = comments or None
    review.reviewer_id = actor.id
    review.reviewer_organisation_id = membership.organisation_id
    review.reviewed_at = now
    if approve:
        review.status = ReviewStatus.APPROVED
        review.expires_at = years_after(now, review_years())
        record.quality_assured_until = review.expires_at
    else:
        review.status = ReviewStatus.CHANGES_REQUESTED
    db.session.flush()
    audit.record(
        actor,
        "quality_review.approve" if approve else "quality_review.request_changes",
        review,
        f"{'Approved' if approve else 'Asked for changes to'} {record.code} version {record.version} "
        + ("as quality-assured" if approve else "before quality assurance"),
        organisation=record.provider_id,
        code=record.code,
        version=record.version,
        criteria={k: v["outcome"] for k, v in recorded.items()},
        expires_at=review.expires_at.isoformat() if review.expires_at else None,
    )
    return review


def withdraw_open(actor, record: MicroCredential) -> None:
    """A retired version is not reviewed: the review waiting for it is withdrawn."""
    review = open_review(record)
    if review is None:
        return
    review.status = ReviewStatus.WITHDRAWN
    db.session.flush()
    audit.record(
        actor,
        "quality_review.withdraw",
        review,
        f"Withdrew the quality review of {record.code} version {record.version}: the version was retired",
        organisation=record.provider_id,
        code=record.code,
        version=record.version,
    )


def current_approval(record: MicroCredential) -> QualityReview | None:
    """The approval that makes this version quality-assured now (None if it is not)."""
    if not record.quality_assured:
        return None
    return db.session.scalar(
        select(QualityReview)
        .where(
            QualityReview.micro_credential_id == record.id,
            QualityReview.status == ReviewStatus.APPROVED,
            QualityReview.expires_at > utcnow(),
        )
        .options(joinedload(QualityReview.reviewer), joinedload(QualityReview.reviewer_organisation))
        .order_by(QualityReview.reviewed_at.desc())
        .limit(1)
    )


def assurance_sentence(review: QualityReview) -> str:
    """Who assured the version and when, in one sentence (the hub page and the Achievement)."""
    return (
        f"Quality-assured by {review.assured_by} on {london_date(review.reviewed_at)}, "
        f"review due {london_date(review.expires_at)}."
    )


def reviews_of(record: MicroCredential) -> list[QualityReview]:
    """Every review of this version, newest first, for its provider's page."""
    return list(
        db.session.scalars(
            select(QualityReview)
            .where(QualityReview.micro_credential_id == record.id)
            .options(joinedload(QualityReview.reviewer), joinedload(QualityReview.reviewer_organisation))
            .order_by(QualityReview.submitted_at.desc(), QualityReview.id.desc())
        ).unique()
    )


def waiting_count() -> int:
    """How many reviews are waiting for a reviewer (the reviewer's dashboard to-do)."""
    return (
        db.session.scalar(select(func.count(QualityReview.id)).where(QualityReview.status == ReviewStatus.SUBMITTED))
        or 0
    )


def queue(show: str, page: int) -> tuple[list[QualityReview], int]:
    """One page of reviews with these statuses (waiting ones oldest first, others newest first)
    and the total, each with its version, provider and people loaded."""
    statuses = QUEUE_FILTERS.get(show, QUEUE_FILTERS["waiting"])
    stmt = select(QualityReview).where(QualityReview.status.in_([str(s) for s in statuses]))
    total = db.session.scalar(select(func.count()).select_from(stmt.with_only_columns(QualityReview.id).subquery()))
    order = (
        [QualityReview.submitted_at, QualityReview.id]
        if show == "waiting"
        else [QualityReview.submitted_at.desc(), QualityReview.id.desc()]
    )
    reviews = db.session.scalars(
        stmt.options(
            joinedload(QualityReview.record),
            joinedload(QualityReview.provider),
            joinedload(QualityReview.submitted_by),
            joinedload(QualityReview.reviewer),
        )
        .order_by(*order)
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).unique()
    return list(reviews), total or 0
