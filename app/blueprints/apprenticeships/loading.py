"""Loading an apprenticeship's records for the signed-in person: another organisation's is not
found (404); one in their organisation they are not a party to is refused (403)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.extensions import db
from app.models import (
    Apprenticeship,
    Cohort,
    EvidenceEntry,
    EvidenceFile,
    OffTheJobEntry,
    Party,
    Programme,
    ProgressReview,
)
from app.security.policy import acting_org, current_membership, current_org, parties_of
from app.security.scoping import get_for


def apprenticeship(apprenticeship_id: int) -> tuple[Apprenticeship, set[Party]]:
    """The apprenticeship and the parties the signed-in person acts for in it."""
    if not current_user.is_authenticated:
        abort(401)
    found = get_for(current_org(), Apprenticeship, apprenticeship_id)
    parties = parties_of(current_membership(), found)
    if not parties:
        abort(403)
    return found, parties


def entry(a: Apprenticeship, entry_id: int) -> OffTheJobEntry:
    found = db.session.get(OffTheJobEntry, entry_id) if entry_id < 2**31 else None
    if found is None or found.apprenticeship_id != a.id:
        abort(404)
    return found


def review(a: Apprenticeship, review_id: int) -> ProgressReview:
    found = db.session.get(ProgressReview, review_id) if review_id < 2**31 else None
    if found is None or found.apprenticeship_id != a.id:
        abort(404)
    return found


def evidence_entry(a: Apprenticeship, entry_id: int) -> EvidenceEntry:
    found = db.session.get(EvidenceEntry, entry_id) if entry_id < 2**31 else None
    if found is None or found.apprenticeship_id != a.id:
        abort(404)
    return found


def evidence_file(entry: EvidenceEntry, file_id: int) -> EvidenceFile:
    found = db.session.get(EvidenceFile, file_id) if file_id < 2**31 else None
    if found is None or found.entry_id != entry.id:
        abort(404)
    return found


def programme(programme_id: int) -> Programme:
    return get_for(acting_org(), Programme, programme_id)


def cohort(cohort_id: int) -> Cohort:
    return get_for(acting_org(), Cohort, cohort_id)
