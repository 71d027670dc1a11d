"""Journey (issue 5): an employee asks to be sponsored for a micro-credential his pathway
suggests, his line manager endorses, HR approves, he records enrolment and completion, and
his skills gap shrinks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, sign_in

pytestmark = pytest.mark.no_transaction

EMPLOYEE = "callum.reid@kelvinmarine.example"
LINE_MANAGER = "iain.stewart@kelvinmarine.example"
HR_MANAGER = "fiona.campbell@kelvinmarine.example"
COURSE = "Computer-Aided Engineering and Simulation"


def _missing_skills(page) -> int:
    counts = page.locator("main p", has_text=re.compile(r"Missing \d+")).first.inner_text()
    return int(re.search(r"Missing (\d+)", counts).group(1))


def _skill_state(page, skill: str) -> str:
    return page.get_by_role("row", name=re.compile(re.escape(skill))).locator(".govuk-tag").inner_text()


def _act(page, button: str, done: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_text(re.compile(f"{re.escape(button)}: done. The request is now {done}"))).to_be_visible()


def test_request_endorse_approve_complete_and_the_gap_shrinks(new_context):
    employee = new_context().new_page()
    sign_in(employee, EMPLOYEE)
    employee.get_by_role("link", name="My skills").click()
    expect(employee.get_by_role("heading", level=1)).to_have_text("Callum Reid")
    missing_before = _missing_skills(employee)
    assert _skill_state(employee, "use CAE software") == "Missing"
    expect(employee.locator("#pathway")).to_contain_text(COURSE)
    checkpoint(employee, "cpd-01-skills-before")

    employee.get_by_role("link", name="Dashboard").click()
    employee.get_by_role("link", name="My CPD").click()
    expect(employee.get_by_role("heading", level=1)).to_have_text("My CPD")
    checkpoint(employee, "cpd-02-my-cpd")
    employee.get_by_role("link", name="Ask for CPD sponsorship").click()
    expect(employee.get_by_label("Micro-credential from the hub")).to_be_visible()
    checkpoint(employee, "cpd-03-request-form")
    option = employee.get_by_label("Micro-credential from the hub").locator("option", has_text=COURSE)
    employee.get_by_label("Micro-credential from the hub").select_option(value=option.get_attribute("value"))
    employee.get_by_label("Why would this help you in your work?").fill(
        "Our hull team needs simulation skills; my job role maps this micro-credential as required."
    )
    employee.get_by_role("button", name="Send request").click()
    expect(employee.get_by_text("Your request has been sent to your line manager")).to_be_visible()
    expect(employee.get_by_role("heading", level=1)).to_contain_text(COURSE)
    request_url = employee.url
    assert re.search(r"/cpd/requests/\d+$", request_url), request_url
    checkpoint(employee, "cpd-04-submitted")

    manager = new_context().new_page()
    sign_in(manager, LINE_MANAGER)
    manager.goto(request_url)
    checkpoint(manager, "cpd-05-manager-view")
    _act(manager, "Endorse", "endorsed")

    hr = new_context().new_page()
    sign_in(hr, HR_MANAGER)
    hr.goto(request_url)
    expect(hr.get_by_role("group", name="Approve", exact=True).get_by_label(re.compile(r"^Budget"))).to_be_visible()
    checkpoint(hr, "cpd-06-hr-approval")
    _act(hr, "Approve", "approved")
    checkpoint(hr, "cpd-07-approved")

    employee.goto(request_url)
    _act(employee, "Record enrolment", "enrolled")
    _act(employee, "Record completion", "completed")
    checkpoint(employee, "cpd-08-completed")

    employee.goto("/roles/me")
    expect(employee.get_by_role("heading", level=1)).to_have_text("Callum Reid")
    assert _skill_state(employee, "use CAE software") != "Missing"
    assert _missing_skills(employee) < missing_before
    expect(employee.locator("main")).to_contain_text(re.compile(re.escape(COURSE) + r".*Completed CPD"))
    checkpoint(employee, "cpd-09-skills-after")
