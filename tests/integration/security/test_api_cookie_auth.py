"""The API blueprint is exempt from CSRF, so it must never act on the browser's session
cookie: every state-changing /api/ route needs a Bearer API key, even for a signed-in person
(otherwise any web page could make a signed-in recruiter's browser call it)."""

from __future__ import annotations

import json

from tests.factories.accounts import OrganisationFactory, member


def _state_changing_api_rules(app):
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in sorted((rule.methods or set()) - {"GET", "HEAD", "OPTIONS"})
    ]


def test_a_signed_in_session_without_an_api_key_is_refused_on_every_api_route(app, login):
    org = OrganisationFactory()
    client = app.test_client()
    login(member(org, "recruiter", "org_admin"), c=client)
    rules = _state_changing_api_rules(app)
    assert rules, "no state-changing API routes found: the test would prove nothing"
    for rule, method in rules:
        url = rule.rule  # no parameters on API routes yet; a new one with <id> must be checked here
        assert "<" not in url, f"add an id for {url}"
        response = client.open(
            url, method=method, data=json.dumps({"credential": {"a": 1}}), content_type="application/json"
        )
        assert response.status_code == 401, (method, url, response.status_code)
        assert response.is_json and "API key" in response.get_json()["error"]["detail"]
