"""Query parameters out of any sensible range (a year past 9999, a page number too big for
the database) show an empty page, never a 500: anyone signed in could otherwise fill the
error log at will."""

from __future__ import annotations

import pytest

from tests.factories.accounts import OrganisationFactory, member
from tests.factories.cpd import employer

HUGE = "999999999999999999999"


def _client(app, login, user):
    client = app.test_client()
    login(user, c=client)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/cpd/export/spend.csv?year=99999",
        "/cpd/reports/spend.pdf?year=99999",
        "/cpd/departments?name=Engineering&year=99999",
        "/cpd/requests?year=99999",
        "/cpd/requests?year=-99999",
        f"/cpd/requests?page={HUGE}",
        f"/cpd/export/requests.csv?page={HUGE}&year=99999",
    ],
)
def test_cpd_pages_survive_absurd_years_and_pages(app, login, url):
    e = employer()
    assert _client(app, login, e.hr).get(url).status_code == 200


@pytest.mark.parametrize("url", [f"/issuing?page={HUGE}", f"/organisation/audit?page={HUGE}", f"/platform?page={HUGE}"])
def test_listing_pages_survive_a_page_number_too_big_for_the_database(app, login, url):
    provider = OrganisationFactory(provider=True)
    user = member(provider, "provider_coordinator", "org_admin", "platform_admin")
    assert _client(app, login, user).get(url).status_code == 200


def _every_int_route(app):
    from werkzeug.routing.converters import AnyConverter, IntegerConverter

    for rule in app.url_map.iter_rules():
        converters = rule._converters
        ints = [name for name, c in converters.items() if isinstance(c, IntegerConverter)]
        if not ints:
            continue
        for wanted in ints:
            values = {}
            for name, c in converters.items():
                if name == wanted:
                    values[name] = 2**31
                elif isinstance(c, IntegerConverter):
                    values[name] = 1
                elif isinstance(c, AnyConverter):
                    values[name] = sorted(c.items)[0]
                else:
                    values[name] = "x"
            path = rule.rule
            for name, value in values.items():
                path = re_sub_param(path, name, str(value))
            yield rule.endpoint, sorted(rule.methods - {"HEAD", "OPTIONS"})[0], path


def re_sub_param(path: str, name: str, value: str) -> str:
    import re

    return re.sub(r"<(?:[^:<>]+:)?" + re.escape(name) + r"(?:\([^)]*\))?>", value, path)


def test_every_route_refuses_an_id_too_big_for_the_database(app, login):
    """Any id of 2**31 or more in a path is not found, on every route (SQLite and PostgreSQL):
    a 32-bit database column could never hold it (issue 11, item 3)."""
    provider = OrganisationFactory(provider=True)
    client = _client(app, login, member(provider, "provider_coordinator", "org_admin", "assessor"))
    checked = 0
    for endpoint, method, path in _every_int_route(app):
        response = client.open(path, method=method)
        assert response.status_code == 404, f"{endpoint} {method} {path} -> {response.status_code}"
        checked += 1
    assert checked > 50


@pytest.mark.parametrize("value", [HUGE, str(2**31), "-1", "abc"])
def test_an_absurd_job_role_filter_shows_the_team_unfiltered(app, login, value):
    e = employer()
    response = _client(app, login, e.hr).get(f"/roles/team?job_role={value}")
    assert response.status_code == 200
