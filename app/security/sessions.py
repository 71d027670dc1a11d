"""Flask-Login wiring: loading the signed-in person and invalidating old sessions."""
from __future__ import annotations

from flask import request

from app.extensions import db


def init_app(app, login_manager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see this page"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str):
        from app.models import User

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
        from flask import abort, flash, redirect, url_for

        if request.path.startswith("/api/") or request.headers.get("HX-Request"):
            abort(401)
        flash("Sign in to see this page", "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
