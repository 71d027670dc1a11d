"""Awarding a badge completes the learner's enrolled CPD request for that micro-credential."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import HeldCredential
from app.models.cpd import SponsorshipStatus as S
from app.services.cpd.requests import CourseDetails
from tests.factories.cpd import employer, request
from tests.factories.issuing import award, provider_with_record


def test_award_completes_the_enrolled_sponsorship_once(app):
    provider, coordinator, record = provider_with_record()
    e = employer()
    sponsorship = request(
        e,
        state=S.ENROLLED,
        details=CourseDetails(reason="For the data role", micro_credential_id=record.id, cost_pence=20_000, hours=80),
    )
    issued = award(provider, coordinator, record, name=e.employee.name, email=e.employee.email)
    assert sponsorship.status == S.COMPLETED and sponsorship.issued_credential_id == issued.id
    held = db.session.scalars(select(HeldCredential).where(HeldCredential.user_id == e.employee.id)).all()
    assert len(held) == 1 and held[0].issued_credential_id == issued.id
