"""The claim link in an award email expires after CLAIM_LINK_DAYS; the provider can send it again,
and whoever holds an expired link can have a new one sent to the address the badge was awarded to."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.models.base import utcnow
from tests.factories.issuing import award, provider_with_record

CLAIM_LINK = re.compile(r"http://localhost(/credentials/claim/\S+)")


def _links(outbox, email: str) -> list[str]:
    return [CLAIM_LINK.search(m.body).group(1) for m in outbox if m.to == email]


def _expire(issued) -> None:
    issued.claim_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()


def test_the_link_lasts_the_configured_days_and_the_email_says_until_when(app, outbox):
    app.config["CLAIM_LINK_DAYS"] = 7
    try:
        provider, coordinator, record = provider_with_record()
        issued = award(provider, coordinator, record, name="Isla Learner", email="isla@learner.example")
    finally:
        app.config["CLAIM_LINK_DAYS"] = 30
    lasts = issued.claim_expires_at - utcnow()
    assert timedelta(days=6, hours=23) < lasts <= timedelta(days=7)
    [mail] = [m for m in outbox if m.to == "isla@learner.example"]
    assert "the link works once, until" in mail.body


def test_an_expired_link_cannot_be_used_and_a_new_one_goes_only_to_the_awarded_address(app, outbox):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, name="Isla Learner", email="isla@learner.example")
    [old] = _links(outbox, "isla@learner.example")
    _expire(issued)
    anonymous = app.test_client()
    page = anonymous.get(old).get_data(as_text=True)
    assert "This link expired on" in page and "Email me a new link" in page and "Accept the badge" not in page

    refused = anonymous.post(old)
    assert refused.status_code == 410 and "This link expired on" in refused.get_data(as_text=True)
    assert issued.claimed_at is None

    renewed = anonymous.post(f"{old}/renew")
    assert renewed.status_code == 303 and renewed.headers["Location"].endswith("/credentials/claim/sent")
    assert "Check your email" in anonymous.get("/credentials/claim/sent").get_data(as_text=True)
    sent = [m for m in outbox if "/credentials/claim/" in m.body]
    assert {m.to for m in sent} == {"isla@learner.example"}
    old_again, new = _links(outbox, "isla@learner.example")
    assert old_again == old and new != old
    assert anonymous.get(old).status_code == 404  # the expired link is gone for good
    assert anonymous.post(new).status_code == 303
    assert issued.claimed_at is not None
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == str(issued.id))).all()
    assert "credential.claim_renew" in actions and "credential.claim" in actions


def test_a_link_that_still_works_is_not_renewed(app, outbox):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, name="Isla Learner", email="isla@learner.example")
    db.session.commit()
    [link] = _links(outbox, "isla@learner.example")
    response = app.test_client().post(f"{link}/renew")
    assert response.status_code == 422 and "This link still works" in response.get_data(as_text=True)
    assert len(_links(outbox, "isla@learner.example")) == 1 and issued.claimed_at is None


def test_the_coordinator_sends_the_link_again_and_the_old_one_stops_working(app, client, login, outbox):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, name="Isla Learner", email="isla@learner.example")
    [old] = _links(outbox, "isla@learner.example")
    _expire(issued)
    login(coordinator)
    page = client.get(f"/issuing/{issued.id}").get_data(as_text=True)
    assert "Not yet; the link expired" in page and "Send the link again" in page

    response = client.post(f"/issuing/{issued.id}/resend-claim")
    assert response.status_code == 303
    assert "A new link to accept the badge was sent to isla@learner.example" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    _, new = _links(outbox, "isla@learner.example")
    anonymous = app.test_client()
    assert anonymous.get(old).status_code == 404
    assert anonymous.post(new).status_code == 303
    assert (
        "credential.claim_resend"
        in db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == str(issued.id))).all()
    )

    # Accepted: there is nothing left to send.
    page = client.get(f"/issuing/{issued.id}").get_data(as_text=True)
    assert "Send the link again" not in page
    refused = client.post(f"/issuing/{issued.id}/resend-claim", follow_redirects=True)
    assert "already accepted this badge" in refused.get_data(as_text=True)
    assert len(_links(outbox, "isla@learner.example")) == 2


def test_another_provider_cannot_send_the_link(app, client, login, outbox):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, name="Isla Learner", email="isla@learner.example")
    _other, other_coordinator, _ = provider_with_record()
    login(other_coordinator)
    assert client.post(f"/issuing/{issued.id}/resend-claim").status_code == 404
    assert len(_links(outbox, "isla@learner.example")) == 1
