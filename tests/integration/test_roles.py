"""Changing roles, removing members, keeping an admin, and switching organisation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Membership, MembershipStatus
from tests.factories.accounts import OrganisationFactory, member


@pytest.fixture
def org():
    return OrganisationFactory(name="Inverness Turbine Services")


@pytest.fixture
def admin(org):
    return member(org, "org_admin", name="Catriona Munro")


def membership_of(user, org) -> Membership:
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == org.id)
    )


def audit_actions(org) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.organisation_id == org.id)))


def test_admin_changes_a_members_roles(client, login, org, admin):
    worker = member(org, "learner", name="Angus Sinclair")
    login(admin)
    m = membership_of(worker, org)
    form = client.get(f"/organisation/people/{m.id}/roles")
    assert "Change roles for Angus Sinclair" in form.get_data(as_text=True)
    response = client.post(f"/organisation/people/{m.id}/roles", data={"roles": ["line_manager", "learner"]})
    assert response.status_code == 303
    page = client.get("/organisation/people").get_data(as_text=True)
    assert "Angus Sinclair&#39;s roles have been updated" in page
    assert "Employee or apprentice (learner), Line manager" in page
    db.session.expire_all()
    assert membership_of(worker, org).roles == {"line_manager", "learner"}
    assert "membership.roles_changed" in audit_actions(org)


def test_the_new_roles_take_effect_for_the_member(app, client, login, org, admin):
    worker = member(org, "learner", name="Angus Sinclair")
    their_browser = login(worker, c=app.test_client())
    assert their_browser.get("/organisation/audit").status_code == 403
    login(admin)
    client.post(f"/organisation/people/{membership_of(worker, org).id}/roles", data={"roles": ["org_admin"]})
    assert their_browser.get("/organisation/audit").status_code == 200


def test_roles_must_fit_the_organisation_kind(client, login, org, admin):
    worker = member(org, "learner")
    login(admin)
    response = client.post(f"/organisation/people/{membership_of(worker, org).id}/roles", data={"roles": ["assessor"]})
    assert response.status_code == 422
    db.session.expire_all()
    assert membership_of(worker, org).roles == {"learner"}


def test_admin_removes_a_member(app, client, login, org, admin):
    worker = member(org, "hr_manager", name="Lachlan Grant")
    their_browser = login(worker, c=app.test_client())
    login(admin)
    response = client.post(f"/organisation/people/{membership_of(worker, org).id}/remove")
    assert response.status_code == 303
    page = client.get("/organisation/people").get_data(as_text=True)
    assert "Lachlan Grant no longer has access to Inverness Turbine Services" in page
    assert "Members: 1<" in page and "Lachlan Grant</th>" not in page
    db.session.expire_all()
    assert membership_of(worker, org).status == MembershipStatus.REMOVED
    assert "membership.removed" in audit_actions(org)
    # Their open session keeps no power in the organisation.
    dashboard = their_browser.get("/dashboard").get_data(as_text=True)
    assert "You do not belong to an organisation yet" in dashboard
    assert "Inverness Turbine Services" not in dashboard


def test_the_last_admin_cannot_be_demoted(client, login, org, admin):
    login(admin)
    m = membership_of(admin, org)
    response = client.post(f"/organisation/people/{m.id}/roles", data={"roles": ["learner"]})
    assert response.status_code == 422
    assert "Inverness Turbine Services must keep at least one organisation admin" in response.get_data(as_text=True)
    db.session.expire_all()
    assert "org_admin" in membership_of(admin, org).roles
    assert "membership.roles_changed" not in audit_actions(org)


def test_the_last_admin_cannot_be_removed(client, login, org, admin):
    login(admin)
    response = client.post(f"/organisation/people/{membership_of(admin, org).id}/remove")
    assert response.status_code == 303
    page = client.get("/organisation/people").get_data(as_text=True)
    assert "must keep at least one organisation admin" in page
    db.session.expire_all()
    assert membership_of(admin, org).status == MembershipStatus.ACTIVE


def test_an_admin_can_step_down_when_another_admin_remains(client, login, org, admin):
    member(org, "org_admin", name="Second Admin")
    login(admin)
    response = client.post(f"/organisation/people/{membership_of(admin, org).id}/roles", data={"roles": ["hr_manager"]})
    assert response.status_code == 303
    assert client.get("/organisation/people").status_code == 403


def test_a_removed_admin_does_not_count_as_the_remaining_admin(client, login, org, admin):
    gone = member(org, "org_admin")
    m = membership_of(gone, org)
    m.status = MembershipStatus.REMOVED
    db.session.flush()
    login(admin)
    response = client.post(f"/organisation/people/{membership_of(admin, org).id}/roles", data={"roles": ["learner"]})
    assert response.status_code == 422


def test_switching_organisation_changes_dashboard_and_permissions(client, login, org, admin):
    college = OrganisationFactory(provider=True, name="Moray College")
    from app.services.accounts.organisations import join

    join(admin, college, ["assessor"])
    login(admin)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Working in" in page  # the switcher appears for people in several organisations
    # Organisations are in name order and the first is current: Inverness before Moray.
    assert client.get("/organisation/people").status_code == 200

    response = client.post("/switch-organisation", data={"organisation_id": str(college.id)})
    assert response.status_code == 303
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "You are now working in Moray College" in dashboard
    assert "Assessor" in dashboard
    assert "People and roles" not in dashboard
    assert client.get("/organisation/people").status_code == 403

    client.post("/switch-organisation", data={"organisation_id": str(org.id)})
    assert client.get("/organisation/people").status_code == 200


def test_switching_to_an_organisation_you_do_not_belong_to_is_404(client, login, org, admin):
    stranger_org = OrganisationFactory(name="Not Yours Ltd")
    login(admin)
    response = client.post("/switch-organisation", data={"organisation_id": str(stranger_org.id)})
    assert response.status_code == 404
    assert "Not Yours Ltd" not in response.get_data(as_text=True)
    assert client.post("/switch-organisation", data={"organisation_id": "abc"}).status_code == 400
    assert "Inverness Turbine Services" in client.get("/dashboard").get_data(as_text=True)


def test_a_removed_member_is_not_edited_through_old_links(client, login, org, admin):
    gone = member(org, "hr_manager", name="Former Colleague")
    m = membership_of(gone, org)
    login(admin)
    client.post(f"/organisation/people/{m.id}/remove")
    assert client.get(f"/organisation/people/{m.id}/roles").status_code == 404
    assert client.post(f"/organisation/people/{m.id}/roles", data={"roles": ["org_admin"]}).status_code == 404
    db.session.expire_all()
    assert membership_of(gone, org).roles == set()
