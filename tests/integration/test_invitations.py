"""Inviting people by email and accepting: new accounts, existing accounts, expiry, withdrawal."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Invitation, Membership, User, utcnow
from tests.factories.accounts import OrganisationFactory, member

LINK = re.compile(r"http://localhost(/invitations/\S+)")


@pytest.fixture
def org():
    return OrganisationFactory(name="Dundee Precision Castings")


@pytest.fixture
def admin(org):
    return member(org, "org_admin", name="Kirsty Wallace", email="kirsty@dundee.example")


def invite(client, email, roles, department=""):
    return client.post("/organisation/people/invite", data={"email": email, "roles": roles, "department": department})


def invitation_path(outbox) -> str:
    match = LINK.search(outbox[-1].body)
    assert match, outbox[-1].body
    return match.group(1)


def test_admin_invites_and_sees_the_pending_invitation(client, login, admin, outbox):
    login(admin)
    response = invite(client, "new.starter@dundee.example", ["line_manager", "learner"], "Foundry")
    assert response.status_code == 303
    assert outbox[-1].to == "new.starter@dundee.example"
    assert "Dundee Precision Castings" in outbox[-1].subject
    assert "Line manager" in outbox[-1].body
    page = client.get("/organisation/people").get_data(as_text=True)
    assert "Invitation sent to new.starter@dundee.example" in page
    assert "Invitations waiting to be accepted" in page
    assert "new.starter@dundee.example" in page


def test_accept_as_a_new_person_creates_the_account_and_signs_in(app, client, login, admin, outbox):
    login(admin)
    invite(client, "morven@dundee.example", ["hr_manager"])
    path = invitation_path(outbox)
    newcomer = app.test_client()
    form = newcomer.get(path)
    assert form.status_code == 200
    assert "Join Dundee Precision Castings" in form.get_data(as_text=True)
    response = newcomer.post(path, data={"name": "Morven Crichton", "password": "morven-secret-2026"})
    assert response.status_code == 303
    dashboard = newcomer.get("/dashboard").get_data(as_text=True)
    assert "Welcome to Dundee Precision Castings" in dashboard
    assert "Hello, Morven Crichton" in dashboard
    assert "HR manager" in dashboard

    user = db.session.scalar(select(User).where(User.email == "morven@dundee.example"))
    assert user.password_hash.startswith("$argon2id$")
    # The invitation no longer appears as pending.
    assert (
        "morven@dundee.example"
        not in client.get("/organisation/people").get_data(as_text=True).split("Invitations waiting to be accepted")[1]
    )


def test_accept_needs_a_name_and_a_good_password(app, client, login, admin, outbox):
    login(admin)
    invite(client, "short@dundee.example", ["learner"])
    path = invitation_path(outbox)
    newcomer = app.test_client()
    response = newcomer.post(path, data={"name": "Short Pass", "password": "abc"})
    assert response.status_code == 422
    assert "Password must be 10 characters or more" in response.get_data(as_text=True)
    response = newcomer.post(path, data={"name": "", "password": "long-enough-password"})
    assert response.status_code == 422
    assert "Enter your full name" in response.get_data(as_text=True)
    assert newcomer.get(path).status_code == 200  # still usable


def test_accept_while_signed_in_with_the_matching_account(app, client, login, admin, outbox):
    # Aberdeen sorts first, so landing in Dundee afterwards shows the switch to the new organisation.
    other_org = OrganisationFactory(name="Aberdeen Valve Company")
    existing = member(other_org, "learner", name="Duncan Ferguson", email="duncan@aberdeen.example")
    login(admin)
    invite(client, "Duncan@Aberdeen.example", ["line_manager"])
    path = invitation_path(outbox)
    browser = app.test_client()
    login(existing, c=browser)
    page = browser.get(path).get_data(as_text=True)
    assert "You are signed in as duncan@aberdeen.example" in page
    assert browser.post(path, data={}).status_code == 303
    dashboard = browser.get("/dashboard").get_data(as_text=True)
    assert "Welcome to Dundee Precision Castings" in dashboard
    assert '<span class="govuk-caption-l">Dundee Precision Castings</span>' in dashboard
    assert "Line manager" in dashboard
    assert "Aberdeen Valve Company" in dashboard  # the organisation switcher lists both


def test_a_different_signed_in_account_is_refused(app, client, login, admin, outbox):
    someone_else = member(OrganisationFactory(), "learner", email="wrong.person@example.org")
    login(admin)
    invite(client, "right.person@dundee.example", ["learner"])
    path = invitation_path(outbox)
    browser = app.test_client()
    login(someone_else, c=browser)
    response = browser.post(path, data={})
    assert response.status_code == 422
    assert "This invitation is for right.person@dundee.example" in response.get_data(as_text=True)
    org_id = db.session.scalar(select(Invitation.organisation_id))
    assert (
        db.session.scalar(
            select(Membership).where(Membership.user_id == someone_else.id, Membership.organisation_id == org_id)
        )
        is None
    )


def test_an_existing_account_must_sign_in_first(app, client, login, admin, outbox):
    member(OrganisationFactory(), "learner", email="has.account@example.org")
    login(admin)
    invite(client, "has.account@example.org", ["learner"])
    response = app.test_client().post(invitation_path(outbox), data={"name": "X Y", "password": "long-enough-pass"})
    assert response.status_code == 422
    assert "You already have an account" in response.get_data(as_text=True)


def test_an_invitation_works_once(app, client, login, admin, outbox):
    login(admin)
    invite(client, "once@dundee.example", ["learner"])
    path = invitation_path(outbox)
    first = app.test_client()
    assert first.post(path, data={"name": "Once Only", "password": "once-only-password"}).status_code == 303
    second = app.test_client()
    response = second.get(path)
    assert response.status_code == 410
    assert "This invitation link no longer works" in response.get_data(as_text=True)
    assert second.post(path, data={"name": "Twice", "password": "twice-password-1"}).status_code == 410


def test_an_expired_invitation_is_refused(app, client, login, admin, outbox):
    login(admin)
    invite(client, "late@dundee.example", ["learner"])
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "late@dundee.example"))
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert app.test_client().get(invitation_path(outbox)).status_code == 410
    pending = client.get("/organisation/people").get_data(as_text=True).split("Invitations waiting")[1]
    assert "late@dundee.example" not in pending
    assert "No invitations are waiting" in pending


def test_a_withdrawn_invitation_is_refused(app, client, login, admin, outbox):
    login(admin)
    invite(client, "withdrawn@dundee.example", ["learner"])
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "withdrawn@dundee.example"))
    response = client.post(f"/organisation/invitations/{invitation.id}/revoke")
    assert response.status_code == 303
    assert "The invitation to withdrawn@dundee.example has been withdrawn" in client.get(
        "/organisation/people"
    ).get_data(as_text=True)
    assert app.test_client().get(invitation_path(outbox)).status_code == 410


def test_cannot_invite_to_a_role_the_organisation_kind_lacks(client, login, admin, outbox):
    login(admin)
    response = invite(client, "assessor@dundee.example", ["assessor"])  # an employer has no assessors
    assert response.status_code == 422
    assert outbox == []
    assert db.session.scalar(select(Invitation).where(Invitation.email == "assessor@dundee.example")) is None


def test_cannot_invite_someone_already_a_member(client, login, admin, outbox):
    login(admin)
    response = invite(client, "kirsty@dundee.example", ["learner"])
    assert response.status_code == 422
    assert "already a member" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["hr_manager", "line_manager", "recruiter", "learner"])
def test_non_admins_cannot_invite(client, login, org, role, outbox):
    login(member(org, role))
    assert client.get("/organisation/people/invite").status_code == 403
    assert invite(client, "sneaky@dundee.example", ["org_admin"]).status_code == 403
    assert outbox == []


def test_the_invitation_story_is_in_the_audit_log(app, client, login, admin, outbox):
    login(admin)
    invite(client, "audit.one@dundee.example", ["learner"])
    app.test_client().post(invitation_path(outbox), data={"name": "Audit One", "password": "audit-one-password"})
    invite(client, "audit.two@dundee.example", ["learner"])
    second = db.session.scalar(select(Invitation).where(Invitation.email == "audit.two@dundee.example"))
    client.post(f"/organisation/invitations/{second.id}/revoke")
    log = client.get("/organisation/audit").get_data(as_text=True)
    for action in ("invitation.sent", "user.registered", "invitation.accepted", "invitation.revoked"):
        assert f"<code>{action}</code>" in log, action
    assert "Invited audit.one@dundee.example as Employee or apprentice (learner)" in log
    assert "audit.one@dundee.example joined Dundee Precision Castings" in log
    assert "Withdrew the invitation to audit.two@dundee.example" in log


def test_a_removed_member_can_be_invited_back(app, client, login, org, admin, outbox):
    returner = member(org, "hr_manager", name="Returning Rona", email="rona@dundee.example")
    membership = db.session.scalar(select(Membership).where(Membership.user_id == returner.id))
    login(admin)
    client.post(f"/organisation/people/{membership.id}/remove")
    assert invite(client, "rona@dundee.example", ["learner"]).status_code == 303
    browser = login(returner, c=app.test_client())
    assert browser.post(invitation_path(outbox), data={}).status_code == 303
    db.session.expire_all()
    membership = db.session.scalar(select(Membership).where(Membership.user_id == returner.id))
    assert membership.is_active and membership.roles == {"learner"}  # the old HR role is not restored
    assert "Returning Rona" in client.get("/organisation/people").get_data(as_text=True)
