"""Ids posted in forms (not in the URL) that name another organisation's records are refused:
a budget or funding source on CPD approval and bulk approval, a job role on assignment,
a micro-credential on award, a partner on a partnership request."""

from __future__ import annotations

from app.extensions import db
from app.models.cpd import SponsorshipStatus as S
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.catalogue import micro_credential
from tests.factories.cpd import employer, request


def _as(app, login, user):
    client = app.test_client()
    login(user, c=client)
    return client


def _money(e):
    db.session.refresh(e.budget)
    db.session.refresh(e.funding)
    return e.budget.committed_pence, e.funding.committed_pence


def test_approving_against_another_employers_budget_is_refused(app, login):
    e, other = employer(), employer()
    s = request(e, state=S.ENDORSED)
    before = _money(other)
    hr = _as(app, login, e.hr)
    for budget, funding in (
        (other.budget.id, e.funding.id),
        (e.budget.id, other.funding.id),
        (other.budget.id, other.funding.id),
    ):
        response = hr.post(f"/cpd/requests/{s.id}/act/approve", data={"budget_id": budget, "funding_year_id": funding})
        assert response.status_code == 303
        db.session.refresh(s)
        assert s.status == S.ENDORSED and s.budget_id is None
    assert _money(other) == before
    page = hr.get(f"/cpd/requests/{s.id}").get_data(as_text=True)
    assert "Choose the budget and the funding source" in page


def test_bulk_approval_with_another_employers_funding_source_is_refused(app, login):
    e, other = employer(), employer()
    s = request(e, state=S.ENDORSED)
    hr = _as(app, login, e.hr)
    source_id = other.funding.funding_source_id
    response = hr.post("/cpd/requests/bulk-approve", data={"id": [s.id], "funding_source_id": source_id})
    db.session.refresh(s)
    assert s.status == S.ENDORSED
    assert response.status_code in (303, 404)
    assert _money(other)[1] == 0
    ok = hr.post("/cpd/requests/bulk-approve", data={"id": [s.id], "funding_source_id": e.funding.funding_source_id})
    db.session.refresh(s)
    assert ok.status_code == 303 and s.status == S.APPROVED and s.funding_source_year_id == e.funding.id


def test_assigning_another_employers_job_role_is_refused(app, login):
    from app.services.skills import job_roles

    e, other = employer(), employer()
    theirs = job_roles.create_role(
        other.hr, other.org, title="Secret role", department="X", description="", occupation=None, prefill_skills=False
    )
    admin = member(e.org, "hr_manager", "org_admin", name="Ada Admin")
    response = _as(app, login, admin).post(
        f"/roles/people/{e.membership(e.employee).id}/job-role", data={"assign-job_role": theirs.id}
    )
    assert response.status_code in (404, 422)
    assert e.membership(e.employee).job_role_id is None
    mine = job_roles.create_role(
        e.hr, e.org, title="Welder", department="X", description="", occupation=None, prefill_skills=False
    )
    ok = _as(app, login, admin).post(
        f"/roles/people/{e.membership(e.employee).id}/job-role", data={"assign-job_role": mine.id}
    )
    assert ok.status_code == 303 and e.membership(e.employee).job_role_id == mine.id


def test_awarding_another_providers_micro_credential_is_refused(app, login):
    mine, theirs = OrganisationFactory(provider=True), OrganisationFactory(provider=True)
    record = micro_credential(theirs, code="THEIRS-1")
    coordinator = member(mine, "provider_coordinator")
    response = _as(app, login, coordinator).post(
        "/issuing/new", data={"micro_credential_id": record.id, "name": "Lee Learner", "email": "lee@example.org"}
    )
    assert response.status_code == 422
    assert "Choose one of your published micro-credentials" in response.get_data(as_text=True)


def test_a_partnership_cannot_be_requested_with_oneself_or_a_non_partner_kind(app, login):
    e, college, other_employer = employer(), OrganisationFactory(provider=True), employer()
    client = _as(app, login, member(e.org, "org_admin", name="Ada Admin"))
    for wrong in (e.org.id, other_employer.org.id, 999_999):
        assert client.post("/organisation/partnerships", data={"partner": wrong, "message": ""}).status_code == 422
    assert client.post("/organisation/partnerships", data={"partner": college.id, "message": ""}).status_code == 303
