"""htmx conventions: partials only for targeted requests, full pages for boosted navigation and
history restores, error responses that htmx actually swaps, and forms that work without JS."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Membership
from tests.factories.accounts import OrganisationFactory, member

FILTER_REQUEST = {"HX-Request": "true", "HX-Target": "audit-results", "HX-Trigger": "action"}
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}


@pytest.fixture
def admin():
    return member(OrganisationFactory(name="Oban Seafoods"), "org_admin", name="Seonaid Black")


def htmx_config(page: str) -> dict:
    match = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', page)
    assert match, "base.html must configure htmx"
    return json.loads(html.unescape(match.group(1)))


def resolve(config: dict, status: int) -> dict:
    """htmx 2's rule: the first responseHandling entry whose code pattern matches the status."""
    for entry in config["responseHandling"]:
        if re.match(entry["code"], str(status)):
            return entry
    return {"swap": False}


def test_filter_request_gets_the_partial(client, login, admin):
    login(admin)
    client.post("/organisation/people/invite", data={"email": "htmx.person@oban.example", "roles": ["learner"]})
    response = client.get("/organisation/audit?action=invitation.sent", headers=FILTER_REQUEST)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in body
    assert "1 entry" in body
    assert "Invited htmx.person@oban.example" in body


def test_boosted_navigation_gets_the_full_page(client, login, admin):
    login(admin)
    body = client.get("/organisation/audit", headers=BOOSTED).get_data(as_text=True)
    assert "<html" in body
    assert "Filter the audit log" in body


def test_plain_request_gets_the_full_page_and_vary(client, login, admin):
    login(admin)
    response = client.get("/organisation/audit")
    page = response.get_data(as_text=True)
    assert "<html" in page
    assert "HX-Request" in response.headers.get("Vary", "")
    # The filter form is a real GET form that htmx enhances, pushing the filtered URL.
    form = re.search(r'<form[^>]*method="get" action="/organisation/audit"[^>]*>', page).group(0)
    assert 'hx-get="/organisation/audit"' in form and 'hx-push-url="true"' in form


def test_htmx_swaps_error_and_validation_responses(client):
    config = htmx_config(client.get("/login").get_data(as_text=True))
    assert config["allowEval"] is False
    for status in (401, 403, 404, 422, 429, 500):
        assert resolve(config, status)["swap"] is True, status
    assert resolve(config, 204)["swap"] is False
    assert resolve(config, 200)["swap"] is True


def test_error_alert_does_not_change_the_address_bar(client, login):
    login(member(OrganisationFactory(), "learner"))
    response = client.get("/organisation/people", headers=BOOSTED)
    assert response.status_code == 403
    assert response.headers["HX-Push-Url"] == "false"
    assert response.headers["HX-Retarget"] == "#alert-region"


def test_boosted_form_with_errors_returns_the_page_with_422(client, login, admin):
    login(admin)
    response = client.post("/organisation/people/invite", data={"email": "not-an-email", "roles": []}, headers=BOOSTED)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "<html" in body
    assert "There is a problem" in body


def test_every_form_works_without_javascript(app, client, login, admin):
    anonymous = app.test_client()
    login(admin)
    OrganisationFactory(provider=True)  # so the partnership request form appears
    m = db.session.scalar(select(Membership).where(Membership.user_id == admin.id))
    pages = [(anonymous, "/login"), (anonymous, "/password/forgot")] + [
        (client, path)
        for path in (
            "/dashboard",
            "/organisation/people",
            "/organisation/people/invite",
            f"/organisation/people/{m.id}/roles",
            "/organisation/partnerships",
            "/organisation/audit",
        )
    ]
    for browser, path in pages:
        page = browser.get(path).get_data(as_text=True)
        forms = re.findall(r"<form\b[^>]*>", page)
        assert forms, path
        for tag in forms:
            assert re.search(r'\bmethod="(get|post)"', tag), (path, tag)
            assert re.search(r'\baction="/', tag), (path, tag)
        for link in re.findall(r"<a\b[^>]*>", page):
            assert 'href="' in link, (path, link)
