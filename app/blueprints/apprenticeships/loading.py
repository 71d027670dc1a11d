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


def _child(model, child_id: int, **parent):
    """A record of the apprenticeship (or entry) named in `parent`, else 404."""
    found = db.session.get(model, child_id) if 0 < child_id < 2**31 else None
    if found is None or any(getattr(found, name) != value for name, value in parent.items()):
        abort(404)
    return found


def entry(a: Apprenticeship, entry_id: int) -> OffTheJobEntry:
    return _child(OffTheJobEntry, entry_id, apprenticeship_id=a.id)


def review(a: Apprenticeship, review_id: int) -> ProgressReview:
    return _child(ProgressReview, review_id, apprenticeship_id=a.id)


def evidence_entry(a: Apprenticeship, entry_id: int) -> EvidenceEntry:
    return _child(EvidenceEntry, entry_id, apprenticeship_id=a.id)


def evidence_file(entry: EvidenceEntry, file_id: int) -> EvidenceFile:
    return _child(EvidenceFile, file_id, entry_id=entry.id)


def programme(programme_id: int) -> Programme:
    return get_for(acting_org(), Programme, programme_id)


def cohort(cohort_id: int) -> Cohort:
    return get_for(acting_org(), Cohort, cohort_id)
