"""Slowing password guessing down without letting anyone lock a person out.

Failures are counted per email address *and* client. The client is the browser when it has
signed in to that account before (a signed device cookie names it), and otherwise its IP
address. After ``LOGIN_MAX_FAILURES`` failures that pair waits, 1 minute, then 2, 4, 8, up to
``LOGIN_LOCKOUT_MINUTES``, before it may try again: a guesser is slowed to a crawl, while the
person themselves, on a device they have used before (or after resetting their password), signs
in at once. Addresses with no account are counted the same way, so the answer never says which
accounts exist. Counts live in the database, so every worker and instance shares them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import SignInThrottle, utcnow

FORGET_AFTER = timedelta(days=1)  # a day without failures starts the count again


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def email_digest(email: str) -> str:
    return _digest(email.strip().lower())


@dataclass(frozen=True)
class Client:
    """Who is signing in: an IP address, and the browser's device id with the accounts it has
    signed in to (from the signed device cookie; empty without one)."""

    address: str
    device_id: str | None = None
    known_accounts: frozenset[str] = field(default_factory=frozenset)

    def key_for(self, email: str) -> str:
        if self.device_id and email_digest(email) in self.known_accounts:
            return _digest("device:" + self.device_id)
        return _digest("ip:" + self.address)


def _row(email: str, client: Client) -> SignInThrottle | None:
    return db.session.scalar(
        select(SignInThrottle).where(
            SignInThrottle.email_digest == email_digest(email), SignInThrottle.client_digest == client.key_for(email)
        )
    )


def minutes_to_wait(email: str, client: Client) -> int | None:
    """Whole minutes before this client may try this address again, or None."""
    row = _row(email, client)
    now = utcnow()
    if row is None or row.blocked_until is None or row.blocked_until <= now:
        return None
    return max(1, -(-int((row.blocked_until - now).total_seconds()) // 60))


def delay_after(failures: int) -> timedelta | None:
    """How long a client waits after its n-th failure in a row: none at first, then doubling."""
    free = current_app.config["LOGIN_MAX_FAILURES"]
    if failures < free:
        return None
    minutes = min(2 ** (failures - free), current_app.config["LOGIN_LOCKOUT_MINUTES"])
    return timedelta(minutes=minutes)


def record_failure(email: str, client: Client) -> SignInThrottle:
    """Count a failed attempt; returns the row (``blocked_until`` set once it must wait)."""
    now = utcnow()
    row = _row(email, client)
    if row is None:
        try:
            with db.session.begin_nested():  # another worker may be counting the same pair
                row = SignInThrottle(
                    email_digest=email_digest(email), client_digest=client.key_for(email), last_failure_at=now
                )
                db.session.add(row)
        except IntegrityError:
            row = _row(email, client)
            assert row is not None
    elif row.last_failure_at < now - FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    wait = delay_after(row.failures)
    row.blocked_until = now + wait if wait else None
    db.session.flush()
    return row


def forget(email: str, client: Client) -> None:
    """A successful sign-in clears this client's count for the address."""
    db.session.execute(
        delete(SignInThrottle).where(
            SignInThrottle.email_digest == email_digest(email), SignInThrottle.client_digest == client.key_for(email)
        )
    )


def forget_everywhere(email: str) -> None:
    """A new password (set through an emailed link) lifts every wait on the address."""
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.email_digest == email_digest(email)))
