"""The demo CPD data: every state at both employers, money that adds up, loaded once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import HeldCredential, Organisation
from app.models.cpd import CpdBudget, FundingSourceYear, Sponsorship, SponsorshipEvent, SponsorshipStatus
from seeds import load_demo


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_cpd_has_every_state_and_consistent_money():
    load_demo(log=lambda *_: None)
    first = (_count(Sponsorship), _count(SponsorshipEvent), _count(CpdBudget), _count(FundingSourceYear))
    load_demo(log=lambda *_: None)
    assert (_count(Sponsorship), _count(SponsorshipEvent), _count(CpdBudget), _count(FundingSourceYear)) == first

    for slug in ("kelvin-marine", "tay-valley-health"):
        org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        requests = list(db.session.scalars(select(Sponsorship).where(Sponsorship.organisation_id == org.id)))
        assert {s.status for s in requests} == {s.value for s in SponsorshipStatus}, slug
        # What the budgets say was committed and spent is exactly the sum over the requests.
        budgets = list(db.session.scalars(select(CpdBudget).where(CpdBudget.organisation_id == org.id)))
        assert sum(b.committed_pence for b in budgets) == sum(s.committed_pence for s in requests)
        assert sum(b.spent_pence for b in budgets) == sum(s.spent_pence for s in requests)
        assert all(b.committed_pence + b.spent_pence <= b.allocated_pence for b in budgets)
        completed_hub = [s for s in requests if s.status == "completed" and s.micro_credential_id]
        held = db.session.scalars(
            select(HeldCredential).where(HeldCredential.organisation_id == org.id, HeldCredential.source == "cpd")
        ).all()
        assert {h.sponsorship_id for h in held} == {s.id for s in completed_hub}
    agreements = [s for s in db.session.scalars(select(Sponsorship)) if s.agreement is not None]
    assert any(a.agreement.accepted_at for a in agreements) and any(not a.agreement.accepted_at for a in agreements)
