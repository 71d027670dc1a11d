"""Completed CPD feeds the skills gap analysis: the gap a sponsored micro-credential teaches shrinks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Membership, MicroCredential, Organisation, User
from app.models.cpd import SponsorshipStatus as S
from app.services import cpd
from app.services.cpd.requests import CourseDetails
from app.services.skills import gaps
from app.services.skills.gaps import GapState
from seeds import load_demo


def test_completing_sponsored_cpd_shrinks_the_skills_gap():
    load_demo(log=lambda *_: None)
    org = db.session.scalar(select(Organisation).where(Organisation.slug == "kelvin-marine"))
    priya = db.session.scalar(select(User).where(User.email == "priya.shah@kelvinmarine.example"))
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == priya.id, Membership.organisation_id == org.id)
    )
    before = gaps.person_gaps(org, membership)
    missing = {g.skill.id: g for g in before.in_state(GapState.MISSING)}
    assert missing, "the demo data analyst should have a missing skill"
    candidates = db.session.scalars(select(MicroCredential).where(MicroCredential.status == "published")).all()
    mc = next(
        m
        for m in candidates
        if any(s.id in missing for s in m.skills) and (m.provider_id, m.code) not in before.held_keys
    )
    taught = next(s for s in mc.skills if s.id in missing)

    s = cpd.requests.create_request(priya, org, CourseDetails(reason="Close my skills gap", micro_credential_id=mc.id))
    cpd.workflow.act(cpd.people.line_manager_of(membership).user, s, "endorse")
    hr = db.session.scalar(select(User).where(User.email == "graham.ross@kelvinmarine.example"))
    year = cpd.budgets.financial_year_of(s.start_date or date.today())
    budget = next(b for b in cpd.budgets.budgets_for(org, year) if b.department == s.department)
    funding = cpd.budgets.funding_years_for(org, budget.financial_year)[0]
    cpd.workflow.act(hr, s, "approve", budget_id=budget.id, funding_year_id=funding.id)
    cpd.workflow.act(priya, s, "enrol")
    assert gaps.person_gaps(org, membership).in_state(GapState.MISSING) == before.in_state(GapState.MISSING)
    cpd.workflow.act(priya, s, "complete")
    assert s.status == S.COMPLETED

    after = gaps.person_gaps(org, membership)
    gap_after = next(g for g in after.gaps if g.skill.id == taught.id)
    assert gap_after.state != GapState.MISSING
    assert len(after.in_state(GapState.MISSING)) < len(before.in_state(GapState.MISSING))
    assert (mc.provider_id, mc.code) in after.held_keys


def test_a_badge_issued_on_credwork_completes_the_enrolled_sponsorship():
    from app.models import HeldCredential
    from tests.factories.cpd import employer, request
    from tests.factories.issuing import award, provider_with_record

    e = employer()
    provider, coordinator, record = provider_with_record(title="Data Analysis Basics")
    s = request(e, state=S.ENROLLED, details=CourseDetails(reason="Needed", micro_credential_id=record.id))
    issued = award(provider, coordinator, record, name=e.employee.name, email=e.employee.email)
    assert s.status == S.COMPLETED and s.issued_credential_id == issued.id
    assert s.events[-1].actor_id is None and "provider issued the badge" in s.events[-1].comment
    rows = db.session.scalars(
        select(HeldCredential).where(
            HeldCredential.user_id == e.employee.id, HeldCredential.organisation_id == e.org.id
        )
    ).all()
    assert len(rows) == 1 and rows[0].sponsorship_id == s.id and rows[0].issued_credential_id == issued.id
