"""Starting and ending a signed-in session: Flask-Login's cookie plus the server's record of
it (see app.security.sessions), so signing out ends the session for good. Every way of
signing in (password, invitation, single sign-on) goes through :func:`sign_in`."""

from __future__ import annotations

from flask import request, session
from flask_login import current_user, login_user, logout_user

from app.models import User
from app.security.sessions import SESSION_KEY, live_session_id
from app.services.accounts import signin


def sign_in(user: User) -> None:
    token = signin.start_session(user, user_agent=request.user_agent.string, address=request.remote_addr)
    login_user(user)
    session[SESSION_KEY] = token


def sign_out() -> None:
    signin.sign_out(current_user, live_session_id(current_user.id))
    logout_user()
    session.pop(SESSION_KEY, None)


def this_session_id() -> int | None:
    return live_session_id(current_user.id) if current_user.is_authenticated else None
