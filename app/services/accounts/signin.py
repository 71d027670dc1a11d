"""Signing in (failures slowed down per account and client, see ``throttle``), and password resets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from app.domain import DomainError
from app.extensions import db
from app.models import PasswordResetToken, SignInSession, User, utcnow
from app.security import tokens
from app.security.passwords import hash_password, password_problem, verify_password
from app.services import audit, links, mail
from app.services.accounts import throttle


class AccountError(DomainError):
    """A problem the person can act on; the message is shown to them."""


@dataclass
class SignInResult:
    user: User | None
    error: str | None = None


GENERIC_FAILURE = "Enter a correct email address and password"


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def wait_message(minutes: int) -> str:
    return (
        f"Too many failed attempts. Try again in {minutes} minute{'' if minutes == 1 else 's'}, or reset your password."
    )


def authenticate(email: str, password: str, client: throttle.Client) -> SignInResult:
    """Check an email and password. Failures slow this client down for this address (see
    ``throttle``); nothing in the answer, its wording or its timing says whether the email
    has an account."""
    minutes = throttle.minutes_to_wait(email, client)
    if minutes is not None:
        return SignInResult(None, wait_message(minutes))
    user = find_user_by_email(email)
    if user is None:
        verify_password(None, password)  # the same work as for a real account
    if user is None or not user.is_active_account or not verify_password(user.password_hash, password):
        row = throttle.record_failure(email, client)
        if user is not None and row.blocked_until is not None:
            audit.record(
                None,
                "user.sign_in_slowed",
                user,
                f"Sign-in to {user.email} slowed after {row.failures} failed attempts from one client",
            )
        return SignInResult(None, GENERIC_FAILURE)
    throttle.forget(email, client)
    user.last_login_at = utcnow()
    audit.record(user, "user.signed_in", user, f"{user.email} signed in")
    return SignInResult(user)


def request_password_reset(email: str) -> None:
    """Email a single-use, expiring reset link if the account exists. Says nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active_account:
        return
    token, token_hash = tokens.new_token()
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(
        PasswordResetToken(user_id=user.id, token_hash=token_hash, expires_at=utcnow() + timedelta(hours=hours))
    )
    audit.record(None, "user.password_reset_requested", user, f"Password reset requested for {user.email}")
    link = links.public_url(f"/password/reset/{token}")
    mail.send(
        user.email,
        "Reset your Credwork password",
        f"Hello {user.name},\n\nUse this link within {hours} hours to choose a new password:\n"
        f"{link}\n\nThe link works once. If you did not ask for it, ignore this email.\n",
    )


def reset_token_user(token: str) -> PasswordResetToken | None:
    """The unused, unexpired reset record for a token, or None."""
    record = db.session.scalar(select(PasswordResetToken).where(PasswordResetToken.token_hash == tokens.digest(token)))
    if record is None or record.used_at is not None or record.expires_at <= utcnow():
        return None
    return record


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through an emailed link; the link (and any other pending) is spent."""
    record = reset_token_user(token)
    if record is None:
        raise AccountError("This reset link has expired or has already been used")
    set_password(record.user, new_password)
    # Every outstanding link for this person stops working, not only the one used: an older
    # email left in an inbox must not be able to change the password again.
    now = utcnow()
    for pending in db.session.scalars(
        select(PasswordResetToken).where(
            PasswordResetToken.user_id == record.user_id, PasswordResetToken.used_at.is_(None)
        )
    ):
        pending.used_at = now
    audit.record(record.user, "user.password_reset", record.user, f"{record.user.email} reset their password")
    return record.user


def set_password(user: User, new_password: str) -> None:
    problem = password_problem(new_password)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(new_password)
    _end_every_session(user)  # a new password signs out every browser that knew the old one
    throttle.forget_everywhere(user.email)
    db.session.flush()


def start_session(user: User, *, user_agent: str | None, address: str | None) -> str:
    """Open a signed-in session on the server; returns its token for the session cookie."""
    token, digest = tokens.new_token()
    db.session.add(
        SignInSession(
            user_id=user.id,
            token_digest=digest,
            user_agent=(user_agent or "")[:300] or None,
            ip_address=(address or "")[:64] or None,
        )
    )
    db.session.flush()
    return token


def sign_out(user: User, session_id: int | None) -> None:
    """End this session on the server: a copy of its cookie opens nothing afterwards. The
    person's other sessions (another browser, their phone) stay signed in."""
    if session_id is not None:
        db.session.execute(
            update(SignInSession)
            .where(SignInSession.id == session_id, SignInSession.user_id == user.id)
            .values(ended_at=utcnow())
        )
    audit.record(user, "user.signed_out", user, f"{user.email} signed out")


def sign_out_everywhere(user: User) -> int:
    """End every session the person has, on every device; returns how many were open."""
    ended = _end_every_session(user)
    db.session.flush()
    audit.record(user, "user.signed_out_everywhere", user, f"{user.email} signed out everywhere", sessions=ended)
    return ended


def _end_every_session(user: User) -> int:
    user.session_version += 1  # and any cookie from before sessions were kept on the server
    result = db.session.execute(
        update(SignInSession)
        .where(SignInSession.user_id == user.id, SignInSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def open_sessions(user: User, limit: int = 50) -> list[SignInSession]:
    """The person's signed-in sessions, newest first."""
    return list(
        db.session.scalars(
            select(SignInSession)
            .where(SignInSession.user_id == user.id, SignInSession.ended_at.is_(None))
            .order_by(SignInSession.created_at.desc(), SignInSession.id.desc())
            .limit(limit)
        )
    )
