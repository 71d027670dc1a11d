"""Single sign-on: the org admin's settings page, and signing in through the organisation's
OpenID Connect provider."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from app.blueprints.outcomes import failures_on, keep_changes
from app.blueprints.sso import bp
from app.blueprints.sso.forms import SsoSettingsForm, SsoStartForm
from app.extensions import db, limiter
from app.models import SsoProvider
from app.security.permissions import Permission
from app.security.policy import acting_org, require, switch_org
from app.services.accounts import sso, sso_settings
from app.services.accounts.sso import SsoError, SsoRefused

# Which provider the sign-in in progress belongs to; Authlib keeps state, nonce and PKCE itself.
SESSION_PROVIDER_KEY = "sso_provider_id"


@bp.route("/organisation/sso", methods=["GET", "POST"])
@require(Permission.ORG_MANAGE_SSO)
def settings():
    org = acting_org()
    if org.kind not in ("employer", "provider"):
        abort(403)
    provider = sso.provider_for(org)
    form = SsoSettingsForm(obj=provider)
    if request.method == "GET" and provider is not None:
        form.allowed_domains.data = "\n".join(provider.domain_list)
    if form.validate_on_submit():
        # A refusal naming a field is shown beside it, and linked to it from the error summary.
        with failures_on(form):
            sso_settings.save_settings(
                current_user,
                org,
                issuer_url=form.issuer_url.data,
                client_id=form.client_id.data,
                client_secret=form.client_secret.data,
                allowed_domains=form.allowed_domains.data,
                enabled=form.enabled.data,
            )
            flash("Single sign-on settings saved", "success")
            return redirect(url_for("sso.settings"), code=303)
    form.client_secret.data = ""
    return render_template(
        "sso/settings.html", form=form, org=org, provider=provider, redirect_uri=sso.redirect_uri()
    ), 422 if form.errors else 200


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
    login_user(result.user)
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
