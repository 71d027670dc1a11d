"""Outgoing email: `send` a message; tests and development read what was sent from `outbox`."""

from app.services.mail.sending import SentMail, outbox, send

__all__ = ["SentMail", "outbox", "send"]
