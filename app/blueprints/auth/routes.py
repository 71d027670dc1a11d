"""Signing in and out, password resets, accepting invitations."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user

from app.blueprints.auth import bp, devices, sessions
from app.blueprints.auth.forms import (
    AcceptInvitationForm,
    ForgotPasswordForm,
    NewPasswordForm,
    SignInForm,
    SignOutEverywhereForm,
)
from app.blueprints.forms import next_param, safe_next
from app.blueprints.outcomes import failures_on, keep_changes
from app.extensions import limiter
from app.security.policy import switch_org
from app.services.accounts import organisations, signin


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(next_param()))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        result = signin.authenticate(form.email.data, form.password.data, devices.current_client())
        keep_changes()  # a failed attempt is counted (and, once it slows the client, audited)
        if result.user:
            sessions.sign_in(result.user)
            return devices.remember_sign_in(redirect(safe_next(next_param()), code=303), result.user.email)
        error = result.error
    return render_template("auth/login.html", form=form, error=error, next=next_param()), (
        200 if not (form.is_submitted() and (error or form.errors)) else 422
    )


@bp.post("/logout")
@login_required
def logout():
    sessions.sign_out()
    flash("You have signed out", "success")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        signin.request_password_reset(form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if signin.reset_token_user(token) is None:
        return render_template("auth/link_expired.html", what="password reset"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        with failures_on(form):
            signin.reset_password(token, form.password.data)
            logout_user()
            flash("Your password has been changed. Sign in with your new password.", "success")
            return redirect(url_for("auth.login"), code=303)
    return render_template("auth/reset.html", form=form), 422 if form.errors else 200


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = organisations.find_invitation(token)
    if invitation is None:
        return render_template("auth/link_expired.html", what="invitation"), 410
    form = AcceptInvitationForm()
    user = current_user if current_user.is_authenticated else None
    if form.validate_on_submit():
        with failures_on(form):
            membership = organisations.accept_invitation(
                token, user=user, name=form.name.data, password=form.password.data
            )
            if user is None:
                sessions.sign_in(membership.user)
            switch_org(membership.organisation_id)
            flash(f"Welcome to {membership.organisation.name}", "success")
            return redirect(url_for("main.dashboard"), code=303)
    return render_template(
        "auth/accept_invitation.html", form=form, invitation=invitation, user=user
    ), 422 if form.errors else 200


@bp.get("/account")
@login_required
def account():
    return render_template(
        "auth/account.html",
        sessions=signin.open_sessions(current_user),
        this_session=sessions.this_session_id(),
        form=SignOutEverywhereForm(),
    )


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    if not SignOutEverywhereForm().validate_on_submit():
        abort(400)
    ended = signin.sign_out_everywhere(current_user)
    logout_user()
    flash(
        f"You have signed out everywhere ({ended} session{'' if ended == 1 else 's'} ended). Sign in again here.",
        "success",
    )
    return redirect(url_for("auth.login"), code=303)
