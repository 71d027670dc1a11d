"""My badges: the list, importing, one imported badge's checks, checking again, removing.

Every route is the signed-in person's own: another person's import is a 404."""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.blueprints.downloads import attachment
from app.blueprints.outcomes import failures_flashed, failures_on
from app.blueprints.wallet import bp
from app.blueprints.wallet.forms import (
    AcceptForm,
    EmailShareForm,
    ImportForm,
    ProfileForm,
    RecheckForm,
    RemoveForm,
    ShareForm,
    UnshareForm,
    VisibilityForm,
)
from app.extensions import limiter
from app.models.verifications import CHECK_LABELS, CHECK_STATUSES, FORMAT_LABELS
from app.services import issuing, rpl, wallet


def _page(form: ImportForm, status: int = 200):
    level = request.args.get("level", type=int)
    page = wallet.my_badges(
        current_user, request.args.get("page", 1, type=int), level if level in range(1, 13) else None
    )
    profile = wallet.profile_of(current_user)
    return render_template(
        "wallet/index.html",
        found=page,
        form=form,
        profile=profile,
        profile_link=wallet.profile_url(profile) if profile and profile.enabled else None,
        profile_form=ProfileForm(formdata=None),
        granted_credit=rpl.granted_credit(current_user),
        rpl_requests=rpl.requests_of_learner(current_user),
    ), status


@bp.get("/")
@login_required
def index():
    return _page(ImportForm(formdata=None))


def _signed_in_person() -> str:
    return f"user:{current_user.get_id()}"


@bp.post("/import")
@login_required
# Each import runs the verifier (and may fetch a URL): the same allowance as verifying a badge.
@limiter.limit(lambda: current_app.config["VERIFY_SIGNED_IN_RATE_LIMIT"], key_func=_signed_in_person)
def import_badge():
    form = ImportForm()
    if form.validate_on_submit():
        with failures_on(form):  # unreadable input and refused badges alike become form errors
            entry, added = wallet.import_badge(current_user, form.given())
            verb = "added to your wallet" if added else "was already in your wallet; checked again"
            flash(f"{entry.achievement_name or 'The badge'} {verb}: {entry.verdict_label.lower()}.", "success")
            return redirect(url_for("wallet.imported", entry_id=entry.id), code=303)
    return _page(form, 422)


@bp.post("/issued/<int:credential_id>/accept")
@login_required
def accept(credential_id: int):
    issued = issuing.linked_to(current_user, credential_id) or abort(404)
    if AcceptForm().validate_on_submit():
        with failures_flashed():
            issuing.accept(current_user, issued)
            flash(f"You accepted {issued.achieved.title}.", "success")
    return redirect(url_for("wallet.index"), code=303)


def _own(entry_id: int):
    return wallet.own_import(current_user, entry_id) or abort(404)


def _facts(entry, *, public: bool = False) -> dict:
    checks = entry.result.get("checks") or []
    if public:  # the holder's email address is not shown to whoever they share the badge with
        checks = [
            {**c, "detail": "Checked against the email address of the person who shared it"}
            if c.get("name") == "recipient"
            else c
            for c in checks
        ]
    return dict(
        entry=entry,
        checks=checks,
        check_labels=CHECK_LABELS,
        check_statuses=CHECK_STATUSES,
        format_label=FORMAT_LABELS.get(entry.format, entry.format),
    )


@bp.get("/imported/<int:entry_id>")
@login_required
def imported(entry_id: int, email_form: EmailShareForm | None = None):
    entry = _own(entry_id)
    return render_template(
        "wallet/imported.html",
        **_facts(entry),
        share_link=wallet.share_url(entry),
        linkedin=wallet.linkedin_url(entry),
        recheck_form=RecheckForm(formdata=None),
        remove_form=RemoveForm(formdata=None),
        share_form=ShareForm(formdata=None),
        unshare_form=UnshareForm(formdata=None),
        visibility_form=VisibilityForm(formdata=None),
        email_form=email_form or EmailShareForm(formdata=None),
    ), 422 if email_form and email_form.errors else 200


@bp.post("/imported/<int:entry_id>/share")
@login_required
def share(entry_id: int):
    entry = _own(entry_id)
    if ShareForm().validate_on_submit():
        wallet.start_sharing(current_user, entry)
        flash("Share link made. Anyone with it can see this badge and how it was checked.", "success")
    return redirect(url_for("wallet.imported", entry_id=entry.id), code=303)


@bp.post("/imported/<int:entry_id>/unshare")
@login_required
def unshare(entry_id: int):
    entry = _own(entry_id)
    if UnshareForm().validate_on_submit():
        wallet.stop_sharing(current_user, entry)
        flash("Share link revoked. It no longer works.", "success")
    return redirect(url_for("wallet.imported", entry_id=entry.id), code=303)


