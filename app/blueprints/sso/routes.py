"""Single sign-on: the org admin's settings page, and signing in through the organisation's
OpenID Connect provider."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.blueprints.auth import sessions
from app.blueprints.outcomes import failures_flashed, failures_on, keep_changes
from app.blueprints.sso import bp
from app.blueprints.sso.forms import SsoDomainEmailForm, SsoDomainForm, SsoSettingsForm, SsoStartForm
from app.extensions import db, limiter
from app.models import SsoDomain, SsoProvider
from app.security.permissions import Permission
from app.security.policy import acting_org, require, switch_org
from app.security.scoping import get_for
from app.services.accounts import sso, sso_domains, sso_settings
from app.services.accounts.sso import SsoError, SsoRefused
from app.services.accounts.sso_domains import DnsCheckFailed

# Which provider the sign-in in progress belongs to; Authlib keeps state, nonce and PKCE itself.
SESSION_PROVIDER_KEY = "sso_provider_id"


def _sso_org():
    org = acting_org()
    if org.kind not in ("employer", "provider"):
        abort(403)
    return org


def _settings_page(org, provider, form, domain_form, status=200):
    form.client_secret.data = ""
    claims = sso_domains.claims_of(org)
    return render_template(
        "sso/settings.html",
        form=form,
        domain_form=domain_form,
        email_forms={c.claim.id: SsoDomainEmailForm(prefix=f"claim-{c.claim.id}", formdata=None) for c in claims},
        claims=claims,
        method_labels=sso_domains.METHOD_LABELS,
        org=org,
        provider=provider,
        redirect_uri=sso.redirect_uri(),
    ), status


@bp.route("/organisation/sso", methods=["GET", "POST"])
@require(Permission.ORG_MANAGE_SSO)
def settings():
    org = _sso_org()
    provider = sso.provider_for(org)
    form = SsoSettingsForm(obj=provider)
    if form.validate_on_submit():
        # A refusal naming a field is shown beside it, and linked to it from the error summary.
        with failures_on(form):
            sso_settings.save_settings(
                current_user,
                org,
                issuer_url=form.issuer_url.data,
                client_id=form.client_id.data,
                client_secret=form.client_secret.data,
                enabled=form.enabled.data,
            )
            flash("Single sign-on settings saved", "success")
            return redirect(url_for("sso.settings"), code=303)
    return _settings_page(org, provider, form, SsoDomainForm(formdata=None), 422 if form.errors else 200)


# --- the email domains it serves, and proving them ---------------------------------------------


@bp.post("/organisation/sso/domains")
@require(Permission.ORG_MANAGE_SSO)
def add_domain():
    org = _sso_org()
    domain_form = SsoDomainForm()
    if domain_form.validate_on_submit():
        with failures_on(domain_form):
            added = sso_domains.claim(current_user, org, domain_form.domains.data)
            names = ", ".join(d.domain for d in added)
            flash(f"Added {names}. Prove it is yours below before staff can sign in with it.", "success")
            return redirect(url_for("sso.settings", _anchor="email-domains"), code=303)
    provider = sso.provider_for(org)
    return _settings_page(org, provider, SsoSettingsForm(obj=provider, formdata=None), domain_form, 422)


def _claim(claim_id: int) -> SsoDomain:
    # Another organisation's claim is a 404: its existence is not revealed.
    return get_for(_sso_org(), SsoDomain, claim_id)


@bp.post("/organisation/sso/domains/<int:claim_id>/dns")
@require(Permission.ORG_MANAGE_SSO)
@limiter.limit("30 per hour", methods=["POST"])
def check_dns(claim_id: int):
    row = _claim(claim_id)
    try:
        with failures_flashed():
            sso_domains.check_dns(current_user, row)
            flash(f"{row.domain} is verified. Staff with {row.domain} addresses can now sign in here.", "success")
    except DnsCheckFailed as exc:  # audited: the admin's audit log shows each failed check
        flash(str(exc), "error")
    return redirect(url_for("sso.settings", _anchor=f"claim-{claim_id}"), code=303)


@bp.post("/organisation/sso/domains/<int:claim_id>/email")
@require(Permission.ORG_MANAGE_SSO)
@limiter.limit("10 per hour", methods=["POST"])
def send_confirmation(claim_id: int):
    row = _claim(claim_id)
    form = SsoDomainEmailForm(prefix=f"claim-{claim_id}")
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0] if form.errors else "Enter an email address", "error")
    else:
        with failures_flashed():
            sso_domains.send_confirmation(current_user, row, form.address.data)
            flash(f"We sent a confirmation link to {form.address.data.strip().lower()}", "success")
    return redirect(url_for("sso.settings", _anchor=f"claim-{claim_id}"), code=303)


@bp.post("/organisation/sso/domains/<int:claim_id>/remove")
@require(Permission.ORG_MANAGE_SSO)
def remove_domain(claim_id: int):
    row = _claim(claim_id)
    domain = row.domain
    with failures_flashed():
        sso_domains.remove(current_user, row)
        flash(f"Removed {domain}. Staff with {domain} addresses no longer sign in through single sign-on.", "success")
    return redirect(url_for("sso.settings", _anchor="email-domains"), code=303)


@bp.route("/sso/domains/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def confirm_domain(token: str):
    # Public: the emailed single-use token is the credential (see sso_domains.confirm_by_email).
    # GET only shows what would be confirmed, so a mail scanner that opens links proves nothing.
    row = sso_domains.claim_for_token(token)
    if row is None:
        return render_template("sso/confirm_domain.html", claim=None, token=token), 410
    if request.method == "POST":
        with failures_flashed():
            confirmed = sso_domains.confirm_by_email(token, current_user if current_user.is_authenticated else None)
            return render_template("sso/confirm_domain.html", claim=confirmed, done=True, token=token)
        return redirect(url_for("sso.confirm_domain", token=token), code=303)
    return render_template("sso/confirm_domain.html", claim=row, done=False, token=token)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login/sso", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def start():
    form = SsoStartForm()
    error = None
    status = 200
    if form.validate_on_submit():
        try:
            provider = sso.provider_for_email(form.email.data)
        except SsoError as exc:
            error, status = str(exc), 422
        else:
            try:
                response = sso.authorization_redirect(provider, form.email.data)
            except SsoError as exc:
                sso.record_failure(provider, exc)
                keep_changes()  # the failure stays in the provider's record
                error, status = str(exc), 422
            else:
                session[SESSION_PROVIDER_KEY] = provider.id
                return response
    elif form.errors:
        status = 422
    return render_template("sso/start.html", form=form, error=error), status


@bp.get("/login/sso/callback")
def callback():
    provider_id = session.get(SESSION_PROVIDER_KEY)
    provider = db.session.get(SsoProvider, provider_id) if provider_id else None
    if provider is None or not provider.enabled:
        return _failed("This sign-in was not started here, or has already finished. Start again.", 400)
    try:
        claims = sso.verified_claims(provider)
        result = sso.sign_in(provider, claims)
    except SsoRefused as exc:
        keep_changes()  # keep the audited refusal
        return _failed(str(exc), 403)
    except SsoError as exc:
        sso.record_failure(provider, exc)
        keep_changes()
        return _failed(str(exc), 400)
    session.pop(SESSION_PROVIDER_KEY, None)
    sessions.sign_in(result.user)
    switch_org(result.organisation.id)
    flash(
        f"Welcome to {result.organisation.name}"
        if result.joined
        else f"Signed in with {result.organisation.name}'s single sign-on",
        "success",
    )
    return redirect(url_for("main.dashboard"), code=303)


def _failed(message: str, status: int):
    session.pop(SESSION_PROVIDER_KEY, None)
    return render_template("sso/failed.html", message=message), status
