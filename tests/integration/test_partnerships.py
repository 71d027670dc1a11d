"""Employer-provider partnerships: one side asks, the other answers; either side can end one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Partnership, PartnershipStatus
from tests.factories.accounts import OrganisationFactory, member


@pytest.fixture
def employer():
    return OrganisationFactory(name="Grangemouth Process Engineering")


@pytest.fixture
def college():
    return OrganisationFactory(provider=True, name="Falkirk Valley College")


@pytest.fixture
def employer_admin(employer):
    return member(employer, "org_admin", name="Rhona Kerr")


@pytest.fixture
def college_admin(college):
    return member(college, "org_admin", name="Alasdair Buchanan")


def the_partnership(employer, college) -> Partnership:
    db.session.expire_all()
    return db.session.scalar(
        select(Partnership).where(Partnership.employer_id == employer.id, Partnership.provider_id == college.id)
    )


@pytest.fixture
def requested(app, client, login, employer, college, employer_admin):
    """The employer has asked the college to partner."""
    login(employer_admin)
    page = client.get("/organisation/partnerships").get_data(as_text=True)
    assert "Falkirk Valley College" in page  # offered as a possible partner
    response = client.post(
        "/organisation/partnerships", data={"partner": str(college.id), "message": "Welding apprenticeships?"}
    )
    assert response.status_code == 303
    return the_partnership(employer, college)


def test_request_shows_waiting_on_both_sides(app, client, login, requested, college_admin):
    page = client.get("/organisation/partnerships").get_data(as_text=True)
    assert "Partnership request sent" in page
    assert "Waiting for them" in page
    assert requested.status == PartnershipStatus.REQUESTED
    college_side = login(college_admin, c=app.test_client())
    page = college_side.get("/organisation/partnerships").get_data(as_text=True)
    assert "Grangemouth Process Engineering" in page
    assert "Waiting for you" in page


def test_the_other_side_accepts(app, client, login, employer, college, requested, college_admin):
    college_side = login(college_admin, c=app.test_client())
    response = college_side.post(f"/organisation/partnerships/{requested.id}/accept")
    assert response.status_code == 303
    assert "Partnership accepted" in college_side.get("/organisation/partnerships").get_data(as_text=True)
    assert the_partnership(employer, college).status == PartnershipStatus.ACTIVE
    assert "Active" in client.get("/organisation/partnerships").get_data(as_text=True)


def test_the_other_side_declines(app, client, login, employer, college, requested, college_admin):
    college_side = login(college_admin, c=app.test_client())
    college_side.post(f"/organisation/partnerships/{requested.id}/decline")
    assert the_partnership(employer, college).status == PartnershipStatus.DECLINED
    assert "Declined" in client.get("/organisation/partnerships").get_data(as_text=True)


def test_the_requester_cannot_accept_its_own_request(client, employer, college, requested):
    response = client.post(f"/organisation/partnerships/{requested.id}/accept")
    assert response.status_code == 303
    assert "The organisation that asked cannot answer its own request" in client.get(
        "/organisation/partnerships"
    ).get_data(as_text=True)
    assert the_partnership(employer, college).status == PartnershipStatus.REQUESTED


def test_either_side_ends_an_active_partnership(app, client, login, employer, college, requested, college_admin):
    college_side = login(college_admin, c=app.test_client())
    college_side.post(f"/organisation/partnerships/{requested.id}/accept")
    response = client.post(f"/organisation/partnerships/{requested.id}/end")
    assert response.status_code == 303
    assert "Partnership ended" in client.get("/organisation/partnerships").get_data(as_text=True)
    assert the_partnership(employer, college).status == PartnershipStatus.ENDED
    # Once ended, the employer may ask again.
    page = client.get("/organisation/partnerships").get_data(as_text=True)
    assert f'<option value="{college.id}">Falkirk Valley College</option>' in page


def test_a_pending_request_cannot_be_ended(client, employer, college, requested):
    client.post(f"/organisation/partnerships/{requested.id}/end")
    assert "Only an active partnership can be ended" in client.get("/organisation/partnerships").get_data(as_text=True)
    assert the_partnership(employer, college).status == PartnershipStatus.REQUESTED


def test_cannot_ask_an_organisation_of_the_same_kind(client, login, employer_admin):
    other_employer = OrganisationFactory(name="Another Employer Ltd")
    login(employer_admin)
    response = client.post("/organisation/partnerships", data={"partner": str(other_employer.id)})
    assert response.status_code == 422
    assert db.session.scalar(select(Partnership)) is None


def test_both_sides_see_audit_entries(app, client, login, requested, college_admin):
    college_side = login(college_admin, c=app.test_client())
    college_side.post(f"/organisation/partnerships/{requested.id}/accept")
    employer_log = client.get("/organisation/audit").get_data(as_text=True)
    college_log = college_side.get("/organisation/audit").get_data(as_text=True)
    for log in (employer_log, college_log):
        assert "partnership.requested" in log
        assert "Grangemouth Process Engineering asked Falkirk Valley College to partner" in log
        assert "partnership.accepted" in log
        assert "Falkirk Valley College accepted the partnership with Grangemouth Process Engineering" in log


@pytest.mark.parametrize("role", ["hr_manager", "learner", "recruiter"])
def test_only_admins_manage_partnerships(client, login, employer, role):
    login(member(employer, role))
    assert client.get("/organisation/partnerships").status_code == 403