@bp.post("/imported/<int:entry_id>/visibility")
@login_required
def visibility(entry_id: int):
    entry = _own(entry_id)
    if VisibilityForm().validate_on_submit():
        public = request.form.get("public") == "yes"
        wallet.set_public(current_user, entry, public)
        flash(
            "Public: shown on your public profile." if public else "Private: not shown on your public profile.",
            "success",
        )
    return redirect(url_for("wallet.imported", entry_id=entry.id), code=303)


@bp.post("/imported/<int:entry_id>/email")
@login_required
@limiter.limit(lambda: current_app.config.get("WALLET_EMAIL_RATE_LIMIT", "20 per hour"), methods=["POST"])
def email(entry_id: int):
    entry = _own(entry_id)
    form = EmailShareForm()
    if form.validate_on_submit():
        with failures_on(form):
            address = wallet.email_link(current_user, entry, form.email.data)
            flash(f"Link sent to {address}.", "success")
            return redirect(url_for("wallet.imported", entry_id=entry.id), code=303)
    return imported(entry_id, email_form=form)


def _download(entry, name: str):
    data = entry.document
    if entry.document_kind == "url":
        abort(404)  # only a web address was given: the issuer hosts the badge
    if data.startswith(b"\x89PNG"):
        kind, ext = "image/png", "png"
    elif data.lstrip().startswith(b"<"):
        kind, ext = "image/svg+xml", "svg"
    elif data.lstrip().startswith(b"{"):
        kind, ext = "application/json", "json"
    else:
        kind, ext = "text/plain; charset=utf-8", "jwt"
    response = make_response(data)
    response.headers["Content-Type"] = kind
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/imported/<int:entry_id>/download")
@login_required
def download(entry_id: int):
    return _download(_own(entry_id), f"badge-{entry_id}")


@bp.post("/profile")
@login_required
def profile():
    form = ProfileForm()
    if form.validate_on_submit():
        enabled = request.form.get("enabled") == "yes"
        found = wallet.set_profile(current_user, enabled)
        flash(
            f"Your public profile is on: {wallet.profile_url(found)}" if enabled else "Your public profile is off.",
            "success",
        )
    return redirect(url_for("wallet.index"), code=303)


# ---- public: a shared badge, a public profile -------------------------------------------


@bp.get("/s/<share_token>")
def shared(share_token: str):
    entry = wallet.shared(share_token) or abort(404)
    return render_template("wallet/shared.html", **_facts(entry, public=True), share_token=share_token)


@bp.get("/s/<share_token>/download")
def shared_download(share_token: str):
    entry = wallet.shared(share_token) or abort(404)
    return _download(entry, "badge")


@bp.get("/people/<profile_slug>")
def public_profile(profile_slug: str):
    found = wallet.public_profile(profile_slug) or abort(404)
    holder, badges, issued = found
    return render_template("wallet/profile.html", holder=holder, badges=badges, issued=issued)


# ---- a badge issued on Credwork: share and download ----------------------------------------


def _own_issued(credential_id: int):
    return issuing.linked_to(current_user, credential_id) or abort(404)


@bp.get("/issued/<int:credential_id>")
@login_required
def issued(credential_id: int, email_form: EmailShareForm | None = None):
    found = _own_issued(credential_id)
    profile = wallet.profile_of(current_user)
    return render_template(
        "wallet/issued.html",
        issued=found,
        link=issuing.credential_url(found.public_id),
        linkedin=issuing.linkedin_url(found),
        visibility_form=VisibilityForm(formdata=None),
        email_form=email_form or EmailShareForm(formdata=None),
        profile_on=bool(profile and profile.enabled),
    ), 422 if email_form and email_form.errors else 200


@bp.post("/issued/<int:credential_id>/visibility")
@login_required
def issued_visibility(credential_id: int):
    found = _own_issued(credential_id)
    if VisibilityForm().validate_on_submit():
        shown = request.form.get("public") == "yes"
        wallet.set_issued_on_profile(current_user, found, shown)
        flash("Shown on your public profile." if shown else "Not shown on your public profile.", "success")
    return redirect(url_for("wallet.issued", credential_id=found.id), code=303)


@bp.post("/issued/<int:credential_id>/email")
@login_required
@limiter.limit(lambda: current_app.config.get("WALLET_EMAIL_RATE_LIMIT", "20 per hour"), methods=["POST"])
def issued_email(credential_id: int):
    found = _own_issued(credential_id)
    form = EmailShareForm()
    if form.validate_on_submit():
        with failures_on(form):
            address = wallet.email_issued(current_user, found, form.email.data)
            flash(f"Link sent to {address}.", "success")
            return redirect(url_for("wallet.issued", credential_id=found.id), code=303)
    return issued(credential_id, email_form=form)


@bp.get("/imported/<int:entry_id>/report.pdf")
@login_required
def report(entry_id: int):
    """Credwork's latest check of an imported badge, as a PDF the holder can hand on."""
    entry = _own(entry_id)
    return attachment(wallet.check_report(entry, current_user), f"badge-{entry.id}-check.pdf", "application/pdf")


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
