"""Flask-Login wiring: loading the signed-in person and invalidating old sessions."""

from __future__ import annotations

from flask import abort, flash, redirect, request, session, url_for
from sqlalchemy import select

from app.extensions import db
from app.models import SignInSession, User
from app.security import tokens

# The signed session cookie carries the random token of its SignInSession row.
SESSION_KEY = "_cw_session"


def live_session_id(user_id: int) -> int | None:
    """The id of this request's signed-in session if the server still holds it open for
    ``user_id`` (None once it was signed out, or ended everywhere)."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str):
        return None
    return db.session.scalar(
        select(SignInSession.id).where(
            SignInSession.token_digest == tokens.digest(token),
            SignInSession.user_id == user_id,
            SignInSession.ended_at.is_(None),
        )
    )


def init_app(app, login_manager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see this page"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str):
        user_id, _, version = session_id.partition(":")
        try:
            user = db.session.get(User, int(user_id))
        except ValueError:
            return None
        if user is None or str(user.session_version) != version or not user.is_active_account:
            return None
        if live_session_id(user.id) is None:  # signed out on the server: the cookie opens nothing
            return None
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/") or request.headers.get("HX-Request"):
            abort(401)
        flash("Sign in to see this page", "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
