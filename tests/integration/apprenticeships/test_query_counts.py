"""The apprenticeship pages run the same number of queries for 5 apprentices as for 40: lists
are paginated and every figure is gathered for the whole caseload at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db
from seeds.apprenticeship_scale import add_apprentices
from tests.factories.apprenticeships import setting
from tests.support.queries import counting


@pytest.fixture
def scene():
    s = setting(started=True, start=date.today() - timedelta(days=35))
    return s


def _grow(s, count: int) -> None:
    add_apprentices(s.cohort, s.employer.id, s.line_manager, s.assessor, count, today=date.today())


def _queries(client, url: str) -> int:
    db.session.expire_all()
    with counting() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


@pytest.mark.parametrize(
    "who, url",
    [
        ("hr", "/apprenticeships/"),
        ("hr", "/apprenticeships/?progress=off_track"),
        ("hr", "/dashboard"),
        ("line_manager", "/apprenticeships/"),
        ("coordinator", "/cohorts/"),
        ("coordinator", "/cohorts/{cohort}"),
        ("coordinator", "/apprenticeships/?page=2"),
        ("assessor", "/apprenticeships/"),
        ("assessor", "/dashboard"),
    ],
)
def test_dashboards_run_a_bounded_number_of_queries(app, login, scene, who, url):
    client = login(getattr(scene, who).user, c=app.test_client())
    url = url.format(cohort=scene.cohort.id)
    _grow(scene, 5)
    few = _queries(client, url)
    _grow(scene, 35)
    many = _queries(client, url)
    assert many == few, f"{url} ran {few} queries for 6 apprentices and {many} for 41"


def test_the_caseload_is_paginated_with_counts_for_everyone(app, login, scene):
    _grow(scene, 40)
    client = login(scene.hr.user, c=app.test_client())
    page = client.get("/apprenticeships/").get_data(as_text=True)
    assert "41 apprentices, page 1 of 2" in page
    assert page.count('href="/apprenticeships/') >= 25
