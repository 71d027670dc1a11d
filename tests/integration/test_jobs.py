"""Background jobs: a bulk award runs as a job whose record shows progress and failures by row;
a retry issues only what failed (never twice); the starter sees it finished on their dashboard;
Celery's tasks run the same work; the schedules run what is due."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.domain import DomainError
from app.extensions import db
from app.models import AuditEvent, Job
from app.models.badges import IssuedCredential
from app.services import jobs
from app.services.issuing import bulk
from tests.factories.accounts import member
from tests.factories.issuing import provider_with_record

CSV = "Ada One,ada@learner.example\nBen Two,ben@learner.example\nCat Three,cat@learner.example\n"


def _issued(provider) -> int:
    org_id = provider if isinstance(provider, int) else provider.id
    return db.session.scalar(select(func.count(IssuedCredential.id)).where(IssuedCredential.organisation_id == org_id))


def _start(client, record, csv=CSV):
    return client.post(
        "/issuing/bulk",
        data={"micro_credential_id": str(record.id), "file": (io.BytesIO(csv.encode()), "learners.csv")},
        content_type="multipart/form-data",
    )


def test_a_bulk_award_runs_as_a_job_and_its_page_shows_it_done(client, login, outbox):
    provider, coordinator, record = provider_with_record()
    login(coordinator)
    response = _start(client, record)
    assert response.status_code == 303 and "/jobs/" in response.headers["Location"]
    job = db.session.scalar(select(Job))
    assert (job.kind, job.status, job.done, job.total) == ("bulk_award", "finished", 3, 3)
    assert _issued(provider) == 3 and len(outbox) == 3

    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "1 job finished" in dashboard
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Award {record.title} to 3 learners" in page and "3 of 3 done" in page and "All 3 done." in page
    assert "hx-trigger" not in page  # nothing left to poll
    assert "1 job finished" not in client.get("/dashboard").get_data(as_text=True)
    partial = client.get(response.headers["Location"], headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in partial and "3 of 3 done" in partial


def test_a_failed_row_is_reported_and_a_retry_issues_only_what_failed(client, login, monkeypatch):
    provider, coordinator, record = provider_with_record()
    real_issue = bulk.issue

    def flaky(actor, org, record_, learner, **kwargs):
        if learner.email == "ben@learner.example":
            raise DomainError("The signing service did not answer")
        return real_issue(actor, org, record_, learner, **kwargs)

    monkeypatch.setattr(bulk, "issue", flaky)
    login(coordinator)
    location = _start(client, record).headers["Location"]
    job = db.session.scalar(select(Job))
    assert job.status == "finished" and job.done == 2
    assert job.failures == [{"row": 2, "label": "ben@learner.example", "message": "The signing service did not answer"}]
    page = client.get(location).get_data(as_text=True)
    assert "2 of 3 done, 1 failed" in page and "The signing service did not answer" in page and "Try again" in page

    monkeypatch.setattr(bulk, "issue", real_issue)
    assert client.post(f"/jobs/{job.id}/retry").status_code == 303
    db.session.refresh(job)
    assert job.status == "finished" and job.done == 3 and job.failures == [] and job.attempts == 2
    assert _issued(provider) == 3  # Ada and Cat were not issued twice
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "job.retried")) == 1
    assert client.post(f"/jobs/{job.id}/retry").status_code == 303  # nothing left to retry: refused
    db.session.refresh(job)
    assert job.attempts == 2


def test_a_job_that_stops_keeps_what_it_did_and_can_be_retried(client, login, monkeypatch):
    provider, coordinator, record = provider_with_record()
    real_issue = bulk.issue
    calls = {"n": 0}

    def breaks_after_one(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return real_issue(*args, **kwargs)

    monkeypatch.setattr(bulk, "issue", breaks_after_one)
    login(coordinator)
    _start(client, record)
    job = db.session.scalar(select(Job))
    # A row that fails unexpectedly is reported by row; the others still go ahead.
    assert job.done == 2 and job.failures[0]["row"] == 2 and "try again" in job.failures[0]["message"]
    monkeypatch.setattr(bulk, "issue", real_issue)
    jobs.retry(coordinator, job)
    assert job.done == 3 and _issued(provider) == 3


def test_the_celery_task_runs_a_queued_job(app):
    from app.services.jobs import tasks

    provider, coordinator, record = provider_with_record()
    job = Job(
        organisation_id=provider.id,
        kind="bulk_award",
        title="Award by the worker",
        created_by_id=coordinator.id,
        total=1,
        params={"record_id": record.id, "valid_until": None, "learners": [["Dan Four", "dan@learner.example"]]},
        result={},
        failures=[],
    )
    db.session.add(job)
    db.session.commit()
    job_id, provider_id = job.id, provider.id
    tasks.run_job.apply(args=[job_id])
    found = db.session.get(Job, job_id)
    assert found.status == "finished" and found.done == 1 and _issued(provider_id) == 1
    tasks.run_job.apply(args=[job_id])  # delivered twice (a worker died): nothing more happens
    assert _issued(provider_id) == 1


def test_the_scheduled_tasks_run_what_is_due(app):
    from app.services.jobs import tasks

    assert tasks.recruitment_purge.apply().get() == 0
    assert tasks.wallet_recheck.apply().get() == 0
    assert tasks.verifications_purge_anonymous.apply().get() == 0
    from app.jobs_setup import BEAT_SCHEDULE

    assert {entry["task"] for entry in BEAT_SCHEDULE.values()} == {
        "credwork.wallet_recheck",
        "credwork.recruitment_purge",
        "credwork.verifications_purge_anonymous",
        "credwork.jobs_forget_old_files",
        "credwork.apprenticeships_refresh_progress",
    }


def test_someone_else_cannot_see_or_retry_a_job(app, client, login):
    provider, coordinator, record = provider_with_record()
    login(coordinator)
    _start(client, record)
    job = db.session.scalar(select(Job))
    colleague = member(provider, "provider_coordinator")
    other = login(colleague, c=app.test_client())
    assert other.get(f"/jobs/{job.id}").status_code == 404
    assert other.post(f"/jobs/{job.id}/retry").status_code == 404


@pytest.mark.parametrize("mode", ["thread"])
def test_without_a_broker_jobs_wait_for_the_commit(app, mode, monkeypatch):
    """Outside tests a job starts only after the request commits (the worker must find its row)."""
    monkeypatch.setitem(app.config, "JOBS_IN_PROCESS", mode)
    started = []
    monkeypatch.setattr("app.services.jobs.queue._start", started.append)
    provider, coordinator, record = provider_with_record()
    job = bulk.start_award_job(coordinator, provider, record, [bulk.Learner("Eve Five", "eve@learner.example")])
    assert started == [] and job.status == "queued"
    db.session.commit()
    assert started == [job.id]
