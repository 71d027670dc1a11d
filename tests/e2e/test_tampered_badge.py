"""Journey (issue 11, item 8): someone pastes a badge whose title was changed after signing into
the public verifier. The verdict is the page's only main heading; the forged title appears only
in a box of claims marked as not proven, and no check on those claims reads as passed."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint
from tests.factories.verification import issued_badge

pytestmark = pytest.mark.no_transaction


def test_a_forged_title_is_shown_only_as_an_unproven_claim(page):
    credential = issued_badge()
    credential["credentialSubject"]["achievement"]["name"] = "Data Science PhD"
    page.goto("/verify")
    page.get_by_label("Or paste the badge").fill(json.dumps(credential))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Not valid")
    claims = page.locator(".cw-claims--unproven")
    expect(claims.get_by_role("heading", level=2)).to_contain_text("What the credential claims")
    expect(claims).to_contain_text("Claimed, not proven")
    expect(claims).to_contain_text("Data Science PhD")
    expect(page.get_by_role("heading", name="Data Science PhD")).to_have_count(0)
    for check in ("Issuer known to the hub", "Revocation", "Dates"):
        row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=check))
        expect(row).to_contain_text("Not applicable")
        expect(row).not_to_contain_text("Passed")
    checkpoint(page, "tampered-badge-result")
