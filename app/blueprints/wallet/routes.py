"""My badges: the list, importing, one imported badge's checks, checking again, removing.

Every route is the signed-in person's own: another person's import is a 404."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.blueprints.outcomes import failures_flashed, failures_on
from app.blueprints.wallet import bp
from app.blueprints.wallet.forms import ImportForm, RecheckForm, RemoveForm
from app.models.verifications import CHECK_LABELS, CHECK_STATUSES, FORMAT_LABELS
from app.services import wallet


def _page(form: ImportForm, status: int = 200):
    page = wallet.my_badges(current_user, request.args.get("page", 1, type=int))
    return render_template("wallet/index.html", found=page, form=form), status


@bp.get("/")
@login_required
def index():
    return _page(ImportForm(formdata=None))


@bp.post("/import")
@login_required
def import_badge():
    form = ImportForm()
    if form.validate_on_submit():
        with failures_on(form):  # unreadable input and refused badges alike become form errors
            entry, added = wallet.import_badge(current_user, form.given())
            verb = "added to your wallet" if added else "was already in your wallet; checked again"
            flash(f"{entry.achievement_name or 'The badge'} {verb}: {entry.verdict_label.lower()}.", "success")
            return redirect(url_for("wallet.imported", entry_id=entry.id), code=303)
    return _page(form, 422)


def _own(entry_id: int):
    return wallet.own_import(current_user, entry_id) or abort(404)


@bp.get("/imported/<int:entry_id>")
@login_required
def imported(entry_id: int):
    entry = _own(entry_id)
    return render_template(
        "wallet/imported.html",
        entry=entry,
        checks=entry.result.get("checks") or [],
        check_labels=CHECK_LABELS,
        check_statuses=CHECK_STATUSES,
        format_label=FORMAT_LABELS.get(entry.format, entry.format),
        recheck_form=RecheckForm(formdata=None),
        remove_form=RemoveForm(formdata=None),
    )


@bp.post("/imported/<int:entry_id>/recheck")
@login_required
def recheck(entry_id: int):
    entry = _own(entry_id)
    if RecheckForm().validate_on_submit():
        with failures_flashed():
            wallet.recheck(current_user, entry)
            flash(f"Checked again just now: {entry.verdict_label.lower()}.", "success")
    return redirect(url_for("wallet.imported", entry_id=entry.id), code=303)


@bp.post("/imported/<int:entry_id>/remove")
@login_required
def remove(entry_id: int):
    entry = _own(entry_id)
    if RemoveForm().validate_on_submit():
        name = entry.achievement_name or "The badge"
        wallet.remove(current_user, entry)
        flash(f"{name} was removed from your wallet.", "success")
    return redirect(url_for("wallet.index"), code=303)
