"""Outgoing email: sent by SMTP when MAIL_SERVER is set, otherwise shown in the log at
WARNING, the level `flask run` prints, so a developer sees every invitation and reset link.

With a Celery broker (CELERY_BROKER_URL or REDIS_URL) a message is handed to a worker once the
transaction that wrote it commits (the `credwork.send_email` task): a slow or unreachable mail
server never holds a request, the worker retries with back-off, and work that was rolled back
sends nothing. Without a broker it is sent at once, in this process.

Every message is also kept in `outbox()` (the last 200): tests read the link a person would
click from it, and in development `/dev/outbox` shows it.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app, g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import celery, db

logger = logging.getLogger(__name__)
PENDING = "credwork_mail_to_send"
TASK = "credwork.send_email"  # app/services/jobs/tasks.py


@dataclass
class SentMail:
    to: str
    subject: str
    body: str


def outbox() -> list[SentMail]:
    return current_app.extensions.setdefault("credwork_outbox", [])


def send(to: str, subject: str, body: str) -> None:
    """Send a plain-text email (through a worker when there is a broker)."""
    config = current_app.config
    kept = outbox()
    kept.append(SentMail(to, subject, body))
    del kept[:-200]  # a long-running dev server must not grow without bound
    if not config.get("MAIL_SERVER"):
        current_app.logger.warning(
            "Email not sent (no MAIL_SERVER), shown here instead.\nTo: %s\nSubject: %s\n\n%s", to, subject, body
        )
        return
    if config.get("CELERY_BROKER_URL"):
        db.session.connection()  # a transaction is open, so its commit or rollback decides
        db.session.info.setdefault(PENDING, []).append((to, subject, body))
        if has_request_context():
            g._wrote = True  # the request commits, and the commit hands the message over
        return
    deliver(to, subject, body)


def deliver(to: str, subject: str, body: str) -> None:
    """Send one message by SMTP now (raises when the mail server refuses or cannot be reached)."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


@event.listens_for(Session, "after_commit")
def _hand_over(session: Session) -> None:
    for to, subject, body in session.info.pop(PENDING, None) or []:
        try:
            celery.send_task(TASK, args=[to, subject, body])
        except Exception:  # noqa: BLE001 (the broker is down: send it from here rather than lose it)
            logger.exception("could not queue an email to the worker; sending it now")
            deliver(to, subject, body)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint inside it
        session.info.pop(PENDING, None)
