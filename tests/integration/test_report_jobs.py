"""Large PDF reports are made in the background: asking for one leads to its job's page, which
offers the file once it is made (to the person who asked, and no one else); small reports are
still sent at once; the files are dropped after KEEP_DAYS."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import Job, utcnow
from app.services import jobs
from app.services.jobs import tasks
from tests.factories.apprenticeships import setting


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


@pytest.fixture
def small_threshold(app, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_IN_BACKGROUND_OVER", 0)  # any cohort counts as large


def _made_in_background(client, url: str) -> tuple[str, int]:
    asked = client.get(url)
    assert asked.status_code == 303 and "/jobs/" in asked.headers["Location"]
    page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "This report is large, so it is being made in the background." in page
    return page, db.session.scalar(select(Job.id).order_by(Job.id.desc()))


def test_a_large_cohort_report_is_made_in_the_background_and_downloaded_from_its_job(app, login, small_threshold):
    s = setting(started=True)
    client = login(s.coordinator.user, c=app.test_client())
    page, job_id = _made_in_background(client, f"/cohorts/{s.cohort.id}/report.pdf")
    job = db.session.get(Job, job_id)
    assert job.kind == "report" and job.status == "finished" and "All 1 done." in page
    assert "It is kept for 14 days." in page
    assert (
        'Download the report<span class="govuk-visually-hidden">: Cohort report: September cohort</span> (PDF)' in page
    )
    download = client.get(f"/jobs/{job_id}/file")
    assert download.mimetype == "application/pdf" and download.headers["Cache-Control"] == "no-store"
    assert download.headers["Content-Disposition"].startswith('attachment; filename="cohort-report-september-cohort-')
    text = _text(download.data)
    assert "Cohort report: September cohort" in text and "Aila Apprentice" in text

    # Only the person who asked gets the file.
    colleague = login(s.assessor.user, c=app.test_client())
    assert colleague.get(f"/jobs/{job_id}/file").status_code == 404


def test_a_large_cohorts_evidence_coverage_is_made_in_the_background(app, login, small_threshold):
    s = setting(started=True)
    client = login(s.coordinator.user, c=app.test_client())
    _, job_id = _made_in_background(client, f"/cohorts/{s.cohort.id}/coverage.pdf")
    text = _text(client.get(f"/jobs/{job_id}/file").data)
    assert "Evidence coverage: September cohort" in text and "Aila Apprentice" in text


def test_a_small_cohort_report_is_still_sent_at_once(app, login):
    s = setting(started=True)
    client = login(s.coordinator.user, c=app.test_client())
    response = client.get(f"/cohorts/{s.cohort.id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert db.session.scalar(select(Job)) is None


def test_report_files_are_dropped_after_two_weeks(app, login, small_threshold):
    s = setting(started=True)
    client = login(s.coordinator.user, c=app.test_client())
    _, job_id = _made_in_background(client, f"/cohorts/{s.cohort.id}/report.pdf")
    assert jobs.forget_old_files() == 0  # made today: kept
    db.session.get(Job, job_id).finished_at = utcnow() - timedelta(days=15)
    db.session.commit()
    assert tasks.jobs_forget_old_files.apply().get() == 1
    assert client.get(f"/jobs/{job_id}/file").status_code == 404
    assert "The file is no longer kept: ask for the report again." in client.get(f"/jobs/{job_id}").get_data(
        as_text=True
    )


def test_a_panel_pack_for_many_candidates_is_made_in_the_background(app, login, small_threshold):
    from app.models import Membership
    from tests.factories.recruitment import TODAY, apply, vacancy

    found = vacancy(closes_on=TODAY + timedelta(days=20))
    for name in ("Cara Candidate", "Dev Candidate"):
        made, _ = apply(found, name=name, email=f"{name.split()[0].lower()}@candidate.example", today=TODAY)
        made.status = "shortlisted"
    db.session.commit()
    recruiter = db.session.scalars(select(Membership).where(Membership.organisation_id == found.organisation_id))
    client = login(recruiter.first().user, c=app.test_client())
    _, job_id = _made_in_background(client, f"/recruitment/{found.id}/panel.pdf")
    text = _text(client.get(f"/jobs/{job_id}/file").data)
    assert "Cara Candidate" in text and "Dev Candidate" in text and "Rhona Recruiter" in text


def test_a_large_years_cpd_spend_report_is_made_in_the_background(app, login, small_threshold):
    from app.models.cpd import SponsorshipStatus as S
    from app.services import cpd
    from tests.factories.cpd import employer, external, request

    e = employer(allocated=500_000)
    request(e, cost=12_000, state=S.APPROVED, details=external(cost=12_000, title="First aid at work"))
    db.session.commit()
    client = login(e.hr, c=app.test_client())
    year = e.budget.financial_year
    _, job_id = _made_in_background(client, f"/cpd/reports/spend.pdf?year={year}&department=Engineering")
    download = client.get(f"/jobs/{job_id}/file")
    label = cpd.budgets.financial_year_label(year)
    assert download.headers["Content-Disposition"] == f'attachment; filename="cpd-spend-engineering-{label}.pdf"'
    text = _text(download.data)
    assert f"CPD spend report, {label}" in text and "First aid at work" in text and "£120.00" in text


def test_a_report_on_something_deleted_since_it_was_asked_for_fails_and_says_why(app, login):
    s = setting(started=True)
    client = login(s.coordinator.user, c=app.test_client())
    job = jobs.start_report(
        s.coordinator.user,
        s.provider,
        "cohort_report",
        "Cohort report: gone",
        {"cohort_id": 0, "today": "2026-12-04"},
    )
    db.session.commit()
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert job.status == "failed" and job.output is None
    assert "The cohort no longer exists" in page
