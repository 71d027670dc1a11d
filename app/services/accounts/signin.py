"""Signing in (failures slowed down per account and client, see ``throttle``), and password resets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from app.domain import DomainError
from app.extensions import db
from app.models import PasswordResetToken, User, utcnow
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
    user.session_version += 1  # signs out every other session
    throttle.forget_everywhere(user.email)
    db.session.flush()


def sign_out(user: User) -> None:
    """End the person's sessions on the server: a session cookie copied before signing out no
    longer opens anything (sessions carry the version, which moves on)."""
    user.session_version += 1
    db.session.flush()
    audit.record(user, "user.signed_out", user, f"{user.email} signed out")
