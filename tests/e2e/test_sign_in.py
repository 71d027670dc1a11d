"""Journey (issue 2): an HR manager signs in, sees the tasks her role has, and signs out; with
JavaScript off, signing in works the same way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, sign_in, sign_out

pytestmark = pytest.mark.no_transaction

HR_MANAGER = "fiona.campbell@kelvinmarine.example"


def _role_tasks_are_shown(page) -> None:
    expect(page.get_by_text("Kelvin Marine Engineering Ltd").first).to_be_visible()
    expect(page.locator("main .govuk-tag", has_text="HR manager")).to_be_visible()
    # Her role's tasks appear (ready or plainly marked as coming); an org admin's do not.
    for title in ("Job roles and skills gaps", "Team skills", "CPD sponsorship"):
        expect(page.get_by_role("heading", level=3, name=re.compile(re.escape(title)))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("People and roles"))).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile("Audit log"))).to_have_count(0)


def test_sign_in_see_role_tasks_and_sign_out(page):
    page.goto("/")
    checkpoint(page, "sign-in-01-front-page")
    page.get_by_role("banner").get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/login$"))

    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    checkpoint(page, "sign-in-02-errors")

    page.get_by_label("Email address").fill(HR_MANAGER)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/dashboard"))

    sign_in(page, HR_MANAGER, name="sign-in-03")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Fiona Campbell")
    _role_tasks_are_shown(page)
    checkpoint(page, "sign-in-04-dashboard")

    # The error pages she might meet are accessible too: another role's page, a missing page.
    response = page.goto("/organisation/people")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have permission to see this page")
    checkpoint(page, "sign-in-04a-forbidden")
    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    checkpoint(page, "sign-in-04b-not-found")
    page.goto("/dashboard")

    sign_out(page)
    checkpoint(page, "sign-in-05-signed-out")
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_sign_in_without_javascript(new_context):
    page = new_context(javascript=False).new_page()
    sign_in(page, HR_MANAGER, name="sign-in-nojs-01")
    _role_tasks_are_shown(page)
    checkpoint(page, "sign-in-nojs-02-dashboard")
    sign_out(page)
