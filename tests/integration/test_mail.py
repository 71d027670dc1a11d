"""Outgoing email: by SMTP at once without a broker; with one, handed to the Celery worker once
the transaction commits (nothing for work rolled back), retried by the worker when the mail
server refuses, and sent from the web process if the broker cannot take it. A small SMTP server
on localhost, started by the test, receives the messages."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes

import pytest

from app.extensions import celery, db
from app.services import mail
from app.services.jobs import tasks
from tests.factories.accounts import OrganisationFactory, member


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server = self.server
        server.connections += 1  # type: ignore[attr-defined]
        if server.connections <= server.refuse:  # type: ignore[attr-defined]
            self.wfile.write(b"421 busy, try later\r\n")
            return
        self.wfile.write(b"220 test SMTP\r\n")
        while line := self.rfile.readline():
            verb = line.strip().upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                server.messages.append(message_from_bytes(data))  # type: ignore[attr-defined]
                self.wfile.write(b"250 kept\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, refuse: int = 0):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.refuse, self.connections, self.messages = refuse, 0, []

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


@pytest.fixture(autouse=True)
def worker_uses_this_app(app, monkeypatch):
    """The Celery tasks run in the app Celery was last configured with: this test's."""
    monkeypatch.setitem(celery.conf, "flask_app", app)


@pytest.fixture
def smtp(app, monkeypatch):
    with SmtpServer() as server:
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", server.server_address[1])
        monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
        yield server


@pytest.fixture
def queued(app, monkeypatch):
    """A broker is configured; what would go to it is kept here."""
    monkeypatch.setitem(app.config, "CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    sent: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(celery, "send_task", lambda name, args: sent.append((name, args)))
    return sent


def _invite(client, login):
    org = OrganisationFactory(name="Dundee Precision Castings")
    login(member(org, "org_admin"))
    response = client.post(
        "/organisation/people/invite", data={"email": "new.starter@dundee.example", "roles": ["learner"]}
    )
    assert response.status_code == 303


def test_without_a_broker_an_invitation_is_sent_at_once_by_smtp(client, login, smtp):
    _invite(client, login)
    [message] = smtp.messages
    assert message["To"] == "new.starter@dundee.example" and "Dundee Precision Castings" in message["Subject"]
    assert "/invitations/" in message.get_payload()


def test_with_a_broker_the_worker_sends_it_after_the_request_commits(client, login, smtp, queued):
    _invite(client, login)
    assert smtp.messages == []  # the request did not wait for the mail server
    [(task, args)] = queued
    assert task == "credwork.send_email" and args[0] == "new.starter@dundee.example"
    tasks.send_email.apply(args=args)  # what the worker does
    [message] = smtp.messages
    assert message["To"] == "new.starter@dundee.example" and "/invitations/" in message.get_payload()


def test_mail_written_by_work_that_is_rolled_back_is_never_sent(app, smtp, queued):
    mail.send("someone@example.org", "Not to be sent", "The work behind this was undone.")
    db.session.rollback()
    db.session.commit()
    assert queued == [] and smtp.messages == []
    mail.send("someone@example.org", "To be sent", "The work behind this was kept.")
    assert queued == []  # not before the commit
    db.session.commit()
    assert [args[1] for _, args in queued] == ["To be sent"]


def test_the_worker_tries_again_when_the_mail_server_refuses(app, monkeypatch):
    with SmtpServer(refuse=2) as server:
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", server.server_address[1])
        monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
        tasks.send_email.apply(args=["ann@example.org", "Your badge", "Claim it here."])
    assert server.connections == 3 and [m["Subject"] for m in server.messages] == ["Your badge"]


def test_if_the_broker_cannot_take_it_the_web_process_sends_it(app, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "CELERY_BROKER_URL", "redis://127.0.0.1:1/0")

    def broker_down(*_args, **_kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(celery, "send_task", broker_down)
    mail.send("ann@example.org", "Your badge", "Claim it here.")
    db.session.commit()
    assert [m["Subject"] for m in smtp.messages] == ["Your badge"]
