"""The evidence workflow: draft -> submitted -> (returned with feedback -> resubmitted) ->
signed off. The apprentice or their line manager records an entry and claims the KSBs it
shows; the assessor signs off each claimed KSB or returns the entry with written feedback.
Nobody signs off evidence they recorded. A signed-off entry never changes: a correction is a
new entry that names it. Every change is audited for both organisations.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from flask import current_app
from sqlalchemy import func, select

from app.domain.calendar import london_date
from app.extensions import db
from app.models import Apprenticeship, EvidenceClaim, EvidenceComment, EvidenceEntry, EvidenceFile, Party, utcnow
from app.models.evidence import LINE_MANAGER_TYPES, EvidenceStatus, EvidenceType
from app.services.apprenticeships.errors import ApprenticeshipError
from app.services.apprenticeships.history import audit_both
from app.services.evidence import storage, uploads

S = EvidenceStatus


@dataclass
class EntryDetails:
    title: str
    work_date: date | None
    description: str
    type: str
    outcome_ids: list[int] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def _recorded_as(actor_parties: set[Party], entry_type: str) -> str:
    if Party.APPRENTICE in actor_parties:
        return Party.APPRENTICE
    if Party.EMPLOYER in actor_parties:
        if entry_type not in LINE_MANAGER_TYPES:
            raise ApprenticeshipError(
                "A line manager records an observation or a witness testimony: their own statement.", field="type"
            )
        return Party.EMPLOYER
    raise ApprenticeshipError("Only the apprentice or their line manager records evidence.")


def _check(a: Apprenticeship, details: EntryDetails, today: date) -> list[int]:
    if not details.title.strip():
        raise ApprenticeshipError("Give the evidence a title.", field="title")
    if details.work_date is None:
        raise ApprenticeshipError("Enter the date of the work.", field="work_date")
    if details.work_date > today:
        raise ApprenticeshipError("The date of the work cannot be in the future.", field="work_date")
    if details.type not in set(EvidenceType):
        raise ApprenticeshipError("Choose the type of evidence.", field="type")
    if not details.description.strip():
        raise ApprenticeshipError("Describe the work and what it shows.", field="description")
    for link in details.links:
        if not link.startswith(("https://", "http://")):
            raise ApprenticeshipError("Links must start with https://", field="links")
    known = {o.id for o in a.programme.outcomes}
    chosen = [i for i in dict.fromkeys(details.outcome_ids) if i in known]
    if len(chosen) != len(set(details.outcome_ids)):
        raise ApprenticeshipError("Choose KSBs of this programme.", field="outcome_ids")
    return chosen


def record(
    actor, a: Apprenticeship, details: EntryDetails, actor_parties: set[Party], today: date, *, corrects=None
) -> EvidenceEntry:
    """A new draft entry by the apprentice, or a line manager's own statement."""
    recorded_as = _recorded_as(actor_parties, details.type)
    if Party.EMPLOYER == recorded_as and actor_parties and a.line_manager_id is None:
        raise ApprenticeshipError("Only the apprentice's line manager records evidence for the employer.")
    outcome_ids = _check(a, details, today)
    entry = EvidenceEntry(
        apprenticeship_id=a.id,
        title=details.title.strip()[:200],
        work_date=details.work_date,
        description=details.description.strip(),
        type=details.type,
        links=[link.strip()[:500] for link in details.links][:10],
        recorded_by_id=actor.id,
        recorded_as=recorded_as,
        corrects_id=corrects.id if corrects is not None else None,
    )
    entry.claims = [EvidenceClaim(outcome_id=i) for i in outcome_ids]
    db.session.add(entry)
    db.session.flush()
    audit_both(actor, a, "evidence.record", entry, f"Recorded evidence: {entry.title}")
    return entry


def update(actor, a: Apprenticeship, entry: EvidenceEntry, details: EntryDetails, today: date) -> None:
    """Change a draft or returned entry (its recorder only)."""
    _editable_by(actor, entry)
    outcome_ids = _check(a, details, today)
    assert details.work_date is not None  # _check refuses an entry without one
    entry.title, entry.work_date = details.title.strip()[:200], details.work_date
    entry.description, entry.type = details.description.strip(), details.type
    entry.links = [link.strip()[:500] for link in details.links][:10]
    entry.claims = [c for c in entry.claims if c.outcome_id in outcome_ids] + [
        EvidenceClaim(outcome_id=i) for i in outcome_ids if i not in {c.outcome_id for c in entry.claims}
    ]
    db.session.flush()
    audit_both(actor, a, "evidence.update", entry, f"Changed evidence: {entry.title}")


def _editable_by(actor, entry: EvidenceEntry) -> None:
    if entry.is_locked:
        raise ApprenticeshipError("Signed-off evidence never changes. Record a correction instead.")
    if not entry.is_editable:
        raise ApprenticeshipError("This evidence is with the assessor; it can change once it is returned.")
    if entry.recorded_by_id != actor.id:
        raise ApprenticeshipError("Only the person who recorded this evidence can change it.")


def used_bytes(a: Apprenticeship) -> int:
    return (
        db.session.scalar(
            select(func.coalesce(func.sum(EvidenceFile.size), 0)).where(EvidenceFile.apprenticeship_id == a.id)
        )
        or 0
    )


