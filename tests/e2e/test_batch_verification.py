"""Journey (issue 13): a recruiter uploads a zip of badges to verify in a batch; a background job
checks them, the batch page shows each verdict, the results download as CSV, and the dashboard
says the job is done until the recruiter has seen it. axe checks the pages."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, sign_in
from tests.factories.verification import issued_badge

pytestmark = pytest.mark.no_transaction

RECRUITER = "ruth.henderson@kelvinmarine.example"


def _zip() -> bytes:
    tampered = issued_badge("ann@example.org")
    tampered["credentialSubject"]["achievement"]["name"] = "Data Science PhD"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ann/valid.json", json.dumps(issued_badge("ann@example.org")))
        archive.writestr("ann/tampered.json", json.dumps(tampered))
    return out.getvalue()


def test_a_recruiter_verifies_a_zip_of_badges_in_the_background(page):
    sign_in(page, RECRUITER)
    page.goto("/verifications/batches")
    expect(page.get_by_text("The badges are checked in the background")).to_be_visible()
    page.get_by_label("Upload a CSV file or a zip file").set_input_files(
        {"name": "candidates.zip", "mimeType": "application/zip", "buffer": _zip()}
    )
    page.get_by_role("button", name="Start verifying").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("candidates.zip")
    expect(page.get_by_text("All 2 badges checked.")).to_be_visible()
    results = page.get_by_role("table", name="Results")
    expect(results.get_by_role("row").filter(has_text="valid.json").first).to_contain_text("Valid")
    tampered = results.get_by_role("row").filter(has_text="tampered.json")
    expect(tampered).to_contain_text("Not valid")
    expect(tampered).to_contain_text("Data Science PhD (claimed, not proven)")  # a forged name never reads as fact
    checkpoint(page, "batch-verification-finished")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the results (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")
    page.goto("/dashboard")
    finished = page.get_by_role("link", name="1 job finished")
    expect(finished).to_be_visible()
    finished.click()
    expect(page.get_by_text("2 of 2 done")).to_be_visible()
    page.get_by_role("link", name="See each badge's result").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("candidates.zip")
