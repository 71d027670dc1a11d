"""The org admin's single sign-on settings, starting a sign-in, and the guarded transport."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, SsoProvider
from app.security import secrets
from app.services.accounts.sso_transport import TransportRefused, session_class
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.sso import sso_provider
from tests.support.oidc_provider import start_provider

SECRET = "s3cret-value-never-shown"


@pytest.fixture(scope="module")
def idp():
    provider = start_provider()
    yield provider
    provider.stop()


@pytest.fixture
def org():
    return OrganisationFactory(name="Acme Engineering")


@pytest.fixture
def admin_client(client, login, org):
    login(member(org, "org_admin"))
    return client


def form(**fields):
    data = {
        "issuer_url": "https://login.acme.example",
        "client_id": "credwork",
        "client_secret": SECRET,
        "enabled": "y",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def stored(org) -> SsoProvider | None:
    return db.session.scalar(select(SsoProvider).where(SsoProvider.organisation_id == org.id))


@pytest.mark.parametrize("role", ["learner", "hr_manager", "line_manager", "recruiter"])
def test_only_org_admins_see_settings(client, login, org, role):
    login(member(org, role))
    assert client.get("/organisation/sso").status_code == 403
    assert client.post("/organisation/sso", data=form()).status_code == 403
    assert stored(org) is None


def test_signed_out_visitor_is_sent_to_sign_in(client):
    assert client.get("/organisation/sso").status_code == 302


def test_settings_page_shows_redirect_uri(admin_client):
    page = admin_client.get("/organisation/sso").get_data(as_text=True)
    assert "http://localhost/login/sso/callback" in page


def test_admin_saves_settings_secret_encrypted_and_never_shown(admin_client, org):
    response = admin_client.post("/organisation/sso", data=form())
    assert response.status_code == 303
    provider = stored(org)
    assert provider.issuer_url == "https://login.acme.example" and provider.client_id == "credwork"
    assert provider.enabled
    assert SECRET not in provider.client_secret_encrypted
    assert secrets.decrypt(provider.client_secret_encrypted) == SECRET
    page = admin_client.get("/organisation/sso").get_data(as_text=True)
    assert SECRET not in page and "login.acme.example" in page
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sso.configured"))
    assert SECRET not in event.summary and SECRET not in str(event.details)
    assert event.details["secret_changed"] is True


def test_blank_secret_on_edit_keeps_the_old_one(admin_client, org):
    admin_client.post("/organisation/sso", data=form())
    response = admin_client.post("/organisation/sso", data=form(client_secret="", client_id="renamed", enabled=None))
    assert response.status_code == 303
    provider = stored(org)
    assert provider.client_id == "renamed" and not provider.enabled
    assert secrets.decrypt(provider.client_secret_encrypted) == SECRET
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sso.updated"))
    assert event.details["secret_changed"] is False


def test_secret_required_the_first_time(admin_client, org):
    response = admin_client.post("/organisation/sso", data=form(client_secret=""))
    assert response.status_code == 422
    assert "Enter the client secret" in response.get_data(as_text=True)
    assert stored(org) is None


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"issuer_url": "http://login.acme.example"}, "must start with https://"),
        ({"issuer_url": "https://10.0.0.5/realms/acme"}, "must be a public address"),
        ({"issuer_url": "https://localhost:8443"}, "must be a public address"),
        ({"issuer_url": "https://login.acme.example?tenant=1"}, "cannot contain a query"),
        ({"issuer_url": "not a url"}, "must start with https://"),
    ],
    ids=["http", "private-ip", "localhost", "query", "garbage"],
)
def test_invalid_settings_are_refused_and_secret_not_echoed(admin_client, org, fields, message):
    response = admin_client.post("/organisation/sso", data=form(**fields))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body
    assert f'href="#{next(iter(fields))}"' in body  # the error summary links to the field at fault
    assert SECRET not in body
    assert stored(org) is None


def test_http_issuer_allowed_only_for_private_network_configuration(app, admin_client, org, monkeypatch):
    monkeypatch.setitem(app.config, "SSO_ALLOW_PRIVATE_NETWORKS", True)
    response = admin_client.post("/organisation/sso", data=form(issuer_url="http://127.0.0.1:9100"))
    assert response.status_code == 303
    assert stored(org).issuer_url == "http://127.0.0.1:9100"


def test_platform_operator_cannot_set_up_sso(client, login):
    platform = OrganisationFactory(platform=True)
    login(member(platform, "org_admin"))
    assert client.get("/organisation/sso").status_code == 403


# --- starting a sign-in ---------------------------------------------------------------------------


def test_start_with_a_domain_nobody_uses(client):
    response = client.post("/login/sso", data={"email": "ann@nowhere.example"})
    assert response.status_code == 422
    assert "No organisation uses single sign-on for nowhere.example" in response.get_data(as_text=True)


def test_start_ignores_a_provider_that_is_turned_off(app, client, org, idp, monkeypatch):
    monkeypatch.setitem(app.config, "SSO_ALLOW_PRIVATE_NETWORKS", True)
    sso_provider(org, idp, enabled=False)
    assert client.post("/login/sso", data={"email": "ann@acme.example"}).status_code == 422


def test_start_refuses_issuer_that_disagrees_with_discovery(app, client, org, idp, monkeypatch):
    monkeypatch.setitem(app.config, "SSO_ALLOW_PRIVATE_NETWORKS", True)
    provider = sso_provider(org, idp)
    provider.issuer_url = idp.issuer + "/"  # same discovery document, different issuer string
    response = client.post("/login/sso", data={"email": "ann@acme.example"})
    assert response.status_code == 422
    assert "different issuer" in response.get_data(as_text=True)


def test_start_refuses_an_authorization_endpoint_that_is_not_a_web_address(app, client, org, idp, monkeypatch):
    monkeypatch.setitem(app.config, "SSO_ALLOW_PRIVATE_NETWORKS", True)
    monkeypatch.setattr(idp, "metadata_overrides", {"authorization_endpoint": "javascript:alert(1)"})
    sso_provider(org, idp)
    response = client.post("/login/sso", data={"email": "ann@acme.example"})
    assert response.status_code == 422
    assert "did not publish a secure authorization endpoint" in response.get_data(as_text=True)


def test_start_refuses_a_provider_that_only_offers_shared_secret_signatures(app, client, org, idp, monkeypatch):
    monkeypatch.setitem(app.config, "SSO_ALLOW_PRIVATE_NETWORKS", True)
    monkeypatch.setattr(idp, "metadata_overrides", {"id_token_signing_alg_values_supported": ["HS256", "none"]})
    sso_provider(org, idp)
    response = client.post("/login/sso", data={"email": "ann@acme.example"})
    assert response.status_code == 422
    assert "does not sign ID tokens in a way Credwork accepts" in response.get_data(as_text=True)


def test_start_refuses_loopback_idp_unless_configured(client, org, idp):
    sso_provider(org, idp)  # http://127.0.0.1:<port>; SSO_ALLOW_PRIVATE_NETWORKS is off
    response = client.post("/login/sso", data={"email": "ann@acme.example"})
    assert response.status_code == 422
    assert "could not reach your organisation" in response.get_data(as_text=True)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sso.failed"))
    assert event.organisation_id == org.id and "TransportRefused" in event.summary


@pytest.mark.parametrize(
    "url, why",
    [
        ("https://127.0.0.1:{port}/jwks", "loopback"),
        ("https://localhost:{port}/jwks", "loopback"),
        ("http://203.0.113.9/jwks", "must use https"),
    ],
)
def test_transport_refuses_private_addresses_and_plain_http(idp, url, why):
    session = session_class(False)()
    with pytest.raises(TransportRefused, match=why):
        session.get(url.format(port=idp.port), withhold_token=True)


def test_transport_reaches_loopback_when_allowed(idp):
    response = session_class(True)().get(f"{idp.issuer}/jwks", withhold_token=True)
    assert response.status_code == 200 and response.json()["keys"]


def test_transport_refuses_a_name_that_resolves_to_a_private_address(monkeypatch):
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "login.acme.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(TransportRefused, match="10.1.2.3 is a private network address"):
        session_class(False)().get("https://login.acme.example/.well-known/openid-configuration", withhold_token=True)


def test_status_says_sso_routes_nobody_until_a_domain_is_proved(admin_client, org):
    from tests.factories.sso import sso_domain

    admin_client.post("/organisation/sso", data=form())
    page = admin_client.get("/organisation/sso").get_data(as_text=True)
    assert "On, but routing nobody" in page and "No email domain is proved yet" in page
    sso_domain(org, "acme.example", verified=True)
    db.session.commit()
    page = admin_client.get("/organisation/sso").get_data(as_text=True)
    assert "On, but routing nobody" not in page and ">On<" in page.replace("\n", "").replace("  ", "")
