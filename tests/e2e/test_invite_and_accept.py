"""Journey (issue 2): an org admin invites a new line manager; the invitee follows the emailed
link in their own browser, creates an account and lands on the dashboard with that role."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, link_in_email, sign_in

pytestmark = pytest.mark.no_transaction

ORG_ADMIN = "aileen.macleod@kelvinmarine.example"
INVITEE = "morven.gillies@kelvinmarine.example"


def test_admin_invites_and_the_invitee_accepts(new_context, live_server):
    admin = new_context().new_page()
    sign_in(admin, ORG_ADMIN, name="invite-01")
    admin.get_by_role("link", name="People and roles").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("People and roles")
    checkpoint(admin, "invite-02-people")

    admin.get_by_role("link", name="Invite someone").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Invite someone")
    checkpoint(admin, "invite-03-form")
    admin.get_by_label("Email address").fill(INVITEE)
    admin.get_by_label("Line manager").check()
    admin.get_by_label("Department (optional)").fill("Design Engineering")
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_text(f"Invitation sent to {INVITEE}")).to_be_visible()
    waiting = admin.get_by_role("row", name=re.compile(re.escape(INVITEE)))
    expect(waiting).to_contain_text("Line manager")
    checkpoint(admin, "invite-04-sent")

    link = link_in_email(live_server, INVITEE, "/invitations/")
    invitee = new_context().new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Join Kelvin Marine Engineering Ltd")
    expect(invitee.get_by_role("main")).to_contain_text("Line manager")
    checkpoint(invitee, "invite-05-accept-form")
    invitee.get_by_label("Full name").fill("Morven Gillies")
    invitee.get_by_label("Choose a password", exact=True).fill("a long harbour crane")
    invitee.get_by_role("button", name="Accept invitation").click()

    expect(invitee).to_have_url(re.compile(r"/dashboard$"))
    expect(invitee.get_by_text("Welcome to Kelvin Marine Engineering Ltd")).to_be_visible()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Hello, Morven Gillies")
    expect(invitee.locator("main .govuk-tag", has_text="Line manager")).to_be_visible()
    expect(invitee.get_by_role("heading", level=3, name=re.compile("Team skills"))).to_be_visible()
    checkpoint(invitee, "invite-06-dashboard")

    # The link worked once; someone else opening it later is told it no longer works.
    stranger = new_context().new_page()
    response = stranger.goto(link)
    assert response.status == 410
    expect(stranger.get_by_role("heading", level=1)).to_have_text(re.compile("no longer works", re.I))
    checkpoint(stranger, "invite-07-used-link")

    # The admin's list now shows the new member and no waiting invitation.
    admin.reload()
    expect(admin.get_by_role("row", name=re.compile("Morven Gillies"))).to_contain_text("Line manager")
    expect(admin.get_by_text("No invitations are waiting.")).to_be_visible()
