"""Journeys (issue 10): an apprentice records evidence with a file; the line manager adds a
witness statement; the assessor returns one piece and signs another off; coverage turns green;
gateway is confirmed by both sides; the result is recorded; the certificate is issued and its
public page says valid. Every page is checked with axe."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import checkpoint, fill_date, sign_in, sign_out
from tests.factories.evidence import PDF

pytestmark = pytest.mark.no_transaction

APPRENTICE = "priya.shah@kelvinmarine.example"
LINE_MANAGER = "iain.stewart@kelvinmarine.example"
ASSESSOR = "alan.murray@caledonia.example"
FORTHSIDE_ASSESSOR = "hamish.grant@forthside.example"
FORTHSIDE_COORDINATOR = "lorna.mcintyre@forthside.example"


def open_portfolio(page: Page, apprentice: str) -> None:
    page.goto("/apprenticeships/")
    if not re.search(r"/apprenticeships/\d+$", page.url):
        page.get_by_role("table").get_by_role("link", name=apprentice).click()
    page.get_by_role("link", name="Open the evidence portfolio and its coverage of the KSBs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Work-based evidence")


def record(page: Page, title: str, kind: str, ksb: str, *, file: bool) -> None:
    page.get_by_role("link", name="Record evidence").click()
    page.get_by_label("Title", exact=True).fill(title)
    fill_date(page, "Date of the work", date.today() - timedelta(days=2))
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("What was done, and what does it show?").fill(f"{title}: what was done and what it shows.")
    page.get_by_label(re.compile(f"{ksb}: ")).check()
    if file:
        page.get_by_label("Attach a file (optional)").set_input_files(
            {"name": "retention-analysis.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
    checkpoint(page, f"evidence-form-{kind.lower().replace(' ', '-')}")
    page.get_by_role("button", name="Save and submit to the assessor").click()
    expect(page.get_by_text("Evidence submitted to the assessor")).to_be_visible()


def test_evidence_from_recording_to_sign_off_and_coverage(new_context):
    apprentice = new_context().new_page()
    sign_in(apprentice, APPRENTICE)
    open_portfolio(apprentice, "Priya Shah")
    checkpoint(apprentice, "evidence-01-portfolio")
    record(apprentice, "Customer retention analysis", "Reflective account", "WBLO2", file=True)
    expect(apprentice.get_by_role("link", name="retention-analysis.pdf")).to_be_visible()
    checkpoint(apprentice, "evidence-02-entry")
    sign_out(apprentice)

    manager = new_context().new_page()
    sign_in(manager, LINE_MANAGER)
    open_portfolio(manager, "Priya Shah")
    record(manager, "Led the stand-up on data quality", "Witness testimony", "WBLO1", file=False)
    expect(manager.get_by_text("the line manager's own statement")).to_be_visible()

    assessor = new_context().new_page()
    sign_in(assessor, ASSESSOR)
    open_portfolio(assessor, "Priya Shah")
    assessor.get_by_role("link", name="Customer retention analysis").first.click()
    checkpoint(assessor, "evidence-03-assess")
    assessor.get_by_label("Feedback").fill("Say how the retention figures changed what the team did.")
    assessor.get_by_role("button", name="Return with feedback").click()
    expect(assessor.get_by_text("Returned with feedback", exact=True).first).to_be_visible()
    assessor.get_by_role("link", name="Back to the portfolio").click()
    assessor.get_by_role("link", name="Led the stand-up on data quality").first.click()
    assessor.get_by_label(re.compile("WBLO1: ")).check()
    assessor.get_by_role("button", name="Sign off the chosen KSBs").click()
    expect(assessor.get_by_text("Signed off by Alan Murray")).to_be_visible()
    assessor.get_by_role("link", name="Back to the portfolio").click()
    wblo1 = assessor.get_by_role("table", name="Coverage of each KSB").get_by_role("row", name=re.compile("^WBLO1"))
    expect(wblo1).to_contain_text("Signed off")
    checkpoint(assessor, "evidence-04-coverage-green")
    assessor.goto("/apprenticeships/coverage")
    expect(assessor.get_by_role("heading", level=1)).to_have_text("Evidence coverage")
    checkpoint(assessor, "evidence-05-heat-map")


def test_gateway_result_and_the_certificate(new_context):
    manager = new_context().new_page()
    sign_in(manager, LINE_MANAGER)
    manager.goto("/apprenticeships/")
    manager.get_by_role("table").get_by_role("link", name="Niamh Fraser").click()
    checkpoint(manager, "gateway-01-checklist")
    manager.get_by_role("button", name="Confirm gateway as the employer").click()
    expect(manager.get_by_text("You confirmed gateway as the employer")).to_be_visible()

    provider = new_context().new_page()
    sign_in(provider, FORTHSIDE_ASSESSOR)
    provider.goto(manager.url.split("#")[0])
    provider.get_by_role("button", name="Confirm gateway as the provider").click()
    expect(provider.get_by_text("the apprentice is ready for end-point assessment")).to_be_visible()

    coordinator = new_context().new_page()
    sign_in(coordinator, FORTHSIDE_COORDINATOR)
    coordinator.goto(manager.url.split("#")[0])
    coordinator.get_by_label("Pass", exact=True).check()
    fill_date(coordinator, "Date of the assessment", date.today())
    checkpoint(coordinator, "gateway-02-result")
    coordinator.get_by_role("button", name="Record the result").click()
    expect(coordinator.get_by_text("End-point assessment recorded: Pass")).to_be_visible()
    certificate = coordinator.get_by_role("link", name="Modern Apprenticeship in Business Administration")
    certificate.click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text(
        "Modern Apprenticeship in Business Administration"
    )
    expect(coordinator.get_by_text("An apprenticeship certificate (Modern Apprenticeship)")).to_be_visible()
    expect(coordinator.locator("main")).to_contain_text("Valid")
    checkpoint(coordinator, "gateway-03-certificate")
