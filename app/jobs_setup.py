"""Configures the Celery app from the Flask app: the broker (Redis) when `CELERY_BROKER_URL` or
`REDIS_URL` is set, and the schedules Celery beat runs. Without a broker nothing here connects
anywhere: jobs run in-process (see app/services/jobs/queue.py)."""

from __future__ import annotations

from celery.schedules import crontab
from flask import Flask

from app.extensions import celery

BEAT_SCHEDULE = {
    "wallet-recheck-hourly": {"task": "credwork.wallet_recheck", "schedule": crontab(minute=5)},
    "recruitment-purge-daily": {"task": "credwork.recruitment_purge", "schedule": crontab(hour=2, minute=15)},
    "verifications-purge-anonymous-daily": {
        "task": "credwork.verifications_purge_anonymous",
        "schedule": crontab(hour=2, minute=45),
    },
    "apprenticeships-refresh-progress-daily": {
        "task": "credwork.apprenticeships_refresh_progress",
        "schedule": crontab(hour=1, minute=30),
    },
    "jobs-forget-old-files-daily": {"task": "credwork.jobs_forget_old_files", "schedule": crontab(hour=3, minute=5)},
}


def init_app(flask_app: Flask) -> None:
    broker = flask_app.config.get("CELERY_BROKER_URL")
    celery.conf.update(
        broker_url=broker or "memory://",
        task_ignore_result=True,
        task_acks_late=True,  # a job whose worker died is delivered again (and `run` skips what is done)
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        timezone="Europe/London",
        beat_schedule=BEAT_SCHEDULE,
        flask_app=flask_app,
    )
    flask_app.extensions["celery"] = celery
    from app.services.jobs import tasks  # noqa: F401  (registers the tasks with the Celery app)
