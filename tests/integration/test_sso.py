"""Single sign-on end to end against a real OpenID Connect provider (tests/oidc_provider.py).

The app's discovery, token and JWKS calls really go over HTTP to the provider on 127.0.0.1;
the browser's trip to the provider is made with `requests`, the rest with the Flask client.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Invitation, Membership, User
from app.services.accounts import organisations
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.sso import sso_provider
from tests.support.oidc_provider import start_provider


@pytest.fixture(scope="module")
def idp():
    provider = start_provider()
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def _fresh_idp(idp, app, monkeypatch):
    monkeypatch.setitem(app.config, "SSO_ALLOW_PRIVATE_NETWORKS", True)
    idp.user = None
    idp.sign_with_unpublished_key = False
    idp.id_token_overrides = {}


@pytest.fixture
def acme(idp):
    org = OrganisationFactory(name="Acme Engineering")
    sso_provider(org, idp, domains="acme.example")
    return org


def go_to_idp(client, idp, email: str) -> str:
    """Start SSO for `email`; return the callback URL the provider sends the browser back to."""
    started = client.post("/login/sso", data={"email": email})
    assert started.status_code == 302, started.get_data(as_text=True)[:500]
    assert started.headers["Location"].startswith(f"{idp.issuer}/authorize?")
    back = requests.get(started.headers["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    return back.headers["Location"]


def follow_callback(client, url: str):
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}")


def sso_sign_in(client, idp, email: str, verified: bool = True, typed: str | None = None):
    idp.set_user(email, verified=verified, name="Ann Example")
    return follow_callback(client, go_to_idp(client, idp, typed or email))


def invite(app, admin, org, email: str, roles: list[str], department: str | None = None) -> None:
    with app.test_request_context():  # the invitation email builds an absolute link
        organisations.invite(admin, org, email, roles, department=department)


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def signed_in(client) -> bool:
    return client.get("/dashboard").status_code == 200


def test_login_page_links_to_sso(client):
    assert 'href="/login/sso"' in client.get("/login").get_data(as_text=True)


def test_member_signs_in_with_pkce_state_and_nonce(client, idp, acme):
    member(acme, "learner", email="ann@acme.example")
    response = sso_sign_in(client, idp, "ann@acme.example")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/dashboard")
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Acme Engineering" in dashboard
    request = idp.last_authorization
    assert request["code_challenge_method"] == "S256" and request["code_challenge"]
    assert request["nonce"] and request["state"] and request["login_hint"] == "ann@acme.example"
    assert request["redirect_uri"] == "http://localhost/login/sso/callback"
    [event] = events("sso.signed_in")
    assert event.organisation_id == acme.id and event.details["idp_subject"] == "sub-ann@acme.example"


def test_member_of_two_organisations_lands_in_this_one(client, idp, acme):
    other = OrganisationFactory(name="Aardvark Health")  # sorts first: the default otherwise
    user = member(other, "hr_manager", email="dual@acme.example")
    db.session.add(Membership(user_id=user.id, organisation_id=acme.id))
    db.session.flush()
    assert sso_sign_in(client, idp, "dual@acme.example").status_code == 303
    assert '<span class="govuk-caption-l">Acme Engineering</span>' in client.get("/dashboard").get_data(as_text=True)


def test_invited_person_gets_an_account_and_joins(app, client, idp, acme, outbox):
    admin = member(acme, "org_admin")
    invite(app, admin, acme, "New.Starter@acme.example", ["learner"], department="Welding")
    response = sso_sign_in(client, idp, "new.starter@acme.example")
    assert response.status_code == 303
    user = db.session.scalar(select(User).where(User.email == "new.starter@acme.example"))
    assert user is not None and user.password_hash is None and user.name == "Ann Example"
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert membership.organisation_id == acme.id and {r.value for r in membership.roles} == {"learner"}
    assert membership.department == "Welding"
    invitation = db.session.scalar(select(Invitation).where(Invitation.organisation_id == acme.id))
    assert invitation.state == "accepted"
    assert "Welcome to Acme Engineering" in client.get("/dashboard").get_data(as_text=True)


def test_invited_person_with_an_account_elsewhere_must_accept_by_email(app, client, idp, acme):
    admin = member(acme, "org_admin")
    other = OrganisationFactory(name="Other Co")
    existing = member(other, "learner", email="bob@acme.example")
    invite(app, admin, acme, "bob@acme.example", ["line_manager"])
    response = sso_sign_in(client, idp, "bob@acme.example")
    assert response.status_code == 403
    assert "accept it while signed in with your password" in response.get_data(as_text=True)
    assert not signed_in(client)
    orgs = {m.organisation_id for m in db.session.scalars(select(Membership).where(Membership.user_id == existing.id))}
    assert orgs == {other.id}
    assert db.session.scalar(select(Invitation).where(Invitation.organisation_id == acme.id)).state == "pending"
    assert events("sso.refused")[0].details["reason"] == "account in another organisation"


def test_invited_person_with_no_other_organisation_is_linked(app, client, idp, acme):
    admin = member(acme, "org_admin")
    former = OrganisationFactory(name="Former Employer")
    existing = member(former, "learner", email="dee@acme.example")
    db.session.scalar(select(Membership).where(Membership.user_id == existing.id)).status = "removed"
    invite(app, admin, acme, "dee@acme.example", ["learner"])
    assert sso_sign_in(client, idp, "dee@acme.example").status_code == 303
    assert signed_in(client)
    active = db.session.scalars(
        select(Membership).where(Membership.user_id == existing.id, Membership.status == "active")
    ).all()
    assert [m.organisation_id for m in active] == [acme.id]


def test_account_in_another_organisation_is_never_linked(client, idp, acme):
    other = OrganisationFactory(name="Other Co")
    outsider = member(other, "org_admin", email="carol@acme.example")
    response = sso_sign_in(client, idp, "carol@acme.example")
    assert response.status_code == 403
    assert "Ask your organisation admin for an invitation" in response.get_data(as_text=True)
    assert not signed_in(client)
    assert (
        db.session.scalar(
            select(Membership).where(Membership.user_id == outsider.id, Membership.organisation_id == acme.id)
        )
        is None
    )
    [event] = events("sso.refused")
    assert event.details["reason"] == "not a member" and event.organisation_id == acme.id


def test_unknown_email_without_invitation_is_refused(client, idp, acme):
    response = sso_sign_in(client, idp, "stranger@acme.example")
    assert response.status_code == 403
    assert "ask your organisation admin for an invitation" in response.get_data(as_text=True).lower()
    assert db.session.scalar(select(User).where(User.email == "stranger@acme.example")) is None
    assert events("sso.refused")[0].details["reason"] == "unknown email"


def test_unverified_email_is_refused(client, idp, acme):
    member(acme, "learner", email="ann@acme.example")
    response = sso_sign_in(client, idp, "ann@acme.example", verified=False)
    assert response.status_code == 403
    assert "has not verified your email address" in response.get_data(as_text=True)
    assert not signed_in(client)
    assert events("sso.refused")[0].details["reason"] == "email not verified"


def test_email_outside_allowed_domains_is_refused(client, idp, acme):
    member(acme, "learner", email="ann@gmail.example")
    response = sso_sign_in(client, idp, "ann@gmail.example", typed="ann@acme.example")
    assert response.status_code == 403
    assert not signed_in(client)
    assert events("sso.refused")[0].details["reason"] == "domain not allowed"


def test_wrong_state_is_refused(client, idp, acme):
    member(acme, "learner", email="ann@acme.example")
    idp.set_user("ann@acme.example")
    url = go_to_idp(client, idp, "ann@acme.example")
    query = parse_qs(urlsplit(url).query)
    response = client.get(f"/login/sso/callback?code={query['code'][0]}&state=forged-state")
    assert response.status_code == 400
    assert not signed_in(client)
    assert events("sso.failed") and not events("sso.signed_in")


def test_callback_cannot_be_replayed(client, idp, acme):
    member(acme, "learner", email="ann@acme.example")
    idp.set_user("ann@acme.example")
    url = go_to_idp(client, idp, "ann@acme.example")
    assert follow_callback(client, url).status_code == 303
    client.post("/logout")
    assert follow_callback(client, url).status_code == 400
    assert not signed_in(client)


def test_callback_without_a_started_sign_in_is_refused(client):
    response = client.get("/login/sso/callback?code=abc&state=xyz")
    assert response.status_code == 400
    assert "not started here" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "tamper, why",
    [
        ({"sign_with_unpublished_key": True}, "BadSignatureError"),
        ({"id_token_overrides": {"iss": "https://idp.attacker.example"}}, "Invalid claim: 'iss'"),
        ({"id_token_overrides": {"aud": ["another-client"]}}, "Invalid claim: 'aud'"),
        ({"id_token_overrides": {"exp": 1_000_000}}, "ExpiredTokenError"),
        ({"id_token_overrides": {"nonce": "replayed-nonce"}}, "Invalid claim: 'nonce'"),
    ],
    ids=["foreign-key", "foreign-issuer", "other-audience", "expired", "other-nonce"],
)
def test_untrustworthy_id_token_is_refused(client, idp, acme, tamper, why):
    member(acme, "learner", email="ann@acme.example")
    for name, value in tamper.items():
        setattr(idp, name, value)
    response = sso_sign_in(client, idp, "ann@acme.example")
    assert response.status_code == 400
    assert "could not verify" in response.get_data(as_text=True)
    assert not signed_in(client)
    [refusal] = events("sso.failed")
    assert why in refusal.summary and not events("sso.signed_in")


def test_person_declining_at_the_provider_is_not_signed_in(client, idp, acme):
    url = go_to_idp(client, idp, "ann@acme.example")  # idp.user is None: access denied
    assert "error=access_denied" in url
    assert follow_callback(client, url).status_code == 400
    assert not signed_in(client)


def test_disabled_account_is_refused(client, idp, acme):
    member(acme, "learner", email="ann@acme.example", is_active_account=False)
    response = sso_sign_in(client, idp, "ann@acme.example")
    assert response.status_code == 403
    assert not signed_in(client)
    assert events("sso.refused")[0].details["reason"] == "account disabled"


def test_provider_runs_as_a_separate_process():
    """Browser tests run the provider with `python -m tests.support.oidc_provider` and steer it over HTTP."""
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.oidc_provider", "--port", "0", "--client-secret", "fixed-secret"],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        settings = json.loads(process.stdout.readline())
        assert settings["client_secret"] == "fixed-secret"
        discovery = requests.get(f"{settings['issuer']}/.well-known/openid-configuration", timeout=5).json()
        assert discovery["issuer"] == settings["issuer"]
        changed = requests.post(
            f"{settings['issuer']}/_control/user", timeout=5, json={"email": "eve@acme.example", "verified": False}
        )
        assert changed.json() == {"email": "eve@acme.example", "verified": False}
    finally:
        process.terminate()
        process.wait(timeout=5)
