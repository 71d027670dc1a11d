"""GET /api/v1/apprenticeships: partners' HR systems read their own apprentices' progress with
their organisation's API key, and nothing of anyone else's."""

from __future__ import annotations

from datetime import date, timedelta

from app.services.verification import api_keys
from seeds.apprenticeship_scale import add_apprentices
from tests.factories.accounts import OrganisationFactory
from tests.factories.apprenticeships import log_hours, setting


def _key(org) -> dict:
    _, plaintext = api_keys.create_key(None, org, "HR system")
    return {"Authorization": f"Bearer {plaintext}"}


def test_the_employer_reads_its_apprentices_with_status_reasons_and_hours(client):
    s = setting(started=True)
    log_hours(s, date.today() - timedelta(days=2))
    body = client.get("/api/v1/apprenticeships", headers=_key(s.employer)).get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["pages"] == 1
    item = body["items"][0]
    assert item["apprentice"] == {"name": "Aila Apprentice"}
    assert item["employer"]["name"] == "Kelvin Test Marine"
    assert item["provider"]["name"] == "Forthside Test College"
    assert item["programme"]["title"] == "Engineering Practice" and item["programme"]["scqf_level"] == 7
    assert item["status"] == "active"
    assert item["progress"]["status"] == "off_track"
    assert any(r.startswith("review overdue by") for r in item["progress"]["reasons"])
    assert item["off_the_job"]["logged_hours"] == 3.0
    assert item["off_the_job"]["expected_to_date_hours"] > 100
    assert item["next_review_date"] == (s.apprenticeship.start_date + timedelta(weeks=12)).isoformat()
    one = client.get(f"/api/v1/apprenticeships/{s.apprenticeship.id}", headers=_key(s.employer)).get_json()
    assert one == item


def test_the_provider_sees_the_same_apprenticeship_and_a_third_organisation_sees_nothing(client):
    s = setting(started=True)
    provider_view = client.get("/api/v1/apprenticeships", headers=_key(s.provider)).get_json()
    assert [i["id"] for i in provider_view["items"]] == [s.apprenticeship.id]
    stranger = OrganisationFactory(name="Nosy Employer")
    assert client.get("/api/v1/apprenticeships", headers=_key(stranger)).get_json()["total"] == 0
    refused = client.get(f"/api/v1/apprenticeships/{s.apprenticeship.id}", headers=_key(stranger))
    assert refused.status_code == 404
    assert refused.get_json()["error"]["title"] == "Not found"
    assert client.get("/api/v1/apprenticeships/99999999999", headers=_key(s.employer)).status_code == 404


def test_without_a_valid_key_the_api_says_so(client):
    response = client.get("/api/v1/apprenticeships")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    bad = client.get("/api/v1/apprenticeships", headers={"Authorization": "Bearer cwk_not-a-key"})
    assert bad.status_code == 401 and "not valid" in bad.get_json()["error"]["detail"]


def test_pages_of_at_most_one_hundred(client):
    s = setting(started=True)
    add_apprentices(s.cohort, s.employer.id, s.line_manager, s.assessor, 30, today=date.today())
    headers = _key(s.employer)
    first = client.get("/api/v1/apprenticeships?per_page=20", headers=headers).get_json()
    second = client.get("/api/v1/apprenticeships?per_page=20&page=2", headers=headers).get_json()
    assert (first["total"], first["pages"], len(first["items"]), len(second["items"])) == (31, 2, 20, 11)
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    assert client.get("/api/v1/apprenticeships?per_page=5000", headers=headers).get_json()["per_page"] == 100


def test_a_page_costs_the_same_queries_however_many_apprentices(client):
    from app.extensions import db
    from tests.support.queries import counting

    s = setting(started=True)
    headers = _key(s.employer)

    def measured() -> int:
        client.get("/api/v1/apprenticeships?per_page=10", headers=headers)  # the key's first use is recorded once
        db.session.expire_all()
        with counting() as statements:
            assert client.get("/api/v1/apprenticeships?per_page=10", headers=headers).status_code == 200
        return len(statements)

    add_apprentices(s.cohort, s.employer.id, s.line_manager, s.assessor, 12, today=date.today(), label="first")
    few = measured()
    add_apprentices(s.cohort, s.employer.id, s.line_manager, s.assessor, 40, today=date.today(), label="second")
    assert measured() == few
