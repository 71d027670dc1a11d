"""Recognition of prior learning: a learner sends badges towards a provider's programme; the
coordinator sees each badge checked again and grants or refuses each module with reasons; the
learner is told, the credit shows in their wallet and, for a planned apprenticeship on that
programme, as prior learning in the plan."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, PriorLearning, RplRequest
from app.services import issuing
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.apprenticeships import setting
from tests.factories.issuing import award, provider_with_record


def _setup():
    s = setting()
    learner = s.apprentice.user
    provider, coordinator, record = provider_with_record(scqf_level=7, scqf_credits=15, title="Hydraulics")
    issued = award(provider, coordinator, record, email=learner.email, notify=False)
    db.session.commit()
    return s, learner, issued, (provider, coordinator)


def _send(client, s, issued, **extra):
    data = {
        "programme_id": str(s.apprenticeship.programme_id),
        "badges": [f"issued-{issued.id}"],
        "message": "I did this module at my last job.",
        **extra,
    }
    return client.post("/rpl/new", data=data)


def test_a_learner_asks_and_the_coordinator_grants_a_module_with_a_reason(app, client, login, outbox):
    s, learner, issued, _ = _setup()
    login(learner)
    form = client.get("/rpl/new").get_data(as_text=True)
    assert "Hydraulics" in form and "Engineering Practice" in form
    sent = _send(client, s, issued)
    assert sent.status_code == 303
    req = db.session.scalar(select(RplRequest))
    assert req.organisation_id == s.provider.id and req.badges[0]["title"] == "Hydraulics"
    assert "Waiting for a decision" in client.get(sent.headers["Location"]).get_data(as_text=True)

    coordinator = app.test_client()
    login(s.coordinator.user, c=coordinator)
    assert "1 request for recognition of prior learning to decide" in coordinator.get("/dashboard").get_data(
        as_text=True
    )
    assert learner.name in coordinator.get("/rpl/requests").get_data(as_text=True)
    page = coordinator.get(f"/rpl/requests/{req.id}").get_data(as_text=True)
    assert "checked again just now" in page and "Hydraulics" in page and "Valid" in page

    module = s.apprenticeship.programme.modules[0]
    missing = coordinator.post(f"/rpl/requests/{req.id}/decide", data={f"decision-{module.id}": "grant"})
    assert missing.status_code == 422 and "Give the reason for Marine systems module" in missing.get_data(as_text=True)
    assert req.status == "submitted"

    decided = coordinator.post(
        f"/rpl/requests/{req.id}/decide",
        data={f"decision-{module.id}": "grant", f"reason-{module.id}": "Hydraulics covers the module's outcomes."},
    )
    assert decided.status_code == 303
    assert req.status == "decided" and [(d.module_id, d.granted) for d in req.decisions] == [(module.id, True)]
    [mail] = [m for m in outbox if m.to == learner.email and "prior learning" in m.subject]
    assert "Marine systems module: credit granted (Hydraulics covers the module's outcomes.)" in mail.body
    prior = db.session.scalars(select(PriorLearning)).all()
    assert [(p.apprenticeship_id, p.module_id) for p in prior] == [(s.apprenticeship.id, module.id)]
    assert "rpl.decide" in db.session.scalars(select(AuditEvent.action)).all()

    wallet = client.get("/wallet/").get_data(as_text=True)
    assert "Credit granted through recognition of prior learning" in wallet and "Marine systems module" in wallet
    again = coordinator.post(
        f"/rpl/requests/{req.id}/decide",
        data={f"decision-{module.id}": "refuse", f"reason-{module.id}": "Changed my mind"},
    )
    assert again.status_code == 422 and "already been decided" in again.get_data(as_text=True)


def test_a_revoked_badge_shows_red_to_the_coordinator_and_only_verified_badges_can_be_attached(app, client, login):
    s, learner, issued, (provider, coordinator) = _setup()
    login(learner)
    assert _send(client, s, issued).status_code == 303
    issuing.revoke(coordinator, issued, "Issued in error")
    db.session.commit()
    refused = _send(client, s, issued)
    assert refused.status_code == 422 and "Choose at least one verified badge" in refused.get_data(as_text=True)
    req = db.session.scalar(select(RplRequest))
    c = app.test_client()
    login(s.coordinator.user, c=c)
    page = c.get(f"/rpl/requests/{req.id}").get_data(as_text=True)
    assert "Revoked" in page and "Issued in error" in page


def test_nobody_else_sees_a_request(app, client, login):
    s, learner, issued, _ = _setup()
    login(learner)
    _send(client, s, issued)
    req = db.session.scalar(select(RplRequest))
    other_provider = OrganisationFactory(provider=True)
    outsider = member(other_provider, "provider_coordinator")
    stranger = member(OrganisationFactory(), "learner")
    c = app.test_client()
    login(outsider, c=c)
    assert c.get(f"/rpl/requests/{req.id}").status_code == 404
    assert c.post(f"/rpl/requests/{req.id}/decide", data={}).status_code == 404
    assert learner.name not in c.get("/rpl/requests").get_data(as_text=True)
    d = app.test_client()
    login(stranger, c=d)
    assert d.get(f"/rpl/mine/{req.id}").status_code == 404
