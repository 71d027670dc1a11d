"""Journey (issue 4): a provider coordinator awards an Open Badge, the learner accepts it and
downloads the baked PNG, a recruiter verifies that file (with the right and a wrong candidate
email), then the coordinator revokes it and both the public page and the verifier say so."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import checkpoint, link_in_email, sign_in

pytestmark = pytest.mark.no_transaction

COORDINATOR = "lorna.mcintyre@forthside.example"
RECRUITER = "ruth.henderson@kelvinmarine.example"
LEARNER_NAME = "Eilidh Fraser"
LEARNER_EMAIL = "eilidh.fraser@learners.example"
BADGE = "Visual Weld Inspection"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _open_dashboard_task(page: Page, task: str) -> None:
    page.get_by_role("link", name=task, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(task)


def _summary_value(page: Page, key: str):
    """The value cell of a GOV.UK summary-list row, found by its key as a reader would."""
    return page.locator(".govuk-summary-list__row", has=page.locator("dt", has_text=key)).locator("dd")


def _badge_image_shown(page: Page) -> None:
    """The page's badge image has really loaded (a boosted navigation does not wait for it)."""
    image = page.locator("main img.cw-badge-image")
    expect(image).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())


def _verify_upload(page: Page, badge_file, candidate: str, name: str) -> None:
    page.goto("/verifications")
    page.get_by_role("main").get_by_role("link", name="Verify a badge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify a candidate's badge")
    checkpoint(page, f"{name}-form")
    page.get_by_label("Upload a badge file").set_input_files(str(badge_file))
    page.get_by_label("Candidate's email address (optional)").fill(candidate)
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/verifications/\d+$"))
    checkpoint(page, f"{name}-result")


