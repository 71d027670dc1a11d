"""Journeys (issue 12, recruitment): a candidate applies with two badges, one valid and one
tampered, and sees each verdict; the recruiter compares two shortlisted candidates and exports the
hiring panel's PDF; the purge removes an expired vacancy's candidates. axe checks every page."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.steps import SCREENSHOTS, checkpoint, link_in_email, sign_in
from tests.factories.verification import baked_png, issued_badge

pytestmark = pytest.mark.no_transaction

RECRUITER = "ruth.henderson@kelvinmarine.example"
VACANCY = "CAD Technician (Govan yard)"
CANDIDATE = "fiona.mackay@applicant.example"


def _application_link(page) -> str:
    page.get_by_role("link", name="Vacancies").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vacancies")
    checkpoint(page, "recruitment-vacancies")
    page.get_by_role("link", name=VACANCY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(VACANCY)
    checkpoint(page, "recruitment-vacancy")
    return page.locator("main a[href*='/apply/']").first.get_attribute("href")


def test_a_candidate_applies_with_a_valid_and_a_tampered_badge(page, new_context, live_server):
    sign_in(page, RECRUITER)
    link = _application_link(page)

    candidate = new_context().new_page()
    candidate.goto(link)
    expect(candidate.get_by_role("heading", level=1)).to_have_text(VACANCY)
    expect(candidate.locator("main")).not_to_contain_text("Morag Campbell")  # no one else's application
    checkpoint(candidate, "recruitment-apply")
    candidate.get_by_label("Full name").fill("Fiona Mackay")
    candidate.get_by_label("Email address").fill(CANDIDATE)
    tampered = issued_badge(CANDIDATE, name="CAD for Ship Hulls")
    tampered["credentialSubject"]["achievement"]["name"] = "Chartered Naval Architect"
    candidate.get_by_label("Upload badge files").set_input_files(
        {"name": "data-analysis.png", "mimeType": "image/png", "buffer": baked_png(CANDIDATE)}
    )
    candidate.get_by_label("Or paste a badge from your wallet").fill(json.dumps(tampered))
    candidate.get_by_label("I agree").check()
    candidate.get_by_role("button", name="Apply").click()

    expect(candidate.get_by_role("heading", level=1)).to_have_text(f"Your application for {VACANCY}")
    expect(candidate.get_by_text("Your application has been sent.")).to_be_visible()
    expect(candidate.get_by_text("This badge is genuine and awarded to you")).to_be_visible()
    expect(candidate.get_by_text("This badge did not pass the checks")).to_be_visible()
    checkpoint(candidate, "recruitment-my-application")
    assert "/me/" in link_in_email(live_server, CANDIDATE, "/me/")

    # The recruiter sees her with the tampered badge marked, and its check
    page.reload()
    page.get_by_role("link", name="Fiona Mackay").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fiona Mackay")
    expect(page.get_by_role("row").filter(has_text="Chartered Naval Architect")).to_contain_text("Not valid")
    expect(page.get_by_role("row").filter(has_text="Data Analysis with Python")).to_contain_text("Valid")
    checkpoint(page, "recruitment-candidate")
    page.get_by_role("link", name=re.compile("Chartered Naval Architect")).first.click()
    expect(page.get_by_role("heading", name=re.compile("What the credential claims"))).to_be_visible()
    checkpoint(page, "recruitment-badge-check")

    # She withdraws: her data goes at once
    candidate.get_by_text("Withdraw my application", exact=True).click()
    candidate.get_by_role("button", name="Yes, withdraw my application").click()
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Application withdrawn")
    checkpoint(candidate, "recruitment-withdrawn")
    page.goto(page.url.split("/candidates/")[0])
    expect(page.locator("main")).not_to_contain_text("Fiona Mackay")


def test_a_recruiter_opens_a_vacancy_from_a_job_role(page):
    sign_in(page, RECRUITER)
    page.goto("/recruitment/")
    page.get_by_role("link", name="Open a vacancy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a vacancy")
    checkpoint(page, "recruitment-new")
    page.get_by_label("Job role").select_option(label="Data Analyst (Digital & IT)")
    page.get_by_label("Vacancy title").fill("Data Analyst (graduate)")
    page.get_by_role("textbox", name="Day", exact=True).fill("31")
    page.get_by_role("textbox", name="Month", exact=True).fill("1")
    page.get_by_role("textbox", name="Year", exact=True).fill("2031")
    page.get_by_role("button", name="Save vacancy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data Analyst (graduate)")
    expect(page.get_by_text("Vacancy opened with the skills of Data Analyst")).to_be_visible()
    expect(page.get_by_role("table", name="Skills this vacancy asks for").get_by_role("row")).not_to_have_count(1)
    page.get_by_role("link", name=re.compile("Change the vacancy")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the vacancy")
    checkpoint(page, "recruitment-edit")


def test_the_recruiter_compares_two_candidates_and_exports_the_panel_pdf(page):
    sign_in(page, RECRUITER)
    _application_link(page)
    page.get_by_role("link", name="Compare the shortlist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare candidates")
    table = page.get_by_role("table", name=re.compile("Skills by candidate"))
    headers = table.get_by_role("columnheader")
    expect(headers.nth(1)).to_contain_text("Morag Campbell")  # best fit first
    expect(headers.nth(2)).to_contain_text("Duncan Fraser")
    expect(table.get_by_text(re.compile("which does not count: it is not valid")).first).to_be_visible()
    checkpoint(page, "recruitment-compare")
    # Chromium shows a PDF rather than saving it, so the link is fetched as the signed-in recruiter
    href = page.get_by_role("link", name="Hiring panel PDF").get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert re.search(r'attachment; filename="vacancy-\d+-panel\.pdf"', response.headers["content-disposition"])
    body = response.body()
    assert body.startswith(b"%PDF")
    (SCREENSHOTS / "recruitment-panel.pdf").write_bytes(body)


def test_the_purge_removes_an_expired_vacancys_candidates(page, live_server):
    from app.domain.calendar import london_today
    from app.extensions import db
    from app.models import Candidate, Vacancy

    app = live_server.app
    with app.app_context():
        vacancy = db.session.scalar(select(Vacancy).where(Vacancy.title == VACANCY))
        vacancy.closes_on = london_today() - timedelta(days=250)  # past its 6 months' retention
        vacancy_id, token = vacancy.id, vacancy.token
        db.session.commit()
        db.session.remove()
    result = app.test_cli_runner().invoke(args=["recruitment", "purge"])
    assert re.search(r"Deleted the data of \d+ candidates from 1 vacancy", result.output), result.output
    with app.app_context():
        assert db.session.scalar(select(Candidate).where(Candidate.vacancy_id == vacancy_id)) is None
        db.session.remove()

    sign_in(page, RECRUITER)
    page.goto(f"/recruitment/{vacancy_id}")
    expect(page.get_by_text(re.compile("personal data and files were deleted"))).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Morag Campbell")
    checkpoint(page, "recruitment-purged")
    response = page.goto(f"/apply/{token}")
    assert response is not None and response.status == 404
