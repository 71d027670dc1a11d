"""Error pages for people, JSON errors for the API, and the alert region for htmx requests."""

from __future__ import annotations

import pytest

from tests.factories.accounts import OrganisationFactory, member


@pytest.fixture
def learner():
    return member(OrganisationFactory(name="Ayr Coachworks"), "learner")


@pytest.fixture
def broken_page(app, monkeypatch):
    """Make the accessibility page (and the API health check) raise, as a bug would."""

    def boom(**_kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setitem(app.view_functions, "main.accessibility", boom)
    monkeypatch.setitem(app.view_functions, "api.health", boom)


def test_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl">Page not found</h1>' in page
    assert "Go to the Credwork home page" in page


def test_403_page(client, login, learner):
    login(learner)
    response = client.get("/organisation/people")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "You do not have permission to see this page" in page
    assert "ask your organisation admin" in page


def test_405_page(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "That action is not allowed here" in response.get_data(as_text=True)


def test_500_page_hides_the_details(client, broken_page):
    response = client.get("/accessibility")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in page
    assert "simulated bug" not in page
    assert "Traceback" not in page
    assert "<html" in page


def test_api_404_is_json(client):
    response = client.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"]["status"] == 404
    assert response.get_json()["error"]["title"] == "Page not found"


def test_api_405_and_500_are_json(client, broken_page):
    response = client.post("/api/v1/health", no_csrf=True)
    assert response.status_code == 405
    assert response.get_json()["error"]["status"] == 405
    response = client.get("/api/v1/health")
    assert response.status_code == 500
    assert response.get_json()["error"]["title"] == "Sorry, there is a problem with the service"
    assert "simulated bug" not in response.get_data(as_text=True)


def test_api_health_is_ok(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_htmx_403_retargets_the_alert_region(client, login, learner):
    login(learner)
    response = client.get("/organisation/people", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#alert-region"
    assert response.headers["HX-Reswap"] == "innerHTML"
    body = response.get_data(as_text=True)
    assert "You do not have permission to see this page" in body
    assert "<html" not in body
    assert 'role="alert"' in body


def test_htmx_401_retargets_instead_of_redirecting(client):
    response = client.get("/organisation/people", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Retarget"] == "#alert-region"
    assert "Sign in to continue" in response.get_data(as_text=True)


def test_htmx_404_and_500_retarget_the_alert_region(client, broken_page):
    for path, code in (("/no-such-page", 404), ("/accessibility", 500)):
        response = client.get(path, headers={"HX-Request": "true"})
        assert response.status_code == code
        assert response.headers["HX-Retarget"] == "#alert-region"
        assert "<html" not in response.get_data(as_text=True)


def test_every_full_page_has_the_alert_region(client):
    assert '<div id="alert-region" aria-live="polite"></div>' in client.get("/login").get_data(as_text=True)


def test_too_large_a_request_gets_the_413_page(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2000)
    response = client.post("/password/forgot", data={"email": "a@example.org", "padding": "x" * 5000})
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
