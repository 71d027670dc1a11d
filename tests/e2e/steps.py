"""Steps the journeys share: signing in and out, checkpoints (axe + screenshot), email links."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from seeds import DEMO_PASSWORD
from tests.e2e.axe import assert_accessible

SCREENSHOTS = Path(
    os.environ.get("CREDWORK_SCREENSHOTS", Path(__file__).resolve().parents[2] / "test-results" / "screenshots")
)


def checkpoint(page: Page, name: str) -> None:
    """Every page a journey reaches: axe-core finds nothing serious, and a screenshot is kept."""
    page.wait_for_load_state("load")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert_accessible(page)


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD, name: str | None = None) -> None:
    """Sign in through the real form and wait for the dashboard; both pages are checked with axe
    (and kept as screenshots when `name` is given)."""
    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Credwork")
    if name:
        checkpoint(page, f"{name}-sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello,")
    # Each role has its own dashboard cards, so every signed-in dashboard is checked.
    assert_accessible(page)


def sign_out(page: Page) -> None:
    """Use the header's sign-out button; the sign-in page says so."""
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("You have signed out")).to_be_visible()


def link_in_email(server, to: str, path_part: str) -> str:
    """The newest link containing `path_part` in mail sent to `to`, as the person would click it."""
    for mail in reversed(server.outbox()):
        if mail.to.lower() != to.lower():
            continue
        for url in re.findall(r"https?://\S+", mail.body):
            if path_part in url:
                return url.rstrip(".,)")
    sent = [(m.to, m.subject) for m in server.outbox()]
    raise AssertionError(f"no email to {to} with a link containing {path_part!r}; sent: {sent}")


def fill_date(page: Page, legend: str, day) -> None:
    """Fill GOV.UK's three date boxes inside the fieldset named `legend`."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
