"""Flask-Login wiring: loading the signed-in person and invalidating old sessions."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from app.extensions import db
from app.models import User


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
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/") or request.headers.get("HX-Request"):
            abort(401)
        flash("Sign in to see this page", "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
