"""Emails are seen in development: printed at a level `flask run` shows, and listed at
/dev/outbox, which exists only in development (issue 11, item 7)."""

from __future__ import annotations

import logging

import pytest

from app import create_app
from app.services import mail

pytestmark = pytest.mark.no_transaction


def test_without_a_mail_server_each_email_is_printed_where_flask_run_shows_it(app, caplog):
    with app.app_context(), caplog.at_level(logging.WARNING):
        mail.send(
            "new.person@example.org",
            "You're invited to Credwork",
            "Accept here:\nhttps://credwork.test/invitations/abc\n",
        )
    shown = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert shown and "new.person@example.org" in shown[-1].getMessage()
    assert "https://credwork.test/invitations/abc" in shown[-1].getMessage()


def test_the_development_outbox_lists_sent_mail_with_working_links(tmp_path):
    dev = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'dev.db'}")
    with dev.app_context():
        mail.send(
            "new.person@example.org",
            "You're invited to Credwork",
            "Accept here:\nhttps://credwork.test/invitations/abc\n",
        )
    page = dev.test_client().get("/dev/outbox").get_data(as_text=True)
    assert "You&#39;re invited to Credwork" in page and "To new.person@example.org" in page
    assert '<a class="govuk-link" href="https://credwork.test/invitations/abc">' in page


def test_the_outbox_does_not_exist_outside_development(client):
    assert client.get("/dev/outbox").status_code == 404
