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