def attach(
    actor, a: Apprenticeship, entry: EvidenceEntry, filename: str | None, upload: bytes | BinaryIO
) -> EvidenceFile:
    """Check the upload (bytes, or a stream read up to one byte past the limit) by its content
    and keep it; nothing is stored if it is refused."""
    _editable_by(actor, entry)
    config = current_app.config
    content = upload if isinstance(upload, bytes) else upload.read(config["EVIDENCE_MAX_FILE_BYTES"] + 1)
    checked = uploads.check(
        filename,
        content,
        max_bytes=config["EVIDENCE_MAX_FILE_BYTES"],
        room_left=config["EVIDENCE_MAX_APPRENTICE_BYTES"] - used_bytes(a),
    )
    key = storage.store().save(checked.content)
    kept = EvidenceFile(
        entry_id=entry.id,
        apprenticeship_id=a.id,
        storage_key=key,
        filename=checked.filename,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
        uploaded_by_id=actor.id,
    )
    db.session.add(kept)
    db.session.flush()
    audit_both(actor, a, "evidence.file", entry, f"Attached {kept.filename} to {entry.title}")
    return kept


def submit(actor, a: Apprenticeship, entry: EvidenceEntry) -> None:
    _editable_by(actor, entry)
    if not entry.claims:
        raise ApprenticeshipError(
            "Choose at least one KSB this evidence shows before submitting it.", field="outcome_ids"
        )
    entry.status = S.RESUBMITTED if entry.status == S.RETURNED else S.SUBMITTED
    entry.submitted_at = utcnow()
    db.session.flush()
    audit_both(actor, a, "evidence.submit", entry, f"Submitted evidence: {entry.title}")


def _assessing(actor, entry: EvidenceEntry, refusal: str | None) -> None:
    if refusal:
        raise ApprenticeshipError(refusal)
    if not entry.awaits_assessor:
        raise ApprenticeshipError("Only submitted evidence is signed off or returned.")


def return_with_feedback(actor, a: Apprenticeship, entry: EvidenceEntry, feedback: str, refusal: str | None) -> None:
    """The assessor sends the entry back with written feedback."""
    _assessing(actor, entry, refusal)
    if not feedback.strip():
        raise ApprenticeshipError("Write the feedback the apprentice needs.", field="feedback")
    entry.status = S.RETURNED
    db.session.add(
        EvidenceComment(entry_id=entry.id, author_id=actor.id, body=feedback.strip()[:4000], is_feedback=True)
    )
    db.session.flush()
    audit_both(actor, a, "evidence.return", entry, f"Returned evidence with feedback: {entry.title}")


def sign_off(actor, a: Apprenticeship, entry: EvidenceEntry, outcome_ids: list[int], refusal: str | None) -> None:
    """The assessor signs off claimed KSBs; when every claim is signed off, the entry is locked."""
    _assessing(actor, entry, refusal)
    claims = {c.outcome_id: c for c in entry.claims}
    if not outcome_ids or any(i not in claims for i in outcome_ids):
        raise ApprenticeshipError("Choose the KSBs this evidence shows.", field="outcome_ids")
    now = utcnow()
    for i in outcome_ids:
        claims[i].signed_off_at, claims[i].signed_off_by_id = now, actor.id
    if all(c.signed_off_at for c in entry.claims):
        entry.status, entry.signed_off_at, entry.signed_off_by_id = S.SIGNED_OFF, now, actor.id
    db.session.flush()
    codes = ", ".join(claims[i].outcome.code for i in outcome_ids)
    audit_both(actor, a, "evidence.sign_off", entry, f"Signed off {codes} for {entry.title}")


def comment(actor, a: Apprenticeship, entry: EvidenceEntry, body: str) -> EvidenceComment:
    if not body.strip():
        raise ApprenticeshipError("Write a comment.", field="body")
    made = EvidenceComment(entry_id=entry.id, author_id=actor.id, body=body.strip()[:4000])
    db.session.add(made)
    db.session.flush()
    audit_both(actor, a, "evidence.comment", entry, f"Commented on {entry.title}")
    return made


def correct(actor, a: Apprenticeship, entry: EvidenceEntry, actor_parties: set[Party], today: date) -> EvidenceEntry:
    """A new draft that corrects a signed-off entry (which stays as it was)."""
    if not entry.is_locked:
        raise ApprenticeshipError("Only signed-off evidence needs a correction; change this entry instead.")
    details = EntryDetails(
        title=f"Correction: {entry.title}"[:200],
        work_date=entry.work_date,
        description=entry.description,
        type=entry.type,
        outcome_ids=[c.outcome_id for c in entry.claims],
        links=list(entry.links or []),
    )
    return record(actor, a, details, actor_parties, today, corrects=entry)


def read_file(kept: EvidenceFile) -> bytes:
    """The file's content; FileMissing (a clear message) if storage has lost it."""
    return storage.store().read(kept.storage_key)


def entries_page(a: Apprenticeship, page: int, per_page: int = 20, status: str = ""):
    stmt = (
        select(EvidenceEntry)
        .where(EvidenceEntry.apprenticeship_id == a.id)
        .options(db.selectinload(EvidenceEntry.claims))  # the KSB codes of each row, in one query
    )
    if status in set(S):
        stmt = stmt.where(EvidenceEntry.status == status)
    return db.paginate(
        stmt.order_by(EvidenceEntry.work_date.desc(), EvidenceEntry.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )


def describe(entry: EvidenceEntry) -> str:
    return f"{entry.title} ({entry.type_label}, {london_date(entry.work_date)})"
