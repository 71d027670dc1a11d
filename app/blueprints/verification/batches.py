"""Batch verification pages: upload a CSV or zip, watch it progress, download the results.

Each request to the batch page or its progress partial verifies the next few items (see
app.services.verification.batches), so htmx polling and a plain refresh both move it on.
"""
from __future__ import annotations

from flask import current_app, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.blueprints.htmx import wants_partial
from app.blueprints.verification import bp
from app.blueprints.verification.forms import BatchForm
from app.blueprints.verification.routes import _org
from app.extensions import db
from app.models.verifications import VerificationBatch
from app.security.scoping import get_for
from app.services.verification import batches
from app.services.verification.verifier import max_upload_bytes


@bp.route("/verifications/batches", methods=["GET", "POST"])
@login_required
def batch():
    """Upload a batch, and see the organisation's recent batches."""
    org = _org()
    form = BatchForm()
    error = None
    if request.method == "POST" and form.validate_on_submit():
        upload = form.batch_file.data
        if not upload or not getattr(upload, "filename", ""):
            error = "Select a CSV file or a zip file"
        else:
            # A zip may hold up to the per-file limit several times over, but no more than the
            # request limit Flask already enforces (413 beyond it).
            content = upload.stream.read(current_app.config.get("MAX_CONTENT_LENGTH") or 10 * max_upload_bytes())
            try:
                created = batches.create_batch(current_user, org, upload.filename, content,
                                               candidate_email=form.candidate_email.data)
            except batches.BatchError as exc:
                db.session.rollback()
                error = str(exc)
            else:
                db.session.commit()
                return redirect(url_for("verification.batch_detail", batch_id=created.id), code=303)
    status = 422 if (error or form.errors) else 200
    return render_template("verification/batch.html", form=form, error=error, org=org,
                           recent=batches.recent_batches(org)), status


def _batch(batch_id: int) -> VerificationBatch:
    return get_for(_org(), VerificationBatch, batch_id)


def _advance(found: VerificationBatch) -> None:
    org = _org()
    chunk = int(current_app.config.get("VERIFY_BATCH_CHUNK", batches.CHUNK))
    if batches.process_next(current_user, org, found, count=chunk):
        db.session.commit()


@bp.get("/verifications/batches/<int:batch_id>")
@login_required
def batch_detail(batch_id: int):
    found = _batch(batch_id)
    _advance(found)
    template = "verification/_batch_progress.html" if wants_partial() else "verification/batch_detail.html"
    response = make_response(render_template(template, batch=found, items=batches.items_of(found)))
    response.headers["Vary"] = "HX-Request"
    return response


@bp.get("/verifications/batches/<int:batch_id>.csv")
@login_required
def batch_csv(batch_id: int):
    found = _batch(batch_id)
    response = make_response(batches.results_csv(found))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="verification-batch-{found.id}.csv"'
    return response
