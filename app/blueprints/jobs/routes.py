"""A job's progress, from its database record (so any instance can show it), retrying it, and
the file it made."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from app.blueprints.downloads import attachment
from app.blueprints.htmx import render_partial_or_page
from app.blueprints.jobs import bp
from app.blueprints.outcomes import failures_flashed
from app.models import Job
from app.security.policy import acting_org, require
from app.security.scoping import get_for
from app.services import jobs


def _own(job_id: int) -> Job:
    """A job of this organisation that this person started (a job is its starter's: others see
    what it did through the records and the audit log); 404 for anyone else's."""
    job = get_for(acting_org(), Job, job_id)
    if job.created_by_id != current_user.id:
        abort(404)
    return job


@bp.get("/<int:job_id>")
@require()
def show(job_id: int):
    job = _own(job_id)
    jobs.mark_seen(job)
    return render_partial_or_page(
        "jobs/show.html",
        "jobs/_progress.html",
        job=job,
        retry_form=FlaskForm(formdata=None),
        keep_days=jobs.reports.KEEP_DAYS,
    )


@bp.post("/<int:job_id>/retry")
@require()
def retry(job_id: int):
    job = _own(job_id)
    if FlaskForm().validate_on_submit():
        with failures_flashed():
            jobs.retry(current_user, job)
            flash("Started again: only what failed is tried again.", "success")
    return redirect(url_for("jobs.show", job_id=job.id), code=303)


@bp.get("/<int:job_id>/file")
@require()
def download(job_id: int):
    """The file the job made (a report), for the person who started it."""
    job = _own(job_id)
    if not job.output_name or job.output is None:
        abort(404)
    return attachment(job.output, job.output_name, job.output_type or "application/octet-stream")
