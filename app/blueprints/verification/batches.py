"""Batch verification pages: upload a CSV or zip, watch it progress, download the results.

The upload starts a background job (app.services.verification.batches); the batch page only
reads its progress, polled by htmx every second (or refreshed without JavaScript).
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.downloads import attachment
from app.blueprints.htmx import render_partial_or_page
from app.blueprints.outcomes import failures_flashed, failures_on
from app.blueprints.verification import bp
from app.blueprints.verification.forms import BatchForm
from app.models.verifications import VerificationBatch
from app.security.permissions import Permission
from app.security.policy import current_org, require
from app.security.scoping import get_for
from app.services import verification


@bp.route("/verifications/batches", methods=["GET", "POST"])
@require(Permission.VERIFICATIONS_RUN)
def batch():
    """Upload a batch, and see the organisation's recent batches."""
    org = current_org()
    form = BatchForm()
    if form.validate_on_submit():
        with failures_on(form):
            # A zip may hold up to the per-file limit several times over, but no more than the
            # request limit Flask already enforces (413 beyond it).
            limit = current_app.config.get("MAX_CONTENT_LENGTH") or 10 * verification.max_upload_bytes()
            filename, content = form.upload(limit)
            created = verification.submit_batch(
                current_user, org, filename, content, candidate_email=form.candidate_email.data
            )
            return redirect(url_for("verification.batch_detail", batch_id=created.id), code=303)
    return render_template(
        "verification/batch.html",
        form=form,
        org=org,
        recent=verification.recent_batches(org),
        max_items=verification.batches.MAX_ITEMS,
    ), 422 if form.errors else 200


def _batch(batch_id: int) -> VerificationBatch:
    return get_for(current_org(), VerificationBatch, batch_id)


@bp.get("/verifications/batches/<int:batch_id>")
@require(Permission.VERIFICATIONS_RUN)
def batch_detail(batch_id: int):
    found = _batch(batch_id)
    return render_partial_or_page(
        "verification/batch_detail.html",
        "verification/_batch_progress.html",
        batch=found,
        page=verification.items_page(found, request.args.get("page", 1, type=int)),
    )


@bp.post("/verifications/batches/<int:batch_id>/resume")
@require(Permission.VERIFICATIONS_RUN)
def batch_resume(batch_id: int):
    """Check again what a stopped job left: the items it could not check, and any not reached."""
    found = _batch(batch_id)
    with failures_flashed():
        verification.resume_batch(current_user, current_org(), found)
        flash("Checking again", "success")
    return redirect(url_for("verification.batch_detail", batch_id=found.id), code=303)


@bp.get("/verifications/batches/<int:batch_id>.csv")
@require(Permission.VERIFICATIONS_RUN)
def batch_csv(batch_id: int):
    found = _batch(batch_id)
    return attachment(verification.results_csv(found), f"verification-batch-{found.id}.csv", "text/csv")
