"""Batch verification pages: upload a CSV or zip, watch it progress, download the results.

Each request to the batch page or its progress partial verifies the next few items (see
app.services.verification.batches), so htmx polling and a plain refresh both move it on.
"""

from __future__ import annotations

from flask import current_app, make_response, redirect, render_template, url_for
from flask_login import current_user

from app.blueprints.htmx import render_partial_or_page
from app.blueprints.outcomes import failures_on
from app.blueprints.verification import bp
from app.blueprints.verification.forms import BatchForm
from app.models.verifications import VerificationBatch
from app.security.permissions import Permission
from app.security.policy import current_org, require
from app.security.scoping import get_for
from app.services import verification
from app.services.verification import batches


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
            created = verification.create_batch(
                current_user, org, filename, content, candidate_email=form.candidate_email.data
            )
            return redirect(url_for("verification.batch_detail", batch_id=created.id), code=303)
    return render_template(
        "verification/batch.html", form=form, org=org, recent=verification.recent_batches(org)
    ), 422 if form.errors else 200


def _batch(batch_id: int) -> VerificationBatch:
    return get_for(current_org(), VerificationBatch, batch_id)


@bp.get("/verifications/batches/<int:batch_id>")
@require(Permission.VERIFICATIONS_RUN)
def batch_detail(batch_id: int):
    found = _batch(batch_id)
    # A GET that writes: each poll verifies the next few items (committed with the request).
    chunk = int(current_app.config.get("VERIFY_BATCH_CHUNK", batches.CHUNK))
    verification.process_next(current_user, current_org(), found, count=chunk)
    return render_partial_or_page(
        "verification/batch_detail.html",
        "verification/_batch_progress.html",
        batch=found,
        items=verification.items_of(found),
    )


@bp.get("/verifications/batches/<int:batch_id>.csv")
@require(Permission.VERIFICATIONS_RUN)
def batch_csv(batch_id: int):
    found = _batch(batch_id)
    response = make_response(verification.results_csv(found))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="verification-batch-{found.id}.csv"'
    return response
