"""Journey (issue 12): a learner asks a university to recognise a badge from their wallet as prior
learning towards a programme; the university's coordinator, told on the dashboard, sees the badge
checked again and grants a module with a reason; the learner finds the credit in their wallet.
axe checks every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, sign_in, sign_out

pytestmark = pytest.mark.no_transaction

LEARNER = "amy.wilson@tayvalleyhealth.example"
COORDINATOR = "eilidh.ross@caledonia.example"
PROGRAMME = "Graduate Apprenticeship in Data Science (BSc Hons)"


def test_a_learner_asks_for_credit_and_the_coordinator_grants_a_module(page):
    sign_in(page, LEARNER)
    page.goto("/wallet/")
    page.get_by_role("link", name="Ask for recognition of prior learning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for recognition of prior learning")
    checkpoint(page, "rpl-new")
    programme = page.get_by_label("Programme")
    option = programme.locator("option", has_text=PROGRAMME).first.get_attribute("value")
    programme.select_option(value=option)
    page.get_by_label("Health Informatics Foundations").check()
    page.get_by_label("Anything the provider should know (optional)").fill("I use these skills every day.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAMME)
    expect(page.get_by_text("Waiting for a decision")).to_be_visible()
    checkpoint(page, "rpl-mine-waiting")
    sign_out(page)

    sign_in(page, COORDINATOR)
    page.get_by_role("link", name=re.compile(r"request for recognition of prior learning to decide")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests for recognition of prior learning")
    checkpoint(page, "rpl-requests")
    page.get_by_role("link", name="Amy Wilson").click()
    badges = page.get_by_role("table", name=re.compile("Attached badges"))
    expect(badges.get_by_role("row").filter(has_text="Health Informatics Foundations")).to_contain_text("Valid")
    checkpoint(page, "rpl-decide")
    first_module = page.locator("fieldset").first
    first_module.get_by_label("Grant credit").check()
    first_module.get_by_label(re.compile("^Reason")).fill("The badge covers this module's learning outcomes.")
    page.get_by_role("button", name="Send the decision").click()
    expect(page.get_by_text("Decision sent to Amy Wilson.")).to_be_visible()
    sign_out(page)

    sign_in(page, LEARNER)
    page.goto("/wallet/")
    credit = page.get_by_role("table", name="Credit granted through recognition of prior learning")
    expect(credit).to_contain_text(PROGRAMME)
    checkpoint(page, "rpl-wallet-credit")
