"""Journey (quality assurance as a review): a provider coordinator submits a published
micro-credential for a quality review; a platform reviewer finds it on their dashboard, records
each criterion and approves it; the hub then says who quality-assured it and when, and the
provider sees the outcome."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, sign_in

pytestmark = pytest.mark.no_transaction

COORDINATOR = "lorna.mcintyre@forthside.example"
REVIEWER = "alasdair.grant@credwork.example"
TITLE = "Welding Techniques and Weld Quality"
CRITERIA = [
    "Learning outcomes are stated",
    "At least 10 notional hours",
    "Formally assessed",
    "Credit-rated by a credit-rating body (where it claims credit)",
    "The provider's own quality assurance is named",
]


def test_provider_submits_and_reviewer_approves(new_context):
    provider = new_context().new_page()
    sign_in(provider, COORDINATOR, name="qa-provider")
    provider.get_by_role("link", name="Publish micro-credentials").click()
    provider.get_by_role("link", name=TITLE).click()
    expect(provider.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(provider.get_by_role("heading", name="Quality review")).to_be_visible()
    provider.get_by_label("Note for the reviewer (optional)").fill("Our first review on Credwork.")
    checkpoint(provider, "qa-01-provider-record")
    provider.get_by_role("button", name="Submit for quality review").click()
    expect(provider.get_by_text("is submitted for quality review")).to_be_visible()
    expect(provider.locator("main")).to_contain_text("Waiting for review")
    checkpoint(provider, "qa-02-submitted")

    reviewer = new_context().new_page()
    sign_in(reviewer, REVIEWER, name="qa-reviewer")
    expect(reviewer.locator("main")).to_contain_text("waiting for a quality review")
    reviewer.get_by_role("link", name="Open the quality reviews").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Quality reviews")
    checkpoint(reviewer, "qa-03-queue")
    reviewer.get_by_role("link", name=TITLE).first.click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"Review {TITLE}")
    expect(reviewer.locator("main")).to_contain_text("Our first review on Credwork.")
    # Pre-checked from the record's 120 hours; the reviewer records the rest.
    expect(reviewer.get_by_role("group", name=CRITERIA[1]).get_by_label("Met", exact=True)).to_be_checked()
    checkpoint(reviewer, "qa-04-review-form")
    for criterion in CRITERIA:
        reviewer.get_by_role("group", name=criterion).get_by_label("Met", exact=True).check()
    reviewer.get_by_label("Approve as quality-assured").check()
    reviewer.get_by_label("Comments for the provider").fill("Clear outcomes and a well-described assessment.")
    reviewer.get_by_role("button", name="Record the review").click()
    expect(reviewer.get_by_text("approved as quality-assured")).to_be_visible()
    checkpoint(reviewer, "qa-05-approved")

    visitor = new_context().new_page()
    visitor.goto("/hub/forthside-college/FC-ENG304")
    expect(visitor.locator("main")).to_contain_text(
        re.compile(r"Quality-assured by Credwork \(Alasdair Grant\) on \d+ \w+ \d{4}, review due \d+ \w+ \d{4}")
    )
    checkpoint(visitor, "qa-06-hub-record")
    visitor.goto("/hub?qa=assured")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()

    provider.reload()
    expect(provider.locator("main")).to_contain_text("is quality-assured until")
    expect(provider.locator("main")).to_contain_text("Clear outcomes and a well-described assessment.")
    checkpoint(provider, "qa-07-provider-outcome")