def test_award_claim_verify_revoke(new_context, live_server, tmp_path):
    coordinator = new_context().new_page()
    sign_in(coordinator, COORDINATOR, name="badges-01")
    expect(coordinator.locator("main .govuk-caption-l")).to_have_text("Forthside College")
    _open_dashboard_task(coordinator, "Issue badges")
    checkpoint(coordinator, "badges-02-issuing")

    coordinator.get_by_role("button", name="Award a badge").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Award a badge")
    checkpoint(coordinator, "badges-03-award-form")
    chooser = coordinator.get_by_label("Micro-credential")
    option = chooser.locator("option", has_text=BADGE)
    chooser.select_option(value=option.get_attribute("value"))
    coordinator.get_by_label("Learner's full name").fill(LEARNER_NAME)
    coordinator.get_by_label("Learner's email address").fill(LEARNER_EMAIL)
    coordinator.get_by_role("button", name="Award the badge").click()
    expect(coordinator.get_by_text(f"Badge awarded to {LEARNER_NAME}")).to_be_visible()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(f"{BADGE}: {LEARNER_NAME}")
    awarded_url = coordinator.url
    checkpoint(coordinator, "badges-04-awarded")

    coordinator.get_by_role("link", name="Back to issued badges").click()
    row = coordinator.get_by_role("row", name=re.compile(re.escape(LEARNER_NAME)))
    expect(row).to_contain_text(LEARNER_EMAIL)
    expect(row).to_contain_text(BADGE)
    expect(row).to_contain_text("Valid")
    expect(row).to_contain_text("Not yet")
    checkpoint(coordinator, "badges-05-issued-list")

    # The learner, not signed in, follows the emailed link and accepts the badge.
    learner = new_context().new_page()
    learner.goto(link_in_email(live_server, LEARNER_EMAIL, "/credentials/claim/"))
    expect(learner.get_by_role("heading", level=1)).to_have_text("Accept your badge")
    expect(learner.get_by_role("main")).to_contain_text(f"the micro-credential “{BADGE}”")
    checkpoint(learner, "badges-06-claim")
    learner.get_by_role("button", name="Accept the badge").click()
    expect(learner).to_have_url(re.compile(r"/credentials/[0-9a-f-]{36}$"))
    credential_url = learner.url
    expect(learner.get_by_text("Badge accepted.")).to_be_visible()
    expect(learner.get_by_role("heading", level=1)).to_have_text(BADGE)
    expect(learner.get_by_role("heading", level=2, name="Valid", exact=True)).to_be_visible()
    expect(_summary_value(learner, "Awarded to")).to_have_text(LEARNER_NAME)
    # The public page never shows the learner's email address.
    expect(learner.get_by_role("main")).not_to_contain_text(LEARNER_EMAIL)
    _badge_image_shown(learner)
    checkpoint(learner, "badges-07-credential-valid")

    with learner.expect_download() as download_info:
        learner.get_by_role("link", name="Badge image with the credential inside (PNG)").click()
    baked_png = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(baked_png)
    assert baked_png.suffix == ".png"
    assert baked_png.read_bytes()[:8] == PNG_SIGNATURE

    # The coordinator's list now shows the badge as accepted.
    coordinator.reload()
    expect(coordinator.get_by_role("row", name=re.compile(re.escape(LEARNER_NAME)))).to_contain_text("Yes")

    # A recruiter checks the file the candidate brought, first against the candidate's email.
    recruiter = new_context().new_page()
    sign_in(recruiter, RECRUITER, name="badges-08")
    _open_dashboard_task(recruiter, "Verify badges")
    checkpoint(recruiter, "badges-09-verifications")
    _verify_upload(recruiter, baked_png, LEARNER_EMAIL, "badges-10-right-email")
    expect(recruiter.get_by_role("heading", level=1)).to_have_text("Valid badge")
    expect(recruiter.get_by_role("heading", level=2, name=BADGE)).to_be_visible()
    expect(_summary_value(recruiter, "Achievement")).to_have_text(BADGE)
    expect(_summary_value(recruiter, "Issued by")).to_have_text("Forthside College")
    expect(_summary_value(recruiter, "Awarded to")).to_have_text("the email address given")
    expect(_summary_value(recruiter, "Candidate")).to_have_text(LEARNER_EMAIL)
    _badge_image_shown(recruiter)

    # The same file claimed by someone else: the recipient does not match.
    _verify_upload(recruiter, baked_png, "someone.else@example.com", "badges-11-wrong-email")
    expect(_summary_value(recruiter, "Awarded to")).to_have_text(re.compile("does not match"))
    expect(recruiter.get_by_role("heading", level=1)).not_to_have_text("Valid badge")

    # The coordinator revokes the badge with a reason.
    coordinator.goto(awarded_url)
    coordinator.get_by_label("Reason for revoking").fill("Awarded in error: wrong cohort")
    coordinator.get_by_role("button", name="Revoke the badge").click()
    expect(coordinator.get_by_text("Badge revoked. Verifiers now see it as revoked")).to_be_visible()
    expect(coordinator.locator("main .govuk-tag").first).to_have_text("Revoked")
    checkpoint(coordinator, "badges-12-revoked")

    learner.goto(credential_url)
    _badge_image_shown(learner)
    expect(learner.get_by_role("heading", level=2, name="Revoked", exact=True)).to_be_visible()
    expect(learner.get_by_role("main")).to_contain_text("Reason: Awarded in error: wrong cohort")
    checkpoint(learner, "badges-13-credential-revoked")

    # The recruiter checks again by the badge's web address, as a candidate might share it.
    recruiter.goto("/verifications/new")
    recruiter.get_by_label("Or give the badge's web address").fill(credential_url)
    recruiter.get_by_label("Candidate's email address (optional)").fill(LEARNER_EMAIL)
    recruiter.get_by_role("button", name="Verify").click()
    expect(recruiter).to_have_url(re.compile(r"/verifications/\d+$"))
    expect(recruiter.get_by_role("heading", level=1)).to_have_text(re.compile("revoked", re.I))
    expect(_summary_value(recruiter, "Achievement")).to_have_text(BADGE)
    checkpoint(recruiter, "badges-14-verify-revoked")

    # The organisation's history lists both verdicts for this candidate.
    recruiter.get_by_role("link", name="see this candidate's verifications").click()
    expect(recruiter.get_by_role("heading", level=1)).to_have_text("Verify badges")
    history = recruiter.locator("#verification-history")
    expect(history.get_by_role("row", name=re.compile(re.escape(LEARNER_EMAIL)))).to_have_count(2)
    expect(history.get_by_role("row", name=re.compile("Revoked"))).to_contain_text(BADGE)
    expect(history.get_by_role("row", name=re.compile("Valid"))).to_contain_text(BADGE)
    expect(history).not_to_contain_text("someone.else@example.com")
    checkpoint(recruiter, "badges-15-history")
