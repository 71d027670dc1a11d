"""Private calendar feeds of review dates: made, shown once, opened by their token, revoked."""

from __future__ import annotations

import re

from icalendar import Calendar

from app.models import AuditEvent
from app.models.people import Role
from tests.factories.apprenticeships import open_review, person, setting


def _address(page: str) -> str:
    found = re.search(r'id="calendar-address" type="text" value="([^"]+)"', page)
    assert found, "the new address is shown on the page"
    return found.group(1)


def test_a_person_subscribes_to_their_review_dates(app, login):
    s = setting(started=True)
    client = login(s.line_manager.user, c=app.test_client())
    assert "You have no calendar address yet" in client.get("/calendar/").get_data(as_text=True)
    page = client.post("/calendar/feed").get_data(as_text=True)
    address = _address(page)
    assert "This address is shown only now" in page
    feed = app.test_client().get(address.replace("http://localhost", ""))
    assert feed.status_code == 200
    assert feed.mimetype == "text/calendar"
    assert "no-store" in feed.headers["Cache-Control"]
    events = [c for c in Calendar.from_ical(feed.data).walk("VEVENT")]
    review = open_review(s)
    assert [str(e["summary"]) for e in events] == ["Progress review 1: Aila Apprentice (Engineering Practice)"]
    assert events[0].decoded("dtstart") == review.due_date
    assert str(events[0]["uid"]) == f"review-{review.id}@credwork"
    # The address is a secret: it is not shown again.
    assert "calendar-address" not in client.get("/calendar/").get_data(as_text=True)


def test_the_feed_lists_only_the_persons_own_reviews(app, login):
    mine = setting(started=True)
    setting(started=True, label="Other ")
    client = login(mine.apprentice.user, c=app.test_client())
    address = _address(client.post("/calendar/feed").get_data(as_text=True))
    body = app.test_client().get(address.replace("http://localhost", "")).get_data(as_text=True)
    assert "Aila Apprentice" in body and "Other Aila Apprentice" not in body
    stranger = person(mine.employer, Role.LEARNER)
    theirs = login(stranger.user, c=app.test_client())
    empty = app.test_client().get(
        _address(theirs.post("/calendar/feed").get_data(as_text=True)).replace("http://localhost", "")
    )
    assert Calendar.from_ical(empty.data).walk("VEVENT") == []


def test_revoking_or_replacing_the_address_makes_the_old_one_stop_working(app, login):
    s = setting(started=True)
    client = login(s.assessor.user, c=app.test_client())
    first = _address(client.post("/calendar/feed").get_data(as_text=True)).replace("http://localhost", "")
    second = _address(client.post("/calendar/feed").get_data(as_text=True)).replace("http://localhost", "")
    anonymous = app.test_client()
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    assert client.post("/calendar/feed/revoke").status_code == 303
    assert anonymous.get(second).status_code == 404
    assert anonymous.get("/calendar/not-a-real-token.ics").status_code == 404
    actions = {e.action for e in AuditEvent.query.filter(AuditEvent.actor_id == s.assessor.user.id)}
    assert {"calendar_feed.create", "calendar_feed.revoke"} <= actions


def test_the_calendar_page_needs_sign_in(client):
    response = client.get("/calendar/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/calendar/feed").status_code in (302, 401)
