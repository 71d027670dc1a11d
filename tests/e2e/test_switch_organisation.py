"""Journey (issue 2): a person who works for two providers switches organisation; the dashboard
shows the organisation she is working in and her role there."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, sign_in

pytestmark = pytest.mark.no_transaction

TWO_PROVIDERS = "lorna.mcintyre@forthside.example"


def _switch_to(page, organisation: str) -> None:
    page.get_by_label("Working in").select_option(label=organisation)
    page.get_by_role("button", name="Switch").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_text(f"You are now working in {organisation}")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_switch_between_two_providers(new_context, javascript):
    page = new_context(javascript=javascript).new_page()
    suffix = "" if javascript else "-nojs"
    sign_in(page, TWO_PROVIDERS)
    caption = page.locator("main .govuk-caption-l")
    roles = page.locator("main .govuk-tag")
    expect(caption).to_have_text("Forthside College")
    expect(roles.filter(has_text="Provider coordinator")).to_be_visible()
    checkpoint(page, f"switch-01-forthside{suffix}")

    _switch_to(page, "University of Caledonia")
    expect(caption).to_have_text("University of Caledonia")
    expect(roles.filter(has_text="Assessor")).to_be_visible()
    expect(roles.filter(has_text="Provider coordinator")).to_have_count(0)
    expect(page.get_by_label("Working in")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Working in").locator("option:checked")).to_have_text("University of Caledonia")
    # An assessor does not publish to the hub; that task belongs to her Forthside role.
    expect(page.get_by_role("heading", level=3, name=re.compile("Publish micro-credentials"))).to_have_count(0)
    checkpoint(page, f"switch-02-caledonia{suffix}")

    # The choice sticks: a fresh load of the dashboard is still in Caledonia.
    page.goto("/dashboard")
    expect(caption).to_have_text("University of Caledonia")

    _switch_to(page, "Forthside College")
    expect(caption).to_have_text("Forthside College")
    expect(page.get_by_role("heading", level=3, name=re.compile("Publish micro-credentials"))).to_be_visible()
