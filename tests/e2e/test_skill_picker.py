"""Journey (issue findings): a provider coordinator chooses a record's skills from the whole
framework by typing part of a name and picking it with the keyboard, instead of Ctrl-clicking
a list of hundreds; the chosen skills are saved."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, sign_in

pytestmark = pytest.mark.no_transaction

COORDINATOR = "eilidh.ross@caledonia.example"
SKILL = "Python (computer programming)"


def skills_row(page):
    key = page.locator(".govuk-summary-list__key", has_text=re.compile(r"^\s*Skills\s*$"))
    return page.locator(".govuk-summary-list__row").filter(has=key).locator(".govuk-summary-list__value")


def test_coordinator_adds_a_skill_by_typing_and_the_keyboard(page):
    sign_in(page, COORDINATOR)
    page.goto("/catalogue")
    page.get_by_role("link", name="Cyber Security for Operational Technology").click()
    page.get_by_role("button", name="Edit draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Edit UC-CYB904"))

    picker = page.locator("[data-module=cw-skill-picker]")
    chosen = picker.get_by_role("list", name="Chosen skills")
    # The checkbox box is replaced by a search box and the skills already chosen.
    expect(picker.locator("[data-skill-options]")).to_be_hidden()
    expect(chosen.get_by_role("listitem")).to_have_count(4)
    expect(chosen).to_contain_text("Internet of Things")

    search = page.get_by_role("combobox", name="Search for a skill, then choose it from the list")
    search.press_sequentially("pytho")
    expect(page.get_by_role("option", name=SKILL)).to_be_visible()
    checkpoint(page, "skill-picker-01-suggestions")
    # Down moves into the list of suggestions (focus goes to the option), Enter chooses it.
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("option", name=SKILL)).to_be_focused()
    page.keyboard.press("Enter")
    expect(chosen.get_by_role("listitem")).to_have_count(5)
    expect(chosen).to_contain_text(SKILL)
    expect(page.locator("#skills-announcement")).to_have_text(f"Added {SKILL}. 5 skills chosen.")
    expect(search).to_have_value("")

    # A skill is removed with its own button, by name.
    chosen.get_by_role("button", name="Remove Internet of Things").press("Enter")
    expect(chosen.get_by_role("listitem")).to_have_count(4)
    expect(page.locator("#skills-announcement")).to_have_text("Removed Internet of Things. 4 skills chosen.")
    checkpoint(page, "skill-picker-02-chosen")

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cyber Security for Operational Technology")
    skills = skills_row(page)
    expect(skills).to_contain_text(SKILL)
    expect(skills).not_to_contain_text("Internet of Things")
    expect(skills).to_contain_text("programmable logic controller")


def test_without_javascript_the_skills_are_checkboxes_that_save(new_context):
    page = new_context(javascript=False).new_page()
    sign_in(page, COORDINATOR)
    page.goto("/catalogue")
    page.get_by_role("link", name="Cyber Security for Operational Technology").click()
    page.get_by_role("button", name="Edit draft").click()
    page.get_by_role("group", name="Skills and competences").get_by_label("design cloud networks").check()
    checkpoint(page, "skill-picker-03-no-js")
    page.get_by_role("button", name="Save draft").click()
    skills = skills_row(page)
    expect(skills).to_contain_text("design cloud networks")


HR_MANAGER = "fiona.campbell@kelvinmarine.example"


def test_hr_manager_adds_a_required_skill_to_a_job_role_by_typing(new_context):
    page = new_context().new_page()
    sign_in(page, HR_MANAGER)
    page.get_by_role("link", name="Job roles and skills gaps").click()
    page.get_by_role("link", name="Design Engineer").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Design Engineer")

    # Until its script has run, the "Skill" combobox is the plain select (typing into it does
    # nothing): wait for the typing box that replaces it.
    expect(page.locator("input#skill-skill")).to_be_visible()
    search = page.get_by_role("combobox", name="Skill")
    expect(search).to_have_value("")  # nothing is chosen until someone chooses
    search.press_sequentially("cloud netw")
    expect(page.get_by_role("option", name="design cloud networks")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(search).to_have_value("design cloud networks")
    # Changed afterwards to half a name, the box chooses nothing (not the skill it said before).
    search.fill("design cloud")
    page.get_by_role("button", name="Add or change skill").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a skill")

    # The re-rendered page enhances its select into the typing box once its script has run.
    expect(page.locator("input#skill-skill")).to_be_visible()
    search = page.get_by_role("combobox", name="Skill")
    search.fill("")
    search.press_sequentially("cloud netw")
    # The suggestions arrive after typing pauses: wait for them as a person would, then choose.
    expect(page.get_by_role("option", name="design cloud networks")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("option", name="design cloud networks")).to_be_focused()
    page.keyboard.press("Enter")
    expect(search).to_have_value("design cloud networks")
    checkpoint(page, "skill-picker-04-job-role")
    page.get_by_role("group", name="Target proficiency level").get_by_label("3: Practitioner").check()
    page.get_by_role("button", name="Add or change skill").click()
    expect(page.get_by_text("design cloud networks is now required at level 3")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("design cloud networks"))).to_be_visible()
