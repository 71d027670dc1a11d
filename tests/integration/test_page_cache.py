"""The busiest pages come from the shared cache for the person who saw them, with each session's
own CSRF token, and never once the data has changed (app/blueprints/page_cache.py,
app/data_version.py). Every other test runs with the cache on too, so each journey also shows
that a change is never hidden."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from app import create_app, data_version
from app.extensions import db
from tests.factories.accounts import OrganisationFactory, member
from tests.support.queries import counting


def _people_query(statements: list[str]) -> bool:
    return any("ORDER BY users.name" in s for s in statements)


def _tokens(page: str) -> set[str]:
    """The CSRF tokens a page hands to its forms and to htmx."""
    found = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"', page)
    return {form or htmx for form, htmx in found}


def test_a_page_seen_again_comes_from_the_cache_until_anything_changes(client, login):
    org = OrganisationFactory(name="Large Board")
    admin = member(org, "org_admin", name="Zara Admin")
    nurse = member(org, "learner", name="Nina Nurse")
    db.session.commit()
    login(admin)

    with counting(cold=False) as first_time:
        first = client.get("/organisation/people").get_data(as_text=True)
    with counting(cold=False) as second_time:
        second = client.get("/organisation/people").get_data(as_text=True)
    assert _people_query(first_time) and not _people_query(second_time)
    assert second == first and "Nina Nurse" in second

    nurse.name = "Nina Renamed"  # a change through the ORM
    db.session.commit()
    assert "Nina Renamed" in client.get("/organisation/people").get_data(as_text=True)

    db.session.execute(text("UPDATE users SET name = 'Nina Raw' WHERE id = :id"), {"id": nurse.id})  # plain SQL
    db.session.commit()
    page = client.get("/organisation/people").get_data(as_text=True)
    assert "Nina Raw" in page and "Nina Renamed" not in page

    nurse.name = "Nina Unsaved"
    db.session.flush()  # not committed: only a reader on the same connection sees it, and does
    assert "Nina Unsaved" in client.get("/organisation/people").get_data(as_text=True)
    db.session.rollback()
    assert "Nina Raw" in client.get("/organisation/people").get_data(as_text=True)


def test_in_debug_mode_every_page_is_worked_out_so_edited_templates_show_at_once(app, client, login):
    org = OrganisationFactory()
    admin = member(org, "org_admin")
    db.session.commit()
    login(admin)
    client.get("/organisation/people")
    app.debug = True
    try:
        with counting(cold=False) as statements:
            client.get("/organisation/people")
    finally:
        app.debug = False
    assert _people_query(statements)


def test_a_copy_is_per_person_and_carries_each_sessions_own_csrf_token(app, client, login):
    org = OrganisationFactory()
    first_admin = member(org, "org_admin", name="First Admin")
    second_admin = member(org, "org_admin", name="Second Admin")
    learner = member(org, "learner")
    db.session.commit()
    login(first_admin)
    laptop = login(first_admin, c=app.test_client())  # the same person, another session
    other = login(second_admin, c=app.test_client())
    mine = client.get("/organisation/people").get_data(as_text=True)
    with counting(cold=False) as statements:
        again = laptop.get("/organisation/people").get_data(as_text=True)
    assert not _people_query(statements)  # their copy
    assert _tokens(again) and not _tokens(again) & _tokens(mine)  # with this session's own token
    with counting(cold=False) as statements:
        theirs = other.get("/organisation/people").get_data(as_text=True)
    assert _people_query(statements) and not _tokens(theirs) & _tokens(mine)  # someone else: worked out

    (token,) = _tokens(again)
    assert client.post("/logout", data={"csrf_token": token}, no_csrf=True).status_code == 400  # not theirs
    laptop.csrf_value = token
    assert laptop.post("/logout").status_code == 303  # the session's own

    assert login(learner, c=app.test_client()).get("/organisation/people").status_code == 403
    assert app.test_client().get("/organisation/people").status_code == 302  # signed out: sign in first


def test_a_flash_message_is_shown_once_and_never_kept(client, login):
    org = OrganisationFactory()
    admin = member(org, "org_admin")
    db.session.commit()
    login(admin)
    client.get("/organisation/people")  # a copy without the message

    sent = client.post(
        "/organisation/people/invite",
        data={"email": "new.starter@example.org", "roles": ["learner"], "department": "Wards"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Invitation sent to new.starter@example.org" in sent
    again = client.get("/organisation/people").get_data(as_text=True)
    assert "Invitation sent to" not in again and "new.starter@example.org" in again  # pending, no message


@pytest.mark.no_transaction
def test_a_write_in_another_worker_is_seen_through_the_shared_cache(tmp_path):
    """gunicorn's workers are separate processes sharing the cache's files (or Redis): a commit in
    one changes the version every other reads, so none serves a copy older than the data."""
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    reader, writer = (
        create_app("test", SQLALCHEMY_DATABASE_URI=database, CACHE_TYPE="FileSystemCache", CACHE_DIR=str(tmp_path))
        for _ in range(2)
    )
    with writer.app_context():
        db.create_all()
    with reader.app_context():
        before = data_version.current()
        assert data_version.current() == before  # stable while nothing changes
    with writer.app_context():
        db.session.execute(text("INSERT INTO search_terms (term, frequency) VALUES ('ignored', 1)"))
        db.session.commit()  # sign-in bookkeeping and search statistics change nothing shown
    with reader.app_context():
        assert data_version.current() == before
    with writer.app_context():
        db.session.execute(text("INSERT INTO skills (uri, label, framework) VALUES ('urn:x:1', 'Phlebotomy', 'local')"))
        db.session.commit()
    with reader.app_context():
        assert data_version.current() != before
        db.session.remove()
    with writer.app_context():
        db.session.remove()


def test_when_the_cache_cannot_be_reached_pages_are_worked_out_and_writes_go_through(client, login, monkeypatch):
    from app.extensions import cache

    org = OrganisationFactory()
    admin = member(org, "org_admin")
    nurse = member(org, "learner", name="Nina Nurse")
    db.session.commit()
    login(admin)
    client.get("/organisation/people")

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "set", "add"):
        monkeypatch.setattr(cache.cache, method, down)
    nurse.name = "Nina Down"
    db.session.commit()  # the version cannot be changed: the write still goes through
    page = client.get("/organisation/people")
    assert page.status_code == 200 and "Nina Down" in page.get_data(as_text=True)
