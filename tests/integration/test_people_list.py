"""The people page at size: searched, filtered and sorted on the server, 50 to a page, with the
state in the URL (works without JavaScript; htmx gets only the results), and the same number of
queries at 5 people or 80."""

from __future__ import annotations

import re

from app.extensions import db
from app.services.accounts import people_list
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory, member
from tests.support.queries import counting


def _names(page: str) -> list[str]:
    return re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>', page)


def _staff(org, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        MembershipFactory(
            organisation=org,
            roles=["learner"],
            department="Wards" if n % 2 else "Theatres",
            user=UserFactory(name=f"Person {n:03d}", email=f"person{n:03d}@staff.example"),
        )
    db.session.commit()


def test_people_are_paginated_filtered_and_sorted_in_the_url(client, login):
    org = OrganisationFactory(name="Large Board")
    admin = member(org, "org_admin", name="Zara Admin", email="admin@staff.example")
    _staff(org, 79)
    other = OrganisationFactory()
    member(other, "learner", name="Person 999 Elsewhere")
    db.session.commit()
    login(admin)

    first = client.get("/organisation/people").get_data(as_text=True)
    assert "Members: 80, page 1 of 2" in first
    assert _names(first)[:2] == ["Person 000", "Person 001"] and len(_names(first)) == 50
    second = client.get("/organisation/people?page=2").get_data(as_text=True)
    assert len(_names(second)) == 30 and _names(second)[-1] == "Zara Admin"
    assert "Elsewhere" not in first + second

    found = client.get("/organisation/people?q=PERSON01").get_data(as_text=True)
    assert _names(found) == [f"Person {n:03d}" for n in range(10, 20)] and "Members: 10 matching" in found
    theatres = client.get("/organisation/people?department=Theatres&q=person00").get_data(as_text=True)
    assert _names(theatres) == ["Person 000", "Person 002", "Person 004", "Person 006", "Person 008"]
    admins = client.get("/organisation/people?role=org_admin").get_data(as_text=True)
    assert _names(admins) == ["Zara Admin"]
    by_email = client.get("/organisation/people?sort=email").get_data(as_text=True)
    assert _names(by_email)[0] == "Zara Admin"  # admin@ sorts first
    assert 'href="/organisation/people?sort=email&amp;page=2"' in by_email

    partial = client.get(
        "/organisation/people?q=person06", headers={"HX-Request": "true", "HX-Target": "people-results"}
    )
    body = partial.get_data(as_text=True)
    assert "<html" not in body and len(_names(body)) == 10


def test_the_people_page_runs_the_same_queries_at_any_size(client, login):
    org = OrganisationFactory()
    admin = member(org, "org_admin")
    _staff(org, 4)
    login(admin)
    with counting() as few:
        assert client.get("/organisation/people").status_code == 200
    _staff(org, 80, start=4)
    with counting() as many:
        assert client.get("/organisation/people").status_code == 200
    assert len(many) == len(few) <= 25


def test_bad_filter_values_are_ignored_not_errors(client, login):
    org = OrganisationFactory()
    admin = member(org, "org_admin")
    login(admin)
    response = client.get("/organisation/people?page=abc&sort=password&role=nonsense")
    assert response.status_code == 200 and "Nobody matches these filters" in response.get_data(as_text=True)
    assert people_list.PeopleFilters.from_args({"sort": "password"}).sort == "name"
