"""The off-the-job log: the apprentice (or their assessor) records training, the assessor
confirms it, and everyone on the apprenticeship sees the position against the target."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.apprenticeships import bp, loading
from app.blueprints.apprenticeships.forms import EntryForm
from app.blueprints.outcomes import failures_flashed, failures_on
from app.domain.calendar import london_date, london_today
from app.security.policy import (
    acting_membership,
    is_apprenticeship_assessor,
    may_log_off_the_job,
    off_the_job_confirm_refusal,
)
from app.services import apprenticeships


def _page(a, form, status=200):
    membership = acting_membership()
    page_number = request.args.get("page", "1")
    entries = apprenticeships.off_the_job.entries_page(
        a, int(page_number) if page_number.isdigit() and len(page_number) < 6 else 1
    )
    return (
        render_template(
            "apprenticeships/off_the_job.html",
            a=a,
            form=form if may_log_off_the_job(membership, a) else None,
            entries=entries,
            position=apprenticeships.off_the_job.position_of(a, london_today()),
            confirm_refusal=lambda entry: off_the_job_confirm_refusal(membership, a, entry),
            may_confirm=is_apprenticeship_assessor(membership, a),
        ),
        status,
    )


@bp.route("/apprenticeships/<int:apprenticeship_id>/off-the-job", methods=["GET", "POST"])
def off_the_job(apprenticeship_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    form = EntryForm()
    if request.method == "GET" and request.args.get("corrects", "").isdigit():
        old = loading.entry(a, int(request.args["corrects"][:9]))
        form.corrects_id.data = str(old.id)
        form.day.data, form.activity.data, form.description.data = old.day, old.activity, old.description
    if request.method == "POST":
        if not may_log_off_the_job(acting_membership(), a):
            abort(403)
        if form.validate_on_submit():
            with failures_on(form):
                entry = apprenticeships.off_the_job.log(current_user, a, form.details(), london_today())
                flash(f"Logged {entry.hours} hours on {london_date(entry.day)}", "success")
                return redirect(url_for("apprenticeships.off_the_job", apprenticeship_id=a.id), code=303)
        return _page(a, form, 422)
    return _page(a, form)


@bp.post("/apprenticeships/<int:apprenticeship_id>/off-the-job/<int:entry_id>/confirm")
def confirm_entry(apprenticeship_id: int, entry_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    entry = loading.entry(a, entry_id)
    with failures_flashed():
        apprenticeships.off_the_job.confirm(
            current_user, a, entry, off_the_job_confirm_refusal(acting_membership(), a, entry)
        )
        flash(f"Entry of {london_date(entry.day)} confirmed and locked", "success")
    return redirect(url_for("apprenticeships.off_the_job", apprenticeship_id=a.id), code=303)


@bp.post("/apprenticeships/<int:apprenticeship_id>/off-the-job/<int:entry_id>/remove")
def remove_entry(apprenticeship_id: int, entry_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    entry = loading.entry(a, entry_id)
    with failures_flashed():
        apprenticeships.off_the_job.remove(current_user, a, entry)
        flash("Entry removed", "success")
    return redirect(url_for("apprenticeships.off_the_job", apprenticeship_id=a.id), code=303)
