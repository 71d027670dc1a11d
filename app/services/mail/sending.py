"""Outgoing email: sent by SMTP when MAIL_SERVER is set, otherwise shown in the log at
WARNING, the level `flask run` prints, so a developer sees every invitation and reset link.

Every message is also kept in `outbox()` (the last 200): tests read the link a person would
click from it, and in development `/dev/outbox` shows it.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app


@dataclass
class SentMail:
    to: str
    subject: str
    body: str


def outbox() -> list[SentMail]:
    return current_app.extensions.setdefault("credwork_outbox", [])


def send(to: str, subject: str, body: str) -> None:
    """Send a plain-text email."""
    config = current_app.config
    kept = outbox()
    kept.append(SentMail(to, subject, body))
    del kept[:-200]  # a long-running dev server must not grow without bound
    if not config.get("MAIL_SERVER"):
        current_app.logger.warning(
            "Email not sent (no MAIL_SERVER), shown here instead.\nTo: %s\nSubject: %s\n\n%s", to, subject, body
        )
        return
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
