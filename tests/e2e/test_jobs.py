"""Journey (issue 13): a coordinator awards badges from a CSV; the award runs as a background job
whose page shows its progress and result, and the dashboard says when it is done. axe checks the
pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, sign_in

pytestmark = pytest.mark.no_transaction

COORDINATOR = "lorna.mcintyre@forthside.example"
CSV = b"name,email\nJob Learner One,job.one@learner.example\nJob Learner Two,job.two@learner.example\n"


def test_a_bulk_award_runs_as_a_job_with_its_own_page(page):
    sign_in(page, COORDINATOR)
    page.goto("/issuing/bulk")
    select = page.get_by_label("Micro-credential")
    select.select_option(index=1)
    page.get_by_label("CSV file of names and email addresses").set_input_files(
        {"name": "learners.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Award the badges").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("to 2 learners")
    expect(page.get_by_text("2 of 2 done")).to_be_visible()
    expect(page.get_by_text("All 2 done.")).to_be_visible()
    checkpoint(page, "jobs-bulk-award")
    page.goto("/dashboard")
    expect(page.get_by_role("link", name="1 job finished")).to_have_count(0)  # already seen on its page
