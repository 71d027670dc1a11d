"""Journey (issue 2): an org admin points single sign-on at the organisation's OpenID Connect
provider (a real Authlib provider started by the test), adds the email domain and proves it with
a DNS TXT record (a fake resolver: no network), invites a person, and that person signs in
through the provider; before the proof nobody is sent to the provider, and someone in the same
email domain who was never invited is refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, sign_in
from tests.support.oidc_provider import start_provider

pytestmark = pytest.mark.no_transaction

ORG_ADMIN = "aileen.macleod@kelvinmarine.example"
INVITEE = "skye.morrison@kelvinmarine.example"
UNINVITED = "alasdair.munro@kelvinmarine.example"


@pytest.fixture
def idp():
    provider = start_provider()
    yield provider
    provider.stop()


def _configure_sso(page, idp) -> None:
    page.get_by_role("link", name="Single sign-on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on")
    checkpoint(page, "sso-02-settings")
    page.get_by_label("Issuer URL").fill(idp.issuer)
    page.get_by_label("Client ID").fill(idp.client_id)
    page.get_by_label("Client secret", exact=True).fill(idp.client_secret)
    expect(page.get_by_label("Turn on single sign-on")).to_be_checked()
    page.get_by_role("button", name="Save single sign-on settings").click()
    expect(page.get_by_text("Single sign-on settings saved")).to_be_visible()
    expect(page.locator("main .govuk-summary-list")).to_contain_text("On")
    checkpoint(page, "sso-03-saved")


class FakeResolver:
    def __init__(self):
        self.records: dict[str, list[str]] = {}

    def txt_records(self, name: str) -> list[str]:
        return self.records.get(name, [])


def _add_domain(page) -> None:
    page.get_by_label("Email domain", exact=True).fill("kelvinmarine.example")
    page.get_by_role("button", name="Add domain").click()
    card = page.locator("#email-domains ~ .govuk-summary-card", has_text="kelvinmarine.example")
    expect(card.locator(".govuk-tag")).to_have_text("Pending")
    checkpoint(page, "sso-03b-domain-pending")


def _prove_domain_by_dns(page, resolver: FakeResolver) -> None:
    card = page.locator("#email-domains ~ .govuk-summary-card", has_text="kelvinmarine.example")
    record = card.locator("code", has_text="credwork-domain-verification=").inner_text().strip()
    resolver.records["kelvinmarine.example"] = [record]  # the admin publishes it in their DNS
    card.get_by_role("button", name="Check DNS now").click()
    expect(page.get_by_text("kelvinmarine.example is verified")).to_be_visible()
    expect(page.locator("#email-domains ~ .govuk-summary-card .govuk-tag")).to_have_text("Verified")
    checkpoint(page, "sso-03c-domain-verified")


def _invite(page, email: str) -> None:
    page.goto("/organisation/people/invite")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Employee or apprentice (learner)").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {email}")).to_be_visible()


def _start_sso(page, email: str) -> None:
    page.goto("/login")
    page.get_by_role("link", name="sign in with your organisation account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with your organisation account")
    checkpoint(page, "sso-start")
    page.get_by_label("Work email address").fill(email)
    page.get_by_role("button", name="Continue").click()


def test_admin_configures_sso_and_an_invited_person_signs_in_with_it(new_context, idp, live_server, monkeypatch):
    resolver = FakeResolver()
    monkeypatch.setitem(live_server.app.config, "DNS_TXT_RESOLVER", resolver)
    admin = new_context().new_page()
    sign_in(admin, ORG_ADMIN, name="sso-01")
    _configure_sso(admin, idp)
    _add_domain(admin)
    _invite(admin, INVITEE)

    # Claimed but not proved: nobody is sent to the identity provider for the domain.
    idp.set_user(INVITEE, verified=True, name="Skye Morrison")
    early = new_context().new_page()
    _start_sso(early, INVITEE)
    expect(early.locator(".govuk-error-summary")).to_contain_text("No organisation uses single sign-on")
    assert idp.authorization_requests == []

    admin.goto("/organisation/sso")
    _prove_domain_by_dns(admin, resolver)

    person = new_context().new_page()
    _start_sso(person, INVITEE)
    # The provider approved her and sent the browser back; she never typed a Credwork password.
    expect(person).to_have_url(re.compile(r"/dashboard$"))
    assert idp.last_authorization.get("code_challenge_method") in ("S256", ["S256"])
    expect(person.get_by_text("Welcome to Kelvin Marine Engineering Ltd")).to_be_visible()
    expect(person.get_by_role("heading", level=1)).to_have_text("Hello, Skye Morrison")
    expect(person.locator("main .govuk-tag", has_text="Employee or apprentice (learner)")).to_be_visible()
    checkpoint(person, "sso-04-dashboard")

    # Same domain, verified by the provider, but never invited: refused, and not signed in.
    idp.set_user(UNINVITED, verified=True, name="Alasdair Munro")
    stranger = new_context().new_page()
    _start_sso(stranger, UNINVITED)
    expect(stranger.locator("main")).not_to_contain_text("Hello,")
    expect(stranger.get_by_role("button", name="Sign out")).to_have_count(0)
    checkpoint(stranger, "sso-05-refused")
    stranger.goto("/dashboard")
    expect(stranger).to_have_url(re.compile(r"/login"))
