"""Journeys (issue 9): a coordinator defines a programme and starts a cohort; the three parties
accept a training plan; an apprentice logs off-the-job hours and an overlap is refused; a
progress review is signed by all three; the employer's dashboard shows a status change. Every
page is checked with axe."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import checkpoint, fill_date, sign_in

pytestmark = pytest.mark.no_transaction

CALEDONIA_COORDINATOR = "eilidh.ross@caledonia.example"
CALEDONIA_ASSESSOR = "alan.murray@caledonia.example"
FORTHSIDE_ASSESSOR = "hamish.grant@forthside.example"
KELVIN_LINE_MANAGER = "iain.stewart@kelvinmarine.example"
TAY_VALLEY_HR = "euan.mackay@tayvalleyhealth.example"


def open_apprentice(page: Page, name: str) -> None:
    page.goto("/apprenticeships/")
    page.get_by_role("table").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_a_coordinator_defines_a_programme_and_starts_a_cohort(new_context):
    page = new_context().new_page()
    sign_in(page, CALEDONIA_COORDINATOR)
    page.get_by_role("link", name="Apprenticeship programmes").click()
    checkpoint(page, "apprenticeships-01-programmes")
    page.get_by_role("link", name="Define a programme").click()
    page.get_by_label("Graduate Apprenticeship").check()
    page.get_by_label("Title", exact=True).fill("Graduate Apprenticeship in Cyber Security")
    page.get_by_label("SCQF level").fill("10")
    page.get_by_label("SCQF credit points").fill("480")
    page.get_by_label("Planned duration in months").fill("48")
    page.get_by_label("A percentage of contracted hours").check()
    page.get_by_label("Percentage of contracted hours", exact=True).fill("20")
    page.get_by_label("Knowledge, skills and behaviours (KSBs) or learning outcomes").fill(
        "LO1 Assesses cyber risk to an organisation\nLO2 Responds to security incidents\nWBLO1 Leads a security improvement at work"
    )
    checkpoint(page, "apprenticeships-02-programme-form")
    page.get_by_role("button", name="Save programme").click()
    expect(page.get_by_text("saved as a draft")).to_be_visible()
    page.get_by_label("Add a module from the hub").select_option(
        label="Cyber Security Risk Management (University of Caledonia)"
    )
    page.get_by_role("button", name="Add module").click()
    expect(page.get_by_role("table", name="Modules: micro-credentials from the hub")).to_contain_text(
        "Cyber Security Risk Management"
    )
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_text("is published: cohorts can start on it")).to_be_visible()
    checkpoint(page, "apprenticeships-03-programme-published")

    page.get_by_role("link", name="Start a cohort").click()
    page.get_by_label("Programme", exact=True).select_option(
        label="Graduate Apprenticeship in Cyber Security (version 1)"
    )
    page.get_by_label("Cohort name").fill("Cyber Security GA, January 2027")
    fill_date(page, "Start date", date.today() + timedelta(days=30))
    checkpoint(page, "apprenticeships-04-cohort-form")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_text("Choose its assessors")).to_be_visible()
    page.get_by_label("Alan Murray").check()
    checkpoint(page, "apprenticeships-05-cohort-team")
    page.get_by_role("button", name="Save team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cyber Security GA, January 2027")

    page.get_by_role("link", name="Add an apprentice").click()
    page.get_by_label("Employer", exact=True).select_option(label="Kelvin Marine Engineering Ltd")
    page.get_by_label("Apprentice's work email").fill("callum.reid@kelvinmarine.example")
    page.get_by_label("Line manager's work email").fill("nobody@kelvinmarine.example")
    page.get_by_label("Contracted hours a week").fill("37.5")
    page.get_by_role("button", name="Add apprentice").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Nobody with the email nobody@kelvinmarine.example works at Kelvin Marine"
    )
    checkpoint(page, "apprenticeships-06-enrol-error")
    page.get_by_label("Line manager's work email").fill(KELVIN_LINE_MANAGER)
    page.get_by_role("button", name="Add apprentice").click()
    expect(page.get_by_text("Callum Reid added")).to_be_visible()
    checkpoint(page, "apprenticeships-07-apprenticeship")

    page.goto("/cohorts/")
    expect(page.get_by_role("table")).to_contain_text("Cyber Security GA, January 2027")
    checkpoint(page, "apprenticeships-08-cohorts")


def test_the_three_parties_accept_the_training_plan(new_context, live_server):
    from app.extensions import db
    from app.models import Apprenticeship, Cohort, Organisation
    from app.services.apprenticeships import cohorts

    with live_server.app.app_context():
        cohort = db.session.query(Cohort).filter_by(name="Data Science GA, Dundee").one()
        employer = db.session.query(Organisation).filter_by(slug="tay-valley-health").one()
        coordinator = cohort.coordinator.user
        made = cohorts.enrol(
            coordinator,
            cohort,
            cohorts.Enrolment(
                employer, "amy.wilson@tayvalleyhealth.example", "kirsty.paterson@tayvalleyhealth.example", "30"
            ),
        )
        apprenticeship_id = made.id
        db.session.commit()

    for email, party in (
        ("amy.wilson@tayvalleyhealth.example", "apprentice"),
        ("kirsty.paterson@tayvalleyhealth.example", "employer"),
        (CALEDONIA_ASSESSOR, "provider"),
    ):
        page = new_context().new_page()
        sign_in(page, email)
        page.goto(f"/apprenticeships/{apprenticeship_id}/plan")
        expect(page.get_by_role("heading", level=1)).to_have_text("Training plan")
        checkpoint(page, f"apprenticeships-10-plan-{party}")
        page.get_by_role("button", name=f"Accept the plan as the {party}").click()
        expect(page.get_by_text(f"You accepted the training plan as the {party}")).to_be_visible()
        expect(page.get_by_role("listitem").filter(has_text=f"{party.capitalize()}:")).to_contain_text("Accepted by")

    with live_server.app.app_context():
        assert db.session.get(Apprenticeship, apprenticeship_id).plan_accepted


def test_an_apprentice_logs_hours_and_an_overlap_is_refused(new_context):
    page = new_context().new_page()
    sign_in(page, "priya.shah@kelvinmarine.example")
    page.get_by_role("link", name=re.compile("Graduate Apprenticeship in Data Science")).click()
    page.get_by_role("link", name="Open the off-the-job log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Off-the-job log")
    checkpoint(page, "apprenticeships-20-log")
    day = date.today() - timedelta(days=1)
    if day.weekday() == 2:  # the demo's weekly training day already has an entry
        day -= timedelta(days=1)

    def log(start: str, end: str, what: str) -> None:
        fill_date(page, "Date", day)
        page.get_by_label("Start time").fill(start)
        page.get_by_label("End time").fill(end)
        page.get_by_label("Assignments").check()
        page.get_by_label("What did you do?").fill(what)
        page.get_by_role("button", name="Save entry").click()

    log("13:00", "15:30", "Wrote up the data pipeline assignment")
    expect(page.get_by_text("Logged 2.5 hours")).to_be_visible()
    log("15:00", "16:00", "Reading for the statistics module")
    expect(page.get_by_role("alert")).to_contain_text("This overlaps another entry")
    checkpoint(page, "apprenticeships-21-overlap-refused")
    entries = page.get_by_role("table", name="Off-the-job entries, newest first")
    expect(entries).to_contain_text("Wrote up the data pipeline assignment")
    expect(entries).not_to_contain_text("Reading for the statistics module")


def test_a_review_is_signed_by_all_three(new_context):
    assessor = new_context().new_page()
    sign_in(assessor, FORTHSIDE_ASSESSOR)
    open_apprentice(assessor, "Ross Kerr")
    assessor.get_by_role("link", name="Review 2", exact=True).click()
    expect(assessor.get_by_role("heading", level=1)).to_have_text("Progress review 2")
    review_url = assessor.url
    fill_date(assessor, "Date of the review", date.today())
    assessor.get_by_label("Progress since the last review").fill("Hours are catching up; fault-finding much improved.")
    assessor.get_by_label("Wellbeing and support needs").fill("Asked for help planning study time.")
    assessor.get_by_role("button", name="Save the review").click()
    expect(assessor.get_by_text("Review saved")).to_be_visible()
    assessor.get_by_text("Rate the KSBs as the provider").click()
    assessor.get_by_label("K1: Principles of mechanical and marine engineering systems").select_option("3")
    assessor.get_by_label("S2: Diagnoses faults using drawings, manuals and test equipment").select_option("4")
    assessor.get_by_role("button", name="Save ratings").click()
    expect(assessor.get_by_role("table", name="KSB ratings by party")).to_contain_text("4")
    assessor.get_by_role("button", name="Sign the review as the provider").click()
    expect(assessor.get_by_text("You signed the review as the provider")).to_be_visible()
    checkpoint(assessor, "apprenticeships-30-review-provider-signed")

    for email, party in (("ross.kerr@kelvinmarine.example", "apprentice"), (KELVIN_LINE_MANAGER, "employer")):
        page = new_context().new_page()
        sign_in(page, email)
        page.goto(review_url)
        page.get_by_role("button", name=f"Sign the review as the {party}").click()
    expect(page.get_by_text("Review signed by all three parties and locked")).to_be_visible()
    expect(page.get_by_text("This record is locked")).to_be_visible()
    checkpoint(page, "apprenticeships-31-review-locked")
    page.get_by_role("link", name="Back to the apprenticeship").click()
    expect(page.get_by_role("table", name="Progress reviews")).to_contain_text("Review 3")


def test_the_employer_dashboard_shows_a_status_change(new_context):
    page = new_context().new_page()
    sign_in(page, TAY_VALLEY_HR)
    page.get_by_role("link", name="Apprentices", exact=True).click()
    row = page.get_by_role("row", name=re.compile("Lewis Grant"))
    expect(row).to_contain_text("Off track")
    expect(row).to_contain_text("Off-the-job hours")
    checkpoint(page, "apprenticeships-40-employer-dashboard")

    row.get_by_role("link", name="Lewis Grant").click()
    page.get_by_role("link", name="Record a break in learning").click()
    fill_date(page, "First day of the break", date.today())
    page.get_by_label("Reason").fill("Long-term sick leave; the apprentice asked to pause.")
    checkpoint(page, "apprenticeships-41-break-form")
    page.get_by_role("button", name="Record a break in learning").click()
    expect(page.get_by_text("Record a break in learning: done")).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Apprentices", exact=True).click()
    row = page.get_by_role("row", name=re.compile("Lewis Grant"))
    expect(row).to_contain_text("Break in learning")
    expect(row).to_contain_text("Paused")
    checkpoint(page, "apprenticeships-42-employer-dashboard-after")
