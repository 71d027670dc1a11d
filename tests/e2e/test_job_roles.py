"""Journey (issue 3): an HR manager builds a job role from an ESCO occupation, maps a
micro-credential to it, looks at the team's skills gaps and at one person's suggested pathway."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, sign_in

pytestmark = pytest.mark.no_transaction

HR_MANAGER = "fiona.campbell@kelvinmarine.example"
NEW_ROLE = "Vessel Performance Analyst"
MAPPED = "Ship Data Analytics and Condition Monitoring"


def test_hr_builds_a_role_maps_it_and_views_gaps_and_a_pathway(new_context):
    page = new_context().new_page()
    sign_in(page, HR_MANAGER)
    page.get_by_role("link", name="Job roles and skills gaps").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Job roles and skills gaps")
    checkpoint(page, "roles-hr-01-index")

    page.get_by_label("Job role title").fill(NEW_ROLE)
    page.get_by_label("Department (optional)").fill("Digital & IT")
    page.get_by_label("ESCO occupation (optional)").select_option(label="data analyst")
    page.get_by_label(re.compile("Copy the occupation's essential skills")).check()
    page.get_by_role("button", name="Create job role").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEW_ROLE)
    skills_table = page.locator("main table").first
    # The occupation's essential skills were copied in at level 2.
    expect(skills_table.locator("tbody tr").first).to_contain_text("2 (Working)")
    checkpoint(page, "roles-hr-02-new-role")

    credential = page.get_by_label("Micro-credential", exact=True)
    option = credential.locator("option", has_text=MAPPED)
    credential.select_option(value=option.get_attribute("value"))
    page.get_by_label("Required", exact=True).check()
    page.get_by_role("button", name="Map micro-credential").click()
    expect(page.get_by_role("row", name=re.compile(re.escape(MAPPED)))).to_contain_text("Required")
    checkpoint(page, "roles-hr-03-mapped")

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Team skills").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team skills")
    # The summary first: coverage by job role and department, biggest gaps, furthest from role
    expect(page.get_by_role("table", name=re.compile("Coverage by job role"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Furthest from their role"))).to_be_visible()
    checkpoint(page, "roles-hr-04-team")
    page.get_by_role("table", name=re.compile("Coverage by job role")).get_by_role(
        "link", name=re.compile("^Design Engineer")
    ).click()
    expect(page).to_have_url(re.compile(r"/roles/team\?.*job_role=\d+"))
    heat_map = page.get_by_role("table", name=re.compile("heat map for Design Engineer"))
    expect(heat_map).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("heat map for Data Analyst"))).to_have_count(0)
    callum = heat_map.get_by_role("row", name=re.compile("Callum Reid"))
    expect(callum).to_contain_text("Missing")
    checkpoint(page, "roles-hr-05-team-filtered")

    callum.get_by_role("link", name=re.compile("Callum Reid")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Callum Reid")
    pathway = page.locator("#pathway")
    expect(pathway).to_contain_text("Pathway by lowest cost")
    checkpoint(page, "roles-hr-06-person")
    page.get_by_label("Fewest hours").check()
    expect(pathway).to_contain_text("Pathway by fewest hours")
    expect(page).to_have_url(re.compile(r"by=hours"))
    checkpoint(page, "roles-hr-07-pathway-hours")
