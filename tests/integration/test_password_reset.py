"""Forgotten passwords: an emailed, single-use, expiring link whose token is stored hashed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models import PasswordResetToken, utcnow
from tests.factories.accounts import PASSWORD, OrganisationFactory, member

LINK = re.compile(r"http://localhost(/password/reset/(\S+))")


@pytest.fixture
def person():
    org = OrganisationFactory(name="Leith Docks Engineering")
    return member(org, "learner", name="Hamish Baird", email="hamish@leith.example")


def ask_for_link(client, outbox, email):
    response = client.post("/password/forgot", data={"email": email})
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    match = LINK.search(outbox[-1].body)
    assert match, outbox[-1].body
    return match.group(1), match.group(2)


def test_reset_link_is_emailed_and_works_once(client, outbox, person):
    path, _ = ask_for_link(client, outbox, person.email)
    assert outbox[-1].to == person.email
    assert outbox[-1].subject == "Reset your Credwork password"

    form = client.get(path)
    assert form.status_code == 200
    assert "Choose a new password" in form.get_data(as_text=True)
    response = client.post(path, data={"password": "a-fresh-password-9", "confirm": "a-fresh-password-9"})
    assert response.status_code == 303
    assert "Your password has been changed" in client.get("/login").get_data(as_text=True)

    again = client.get(path)
    assert again.status_code == 410
    assert "This password reset link no longer works" in again.get_data(as_text=True)
    assert (
        client.post(path, data={"password": "another-password-9", "confirm": "another-password-9"}).status_code == 410
    )

    assert client.post("/login", data={"email": person.email, "password": "a-fresh-password-9"}).status_code == 303


def test_reset_rejects_a_short_password_and_keeps_the_link(client, outbox, person):
    path, _ = ask_for_link(client, outbox, person.email)
    response = client.post(path, data={"password": "short", "confirm": "short"})
    assert response.status_code == 422
    assert "Password must be 10 characters or more" in response.get_data(as_text=True)
    assert client.get(path).status_code == 200
    assert client.post("/login", data={"email": person.email, "password": PASSWORD}).status_code == 303


def test_expired_link_shows_the_gone_page(client, outbox, person):
    path, _ = ask_for_link(client, outbox, person.email)
    record = db.session.scalar(select(PasswordResetToken).where(PasswordResetToken.user_id == person.id))
    record.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "This password reset link no longer works" in page
    assert "Ask for a new reset link" in page


def test_unknown_email_gets_the_same_page_and_no_mail(client, outbox):
    response = client.post("/password/forgot", data={"email": "stranger@nowhere.example"})
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    assert outbox == []


def test_a_made_up_token_is_refused(client):
    assert client.get("/password/reset/not-a-real-token").status_code == 410


def test_token_is_stored_only_as_a_digest(client, outbox, person):
    _, token = ask_for_link(client, outbox, person.email)
    rows = db.session.execute(text("SELECT token_hash FROM password_reset_tokens")).scalars().all()
    assert rows, "a reset token row should exist"
    assert token not in rows
    assert all(token not in row for row in rows)
    import hashlib

    assert hashlib.sha256(token.encode()).hexdigest() in rows


def test_using_one_link_cancels_the_others(client, outbox, person):
    first, _ = ask_for_link(client, outbox, person.email)
    second, _ = ask_for_link(client, outbox, person.email)
    assert first != second
    assert (
        client.post(second, data={"password": "newest-password-1", "confirm": "newest-password-1"}).status_code == 303
    )
    # An older email lying in the inbox must not be able to change the password again.
    assert client.get(first).status_code == 410
    assert client.post("/login", data={"email": person.email, "password": "newest-password-1"}).status_code == 303
