"""The audit log page: filters in the URL, pages, htmx partials, and append-only storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from app.extensions import db
from app.models import AuditEvent
from app.models.audit import AppendOnlyError
from tests.factories.accounts import OrganisationFactory, member


@pytest.fixture
def org():
    return OrganisationFactory(name="Stirling Rail Systems")


@pytest.fixture
def admin(org):
    return member(org, "org_admin", name="Eilidh Paterson", email="eilidh@stirling.example")


def add_event(org, actor=None, action="thing.done", summary="Something happened", when=None):
    event = AuditEvent(
        organisation_id=org.id,
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type="Thing",
        subject_id="1",
        summary=summary,
        occurred_at=when or datetime.now(UTC),
    )
    db.session.add(event)
    db.session.flush()
    return event


def results(response) -> str:
    return response.get_data(as_text=True)


def test_filter_by_action_is_a_bookmarkable_get(client, login, org, admin):
    add_event(org, admin, "membership.removed", "Removed Ewan Gillies")
    add_event(org, admin, "invitation.sent", "Invited Mhairi Dunn")
    login(admin)
    page = results(client.get("/organisation/audit?action=invitation.sent"))
    assert "Invited Mhairi Dunn" in page
    assert "Removed Ewan Gillies" not in page
    assert "1 entry" in page
    assert '<option value="invitation.sent" selected>' in page  # the form shows the filter in use


def test_filter_by_person(client, login, org, admin):
    colleague = member(org, "hr_manager", name="Tormod Nicolson")
    add_event(org, admin, summary="Done by Eilidh")
    add_event(org, colleague, summary="Done by Tormod")
    login(admin)
    page = results(client.get("/organisation/audit", query_string={"actor": "tormod"}))
    assert "Done by Tormod" in page
    assert "Done by Eilidh" not in page


def test_filter_by_date_uses_london_days(client, login, org, admin):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    add_event(org, admin, summary="Late June event", when=datetime(2026, 6, 29, 12, 0, tzinfo=UTC))
    add_event(org, admin, summary="Just after midnight in London", when=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    add_event(org, admin, summary="Mid July event", when=datetime(2026, 7, 15, 9, 0, tzinfo=UTC))
    login(admin)
    page = results(client.get("/organisation/audit?from=2026-07-01&to=2026-07-01"))
    assert "Just after midnight in London" in page
    assert "Late June event" not in page
    assert "Mid July event" not in page
    page = results(client.get("/organisation/audit?to=2026-06-30"))
    assert "Late June event" in page
    assert "Just after midnight in London" not in page


def test_a_bad_date_is_ignored_not_an_error(client, login, org, admin):
    add_event(org, admin, summary="Still listed")
    login(admin)
    response = client.get("/organisation/audit?from=not-a-date&page=abc")
    assert response.status_code == 200
    assert "Still listed" in results(response)


def test_pagination(client, login, org, admin):
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    for n in range(60):
        add_event(org, admin, action="bulk.thing", summary=f"Bulk event {n:02d}", when=start + timedelta(minutes=n))
    login(admin)
    first = results(client.get("/organisation/audit?action=bulk.thing"))
    assert "60 entries, page 1 of 2" in first
    assert "Bulk event 59" in first and "Bulk event 10" in first  # newest first
    assert "Bulk event 09" not in first
    assert "action=bulk.thing&amp;page=2" in first
    second = results(client.get("/organisation/audit?action=bulk.thing&page=2"))
    assert "page 2 of 2" in second
    assert "Bulk event 09" in second and "Bulk event 00" in second
    assert "Bulk event 10" not in second


def test_another_organisations_events_never_show(client, login, org, admin):
    other = OrganisationFactory(name="Elsewhere Ltd")
    add_event(other, summary="Secret elsewhere business")
    login(admin)
    page = results(client.get("/organisation/audit"))
    assert "Secret elsewhere business" not in page
    assert "Secret elsewhere business" not in results(client.get("/organisation/audit?action=thing.done"))


def test_htmx_request_gets_only_the_results(client, login, org, admin):
    add_event(org, admin, summary="Visible in both")
    login(admin)
    partial = client.get("/organisation/audit", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    body = results(partial)
    assert "Visible in both" in body
    assert "<html" not in body
    assert "Filter the audit log" not in body
    assert "HX-Request" in partial.headers["Vary"]

    full = client.get("/organisation/audit")
    assert "<html" in results(full)
    assert 'hx-target="#audit-results"' in results(full)
    assert "HX-Request" in full.headers["Vary"]


def test_history_restore_gets_the_full_page(client, login, org, admin):
    login(admin)
    response = client.get("/organisation/audit", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in results(response)


@pytest.mark.parametrize("role", ["hr_manager", "line_manager", "recruiter", "learner"])
def test_only_admins_see_the_audit_log(client, login, org, role):
    login(member(org, role))
    assert client.get("/organisation/audit").status_code == 403


def test_the_orm_refuses_to_change_an_event(org):
    event = add_event(org, summary="Original")
    event.summary = "Rewritten"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET summary = 'Rewritten' WHERE id = :id",
        "DELETE FROM audit_events WHERE id = :id",
    ],
)
def test_the_database_refuses_to_change_an_event(org, statement):
    event = add_event(org, summary="Original")
    savepoint = db.session.begin_nested()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(statement), {"id": event.id})
    savepoint.rollback()
    assert db.session.scalar(select(AuditEvent.summary).where(AuditEvent.id == event.id)) == "Original"
