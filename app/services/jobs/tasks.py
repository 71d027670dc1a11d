"""The Celery tasks: running a job, sending an email, and the schedules Celery beat runs
(re-checking imported badges, deleting candidates' data after retention, forgetting anonymous
verifications, assessing apprentices' progress, dropping old reports' files).

Each task runs in an application context of the Flask app the worker was made from
(`app.worker`), commits its own work, and is safe to run again (a finished job is not run twice;
the schedules only take what is due)."""

from __future__ import annotations

import smtplib

from flask import Flask

from app.domain.calendar import london_today
from app.extensions import celery, db
from app.services.jobs import queue


def _flask_app() -> Flask:
    app = celery.conf.get("flask_app")
    if app is None:
        raise RuntimeError("Celery was not configured with the Flask app (see app.jobs_setup)")
    return app


@celery.task(name="credwork.run_job", ignore_result=True)
def run_job(job_id: int) -> None:
    queue.run_in_app(_flask_app(), job_id)


@celery.task(name="credwork.wallet_recheck", ignore_result=True)
def wallet_recheck(limit: int = 500) -> int:
    from app.services import wallet

    with _flask_app().app_context():
        checked = wallet.recheck_due(limit)
        db.session.commit()
        return checked


@celery.task(name="credwork.recruitment_purge", ignore_result=True)
def recruitment_purge() -> int:
    from app.services import recruitment

    with _flask_app().app_context():
        _, people = recruitment.retention.purge_due(london_today())
        db.session.commit()
        return people


@celery.task(name="credwork.verifications_purge_anonymous", ignore_result=True)
def verifications_purge_anonymous(days: int = 30) -> int:
    from app.services import verification

    with _flask_app().app_context():
        gone = verification.purge_anonymous(days)
        db.session.commit()
        return gone


@celery.task(name="credwork.apprenticeships_refresh_progress", ignore_result=True)
def apprenticeships_refresh_progress() -> int:
    from app.services.apprenticeships import progress

    with _flask_app().app_context():
        done = progress.refresh_running(london_today())
        db.session.commit()
        return done


@celery.task(name="credwork.jobs_forget_old_files", ignore_result=True)
def jobs_forget_old_files() -> int:
    from app.services.jobs import reports

    with _flask_app().app_context():
        gone = reports.forget_old_files()
        db.session.commit()
        return gone


@celery.task(
    name="credwork.send_email",
    ignore_result=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,  # 30 s, 60 s, 120 s... up to an hour, then it is given up and logged
    retry_backoff_max=3600,
    max_retries=8,
)
def send_email(to: str, subject: str, body: str) -> None:
    from app.services.mail import sending

    with _flask_app().app_context():
        sending.deliver(to, subject, body)
