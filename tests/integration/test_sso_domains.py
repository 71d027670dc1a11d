"""SSO email domains: a claim routes no sign-in until its organisation proves the domain.

The security finding this answers: Kelvin Marine's admin listed tayvalleyhealth.example (and
caledonia.example) in its SSO settings; Tay Valley's admin was then refused the domain, and an
anonymous sign-in for a Tay Valley address was sent to Kelvin Marine's identity provider.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, SsoDomain, utcnow
from app.services.accounts.dns_proof import DnsLookupFailed
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.sso import sso_domain, sso_provider
from tests.support.oidc_provider import start_provider


class FakeResolver:
    """TXT records by name; a name in `failing` raises like a DNS timeout."""

    def __init__(self, records: dict[str, list[str]] | None = None, failing: set[str] | None = None):
        self.records = records or {}
        self.failing = failing or set()
        self.asked: list[str] = []

    def txt_records(self, name: str) -> list[str]:
        self.asked.append(name)
        if name in self.failing:
            raise DnsLookupFailed("LifetimeTimeout: the DNS operation timed out")
        return self.records.get(name, [])


@pytest.fixture(scope="module")
def idp():
    provider = start_provider()
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def _settings(app, monkeypatch):
    monkeypatch.setitem(app.config, "SSO_ALLOW_PRIVATE_NETWORKS", True)
    resolver = FakeResolver()
    monkeypatch.setitem(app.config, "DNS_TXT_RESOLVER", resolver)
    return resolver


@pytest.fixture
def dns(_settings) -> FakeResolver:
    return _settings


@pytest.fixture
def kelvin():
    return OrganisationFactory(name="Kelvin Marine Engineering Ltd")


@pytest.fixture
def tay():
    return OrganisationFactory(name="Tay Valley Health Board")


@pytest.fixture
def kelvin_admin(app, login, kelvin):
    return login(member(kelvin, "org_admin", email="aileen.macleod@kelvinmarine.example"), c=app.test_client())


@pytest.fixture
def tay_admin(app, login, tay):
    return login(member(tay, "org_admin", email="shona.robertson@tayvalleyhealth.example"), c=app.test_client())


def claimed(org, domain: str, verified: bool = False) -> SsoDomain:
    """A claim made before the requests under test (committed: a refused request rolls back)."""
    claim = sso_domain(org, domain, verified=verified)
    db.session.commit()
    return claim


def claim_of(org, domain: str) -> SsoDomain | None:
    return db.session.scalar(select(SsoDomain).where(SsoDomain.organisation_id == org.id, SsoDomain.domain == domain))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def add(client, domains: str):
    return client.post("/organisation/sso/domains", data={"domains": domains})


def page(client) -> str:
    return client.get("/organisation/sso").get_data(as_text=True)


def send_email(client, claim: SsoDomain, address: str):
    return client.post(f"/organisation/sso/domains/{claim.id}/email", data={f"claim-{claim.id}-address": address})


def link_in(mail) -> str:
    return re.search(r"http://localhost(/sso/domains/confirm/\S+)", mail.body).group(1)


# --- the reported scenario ------------------------------------------------------------------------


def test_squatted_domains_route_nowhere_and_the_real_owner_still_proves_its_own(
    app, idp, kelvin, tay, kelvin_admin, tay_admin, dns
):
    sso_provider(kelvin, idp, domains="")
    sso_provider(tay, idp, domains="")

    # Kelvin Marine's admin lists its own domain and two it does not own.
    response = add(kelvin_admin, "kelvinmarine.example, tayvalleyhealth.example, caledonia.example")
    assert response.status_code == 303
    squat = claim_of(kelvin, "tayvalleyhealth.example")
    assert squat.state == "pending" and squat.verified_domain is None
    assert "Pending" in page(kelvin_admin)

    # An anonymous sign-in for a Tay Valley address goes nowhere, never to Kelvin Marine's IdP.
    anonymous = app.test_client()
    response = anonymous.post("/login/sso", data={"email": "amy.wilson@tayvalleyhealth.example"})
    assert response.status_code == 422
    assert "No organisation uses single sign-on for tayvalleyhealth.example" in response.get_data(as_text=True)
    assert idp.issuer not in response.headers.get("Location", "")

    # Tay Valley's admin can still add the domain (both claims pending) ...
    response = add(tay_admin, "tayvalleyhealth.example")
    assert response.status_code == 303
    own = claim_of(tay, "tayvalleyhealth.example")
    assert own.state == "pending"
    assert "already signs in through another organisation" not in page(tay_admin)

    # ... and prove it by DNS.
    dns.records["tayvalleyhealth.example"] = ["v=spf1 -all", own.dns_record]
    response = tay_admin.post(f"/organisation/sso/domains/{own.id}/dns")
    assert response.status_code == 303
    assert "tayvalleyhealth.example is verified" in tay_admin.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert claim_of(tay, "tayvalleyhealth.example").state == "verified"

    # Kelvin Marine's claim is now shown as taken and can go no further.
    assert "Verified by another organisation" in page(kelvin_admin)
    dns.records["tayvalleyhealth.example"].append(squat.dns_record)  # even with its record published
    kelvin_admin.post(f"/organisation/sso/domains/{squat.id}/dns")
    assert "already verified by another organisation" in page(kelvin_admin)
    db.session.expire_all()
    assert claim_of(kelvin, "tayvalleyhealth.example").state == "pending"

    # A Tay Valley sign-in now goes to Tay Valley's provider, with Tay Valley's sign-in in progress.
    with anonymous:
        response = anonymous.post("/login/sso", data={"email": "amy.wilson@tayvalleyhealth.example"})
        assert response.status_code == 302 and response.headers["Location"].startswith(f"{idp.issuer}/authorize?")
        from flask import session

        from app.blueprints.sso.routes import SESSION_PROVIDER_KEY
        from app.services.accounts.sso import provider_for

        assert session[SESSION_PROVIDER_KEY] == provider_for(tay).id


def test_a_domain_another_organisation_verified_cannot_be_claimed(kelvin, tay, kelvin_admin):
    claimed(tay, "tayvalleyhealth.example", verified=True)
    response = add(kelvin_admin, "kelvinmarine.example, tayvalleyhealth.example")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "tayvalleyhealth.example is already verified by another organisation" in body
    assert 'href="#domains"' in body  # the error summary links to the field
    assert claim_of(kelvin, "kelvinmarine.example") is None  # all or nothing


def test_sign_in_completed_for_a_pending_domain_is_refused(app, idp, kelvin):
    """Even a callback for a provider that has no verified domain signs nobody in."""
    from app.services.accounts.sso import SsoRefused, sign_in

    provider = sso_provider(kelvin, idp, domains="kelvinmarine.example, tayvalleyhealth.example", verified=False)
    member(kelvin, "learner", email="iain.stewart@kelvinmarine.example")
    with pytest.raises(SsoRefused):
        sign_in(provider, {"email": "iain.stewart@kelvinmarine.example", "email_verified": True, "sub": "x"})
    assert events("sso.refused")[0].details["reason"] == "domain not allowed"


# --- claiming -----------------------------------------------------------------------------------


def test_adding_a_domain_is_audited_and_shows_the_record_to_publish(kelvin, kelvin_admin):
    assert add(kelvin_admin, "KelvinMarine.example").status_code == 303
    claim = claim_of(kelvin, "kelvinmarine.example")
    body = page(kelvin_admin)
    assert f"credwork-domain-verification={claim.dns_challenge}" in body
    assert "Check DNS now" in body and "Send a confirmation email" in body
    [event] = events("sso.domain_claimed")
    assert event.organisation_id == kelvin.id and event.details["domain"] == "kelvinmarine.example"


@pytest.mark.parametrize(
    "text, message", [("not a domain", "is not an email domain"), ("localhost", "is not an email domain")]
)
def test_a_bad_domain_is_refused(kelvin, kelvin_admin, text, message):
    response = add(kelvin_admin, text)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(SsoDomain).where(SsoDomain.organisation_id == kelvin.id)) is None


def test_removing_a_verified_domain_stops_its_sign_ins(app, idp, kelvin, kelvin_admin):
    sso_provider(kelvin, idp, domains="kelvinmarine.example")
    claim = claim_of(kelvin, "kelvinmarine.example")
    assert app.test_client().post("/login/sso", data={"email": "x@kelvinmarine.example"}).status_code == 302
    assert kelvin_admin.post(f"/organisation/sso/domains/{claim.id}/remove").status_code == 303
    assert claim_of(kelvin, "kelvinmarine.example") is None
    assert app.test_client().post("/login/sso", data={"email": "x@kelvinmarine.example"}).status_code == 422
    assert events("sso.domain_removed")[0].details == {"domain": "kelvinmarine.example", "state": "verified"}


# --- DNS proof ----------------------------------------------------------------------------------


def test_dns_with_the_wrong_record_is_refused_and_audited(kelvin, kelvin_admin, dns):
    claim = claimed(kelvin, "kelvinmarine.example")
    dns.records["kelvinmarine.example"] = ["credwork-domain-verification=someone-elses-challenge"]
    response = kelvin_admin.post(f"/organisation/sso/domains/{claim.id}/dns")
    assert response.status_code == 303
    body = kelvin_admin.get(response.headers["Location"]).get_data(as_text=True)
    assert f"We did not find the TXT record {claim.dns_record} on kelvinmarine.example" in body
    db.session.expire_all()
    assert claim_of(kelvin, "kelvinmarine.example").state == "pending"
    [event] = events("sso.domain_check_failed")
    assert event.details["reason"] == "record not found" and event.organisation_id == kelvin.id
    assert dns.asked == ["kelvinmarine.example"]


def test_dns_with_no_records_is_refused(kelvin, kelvin_admin):
    claim = claimed(kelvin, "kelvinmarine.example")
    kelvin_admin.post(f"/organisation/sso/domains/{claim.id}/dns")
    assert "We did not find the TXT record" in page(kelvin_admin)
    assert claim_of(kelvin, "kelvinmarine.example").state == "pending"


def test_dns_lookup_failure_says_try_again(kelvin, kelvin_admin, dns):
    claim = claimed(kelvin, "kelvinmarine.example")
    dns.failing.add("kelvinmarine.example")
    response = kelvin_admin.post(f"/organisation/sso/domains/{claim.id}/dns")
    assert response.status_code == 303
    assert "We could not look up the DNS records of kelvinmarine.example just now" in page(kelvin_admin)
    db.session.expire_all()
    assert claim_of(kelvin, "kelvinmarine.example").state == "pending"
    assert events("sso.domain_check_failed")[0].details["reason"] == "lookup failed"


def test_dns_with_the_right_record_verifies_and_is_audited(kelvin, kelvin_admin, dns):
    claim = claimed(kelvin, "kelvinmarine.example")
    dns.records["kelvinmarine.example"] = [f"  {claim.dns_record}  "]
    kelvin_admin.post(f"/organisation/sso/domains/{claim.id}/dns")
    db.session.expire_all()
    claim = claim_of(kelvin, "kelvinmarine.example")
    assert (claim.state, claim.method, claim.verified_domain) == ("verified", "dns", "kelvinmarine.example")
    assert claim.verified_by_id is not None and claim.verified_at is not None
    [event] = events("sso.domain_verified")
    assert event.details["method"] == "dns" and event.organisation_id == kelvin.id
    assert "Verified by DNS record" in page(kelvin_admin)


def test_default_resolver_uses_dnspython_with_a_timeout(app, monkeypatch):
    import dns.resolver

    from app.services.accounts import dns_proof

    monkeypatch.setitem(app.config, "DNS_TXT_RESOLVER", None)
    monkeypatch.setitem(app.config, "DNS_TIMEOUT_SECONDS", 2.5)
    seen = {}

    def resolve(name, rdtype, lifetime, search):
        seen.update(name=name, rdtype=rdtype, lifetime=lifetime)
        raise dns.resolver.LifetimeTimeout(timeout=lifetime, errors=[])

    monkeypatch.setattr(dns.resolver, "resolve", resolve)
    chosen = dns_proof.resolver()
    assert isinstance(chosen, dns_proof.DnsPythonResolver)
    with pytest.raises(DnsLookupFailed):
        chosen.txt_records("kelvinmarine.example")
    assert seen == {"name": "kelvinmarine.example", "rdtype": "TXT", "lifetime": 2.5}


# --- email proof --------------------------------------------------------------------------------


def test_confirmation_email_only_to_an_address_at_the_domain(kelvin, kelvin_admin, outbox):
    claim = claimed(kelvin, "kelvinmarine.example")
    for address in ["it@gmail.example", "it@evil.kelvinmarine.example", "it@kelvinmarine.example.evil"]:
        send_email(kelvin_admin, claim, address)
        assert "Enter an email address at kelvinmarine.example" in page(kelvin_admin)
    assert outbox == []
    db.session.expire_all()
    assert claim_of(kelvin, "kelvinmarine.example").email_token_hash is None


def test_emailed_link_verifies_once_and_stores_only_a_digest(app, kelvin, kelvin_admin, outbox):
    claim = claimed(kelvin, "kelvinmarine.example")
    assert send_email(kelvin_admin, claim, "IT@kelvinmarine.example").status_code == 303
    [mail] = outbox
    assert mail.to == "it@kelvinmarine.example"
    assert "Kelvin Marine Engineering Ltd" in mail.subject
    path = link_in(mail)
    token = path.rsplit("/", 1)[1]
    db.session.expire_all()
    stored = claim_of(kelvin, "kelvinmarine.example")
    assert stored.email_token_hash and token not in stored.email_token_hash
    assert events("sso.domain_confirmation_sent")[0].details["sent_to"] == "it@kelvinmarine.example"

    # Opened by someone at the domain, not signed in: the page says who asks; GET changes nothing.
    mailbox = app.test_client()
    shown = mailbox.get(path)
    assert shown.status_code == 200
    assert "Confirm kelvinmarine.example for Kelvin Marine Engineering Ltd" in shown.get_data(as_text=True)
    db.session.expire_all()
    assert claim_of(kelvin, "kelvinmarine.example").state == "pending"

    done = mailbox.post(path)
    assert done.status_code == 200 and "kelvinmarine.example confirmed" in done.get_data(as_text=True)
    db.session.expire_all()
    claim = claim_of(kelvin, "kelvinmarine.example")
    assert (claim.state, claim.method, claim.email_token_hash) == ("verified", "email", None)
    assert events("sso.domain_verified")[0].details["method"] == "email"

    # Single use.
    assert mailbox.get(path).status_code == 410
    assert mailbox.post(path).status_code == 410


def test_expired_link_does_nothing(app, kelvin, kelvin_admin, outbox):
    claim = claimed(kelvin, "kelvinmarine.example")
    send_email(kelvin_admin, claim, "it@kelvinmarine.example")
    path = link_in(outbox[0])
    db.session.expire_all()
    claim = claim_of(kelvin, "kelvinmarine.example")
    claim.email_token_expires_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    response = app.test_client().post(path)
    assert response.status_code == 410 and "expired or has already been used" in response.get_data(as_text=True)
    db.session.expire_all()
    assert claim_of(kelvin, "kelvinmarine.example").state == "pending"


def test_link_for_a_domain_since_verified_elsewhere_is_refused(app, kelvin, tay, kelvin_admin, outbox):
    claim = claimed(kelvin, "tayvalleyhealth.example")
    send_email(kelvin_admin, claim, "someone@tayvalleyhealth.example")
    path = link_in(outbox[0])
    claimed(tay, "tayvalleyhealth.example", verified=True)
    mailbox = app.test_client()
    response = mailbox.post(path, follow_redirects=True)
    assert "already verified by another organisation" in response.get_data(as_text=True)
    db.session.expire_all()
    assert claim_of(kelvin, "tayvalleyhealth.example").state == "pending"
    assert claim_of(tay, "tayvalleyhealth.example").state == "verified"


def test_unknown_link_is_gone(client):
    assert client.get("/sso/domains/confirm/not-a-real-token").status_code == 410


# --- the platform admin ---------------------------------------------------------------------------


@pytest.fixture
def platform_admin(app, login):
    operator = OrganisationFactory(platform=True)
    return login(
        member(operator, "platform_admin", "org_admin", email="morag.fraser@credwork.example"), c=app.test_client()
    )


def test_platform_admin_lists_pending_domains_and_verifies_one(kelvin, tay, platform_admin):
    squat = claimed(kelvin, "tayvalleyhealth.example")
    own = claimed(tay, "tayvalleyhealth.example")
    claimed(kelvin, "kelvinmarine.example", verified=True)
    body = platform_admin.get("/platform/domains").get_data(as_text=True)
    assert body.count("tayvalleyhealth.example") >= 2
    assert "Kelvin Marine Engineering Ltd" in body and "Tay Valley Health Board" in body
    assert "kelvinmarine.example" not in body  # verified: not waiting

    assert platform_admin.post(f"/platform/domains/{own.id}/verify").status_code == 303
    db.session.expire_all()
    assert claim_of(tay, "tayvalleyhealth.example").method == "platform"
    [event] = events("sso.domain_verified")
    assert event.details["method"] == "platform" and event.organisation_id == tay.id and event.actor_id

    # The squatter's claim cannot be verified now, even by the platform admin.
    platform_admin.post(f"/platform/domains/{squat.id}/verify")
    body = platform_admin.get("/platform/domains").get_data(as_text=True)
    assert "already verified by another organisation" in body and "Verified by another organisation" in body
    db.session.expire_all()
    assert claim_of(kelvin, "tayvalleyhealth.example").state == "pending"


@pytest.mark.parametrize("role", ["org_admin", "hr_manager", "learner"])
def test_only_the_platform_admin_verifies_for_others(app, login, kelvin, role):
    claim = claimed(kelvin, "kelvinmarine.example")
    c = login(member(kelvin, role), c=app.test_client())
    assert c.get("/platform/domains").status_code == 403
    assert c.post(f"/platform/domains/{claim.id}/verify").status_code == 403
    db.session.expire_all()
    assert claim_of(kelvin, "kelvinmarine.example").state == "pending"


# --- isolation ---------------------------------------------------------------------------------


def test_another_organisations_admin_cannot_touch_its_claims_by_id(kelvin, tay, kelvin_admin, dns, outbox):
    theirs = claimed(tay, "tayvalleyhealth.example")
    dns.records["tayvalleyhealth.example"] = [theirs.dns_record]
    assert kelvin_admin.post(f"/organisation/sso/domains/{theirs.id}/dns").status_code == 404
    assert send_email(kelvin_admin, theirs, "it@tayvalleyhealth.example").status_code == 404
    assert kelvin_admin.post(f"/organisation/sso/domains/{theirs.id}/remove").status_code == 404
    db.session.expire_all()
    theirs = claim_of(tay, "tayvalleyhealth.example")
    assert theirs is not None and theirs.state == "pending"
    assert outbox == [] and dns.asked == []
    assert "tayvalleyhealth.example" not in page(kelvin_admin)


def test_only_org_admins_manage_domains(app, login, kelvin):
    claim = claimed(kelvin, "kelvinmarine.example")
    c = login(member(kelvin, "hr_manager"), c=app.test_client())
    assert c.post("/organisation/sso/domains", data={"domains": "x.example"}).status_code == 403
    assert c.post(f"/organisation/sso/domains/{claim.id}/dns").status_code == 403
    assert c.post(f"/organisation/sso/domains/{claim.id}/remove").status_code == 403
