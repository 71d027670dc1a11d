"""Journey (issue 2): an org admin changes a member's roles, sees them on the people page, and
finds the change in the audit log, whose filter swaps results in place (htmx) and keeps the
filter in a bookmarkable URL; the same filter works with JavaScript off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, sign_in

pytestmark = pytest.mark.no_transaction

ORG_ADMIN = "aileen.macleod@kelvinmarine.example"
CHANGED = "Changed Priya Shah's roles to Employee or apprentice (learner), Line manager"


def test_admin_changes_roles_and_the_audit_log_shows_it(new_context):
    page = new_context().new_page()
    sign_in(page, ORG_ADMIN, name="roles-01")
    page.get_by_role("link", name="People and roles").click()
    page.get_by_role("link", name="Change roles for Priya Shah").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change roles for Priya Shah")
    expect(page.get_by_label("Employee or apprentice (learner)")).to_be_checked()
    checkpoint(page, "roles-02-edit")

    page.get_by_label("Line manager").check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_text("Priya Shah's roles have been updated")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Priya Shah"))).to_contain_text(
        "Employee or apprentice (learner), Line manager"
    )
    checkpoint(page, "roles-03-people")

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.get_by_role("cell", name=CHANGED)).to_be_visible()
    checkpoint(page, "roles-04-audit")

    # Filtering swaps the results in place: a marker set on this document survives it.
    page.evaluate("window.credworkMarker = 'same document'")
    page.get_by_label("Action").select_option("membership.roles_changed")
    expect(page).to_have_url(re.compile(r"/organisation/audit\?.*action=membership\.roles_changed"))
    results = page.locator("#audit-results")
    expect(results).to_contain_text("1 entry")
    expect(results.get_by_role("cell", name=CHANGED)).to_be_visible()
    expect(results.locator("tbody code")).to_have_text(["membership.roles_changed"])
    assert page.evaluate("window.credworkMarker") == "same document"
    checkpoint(page, "roles-05-audit-filtered")

    page.get_by_label("Person (name or email)").fill("nobody-by-this-name")
    page.get_by_role("button", name="Apply filters").click()
    expect(results).to_contain_text("No entries match these filters.")
    expect(page).to_have_url(re.compile(r"actor=nobody-by-this-name"))

    # The pushed URL is a bookmark: opened afresh it shows the same filtered page.
    page.goto(page.url.replace("actor=nobody-by-this-name", "actor="))
    expect(page.get_by_label("Action")).to_have_value("membership.roles_changed")
    expect(results).to_contain_text("1 entry")
    checkpoint(page, "roles-06-audit-bookmark")


def test_change_roles_and_filter_the_audit_log_without_javascript(new_context):
    page = new_context(javascript=False).new_page()
    sign_in(page, ORG_ADMIN)
    page.goto("/organisation/people")
    page.get_by_role("link", name="Change roles for Ruth Henderson").click()
    page.get_by_label("HR manager").check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_role("row", name=re.compile("Ruth Henderson"))).to_contain_text("HR manager, Recruiter")

    page.goto("/organisation/audit")
    page.get_by_label("Action").select_option("membership.roles_changed")
    page.get_by_label("Person (name or email)").fill("aileen")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"action=membership\.roles_changed.*actor=aileen"))
    results = page.locator("#audit-results")
    expect(
        results.get_by_role("cell", name=re.compile("Changed Ruth Henderson's roles to HR manager, Recruiter"))
    ).to_be_visible()
    assert set(results.locator("tbody code").all_inner_texts()) == {"membership.roles_changed"}
    checkpoint(page, "roles-07-audit-nojs")
