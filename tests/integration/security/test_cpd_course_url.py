"""A CPD request's "course web page" is shown as a link to the line manager and HR, so only
http(s) addresses are accepted: a javascript: or data: URL would run in their session."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from tests.factories.cpd import employer, request


@pytest.fixture
def as_user(app, login):
    def _as(user):
        c = app.test_client()
        login(user, c=c)
        return c

    return _as


def _form(url: str) -> dict:
    today = date.today()
    return {
        "course_kind": "external",
        "external_title": "Confined Space Entry",
        "external_provider": "SafeWork Ltd",
        "external_url": url,
        "cost": "100",
        "hours": "8",
        "scqf_credits": "",
        "reason": "Tank inspections",
        "start_date": [str(today.day), str(today.month), str(today.year)],
        "submit": "Send request",
    }


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/course",
    ],
)
def test_a_course_page_that_is_not_a_web_address_is_refused(as_user, url):
    e = employer()
    response = as_user(e.employee).post("/cpd/requests/new", data=_form(url))
    assert response.status_code == 422
    assert "starting with https://" in response.get_data(as_text=True)


def test_a_web_address_is_kept_and_linked_for_the_manager(as_user):
    e = employer()
    response = as_user(e.employee).post("/cpd/requests/new", data=_form("https://safework.example/confined"))
    assert response.status_code == 303
    page = as_user(e.manager).get(response.headers["Location"]).get_data(as_text=True)
    assert 'href="https://safework.example/confined"' in page


def test_an_unsafe_address_already_stored_is_not_rendered_as_a_link(as_user):
    e = employer()
    s = request(e)
    s.micro_credential_id, s.external_url = None, "javascript:alert(1)"
    db.session.flush()
    page = as_user(e.manager).get(f"/cpd/requests/{s.id}").get_data(as_text=True)
    assert "javascript:alert(1)" not in page.split("<main", 1)[1]
