"""POST /api/v1/verifications: API keys (shown once, hashed, revocable), JSON and file bodies,
JSON errors, per-key rate limit; and the key management page for organisation admins."""

from __future__ import annotations

import hashlib
import io
import re

import pytest

from app.extensions import db
from app.models import AuditEvent
from app.models.verifications import ApiKey, Verification
from app.services.verification import api_keys
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.verification import CANDIDATE, baked_png, issued_badge, issued_jwt

URL = "/api/v1/verifications"


@pytest.fixture
def org():
    return OrganisationFactory(name="Forth Engineering")


@pytest.fixture
def key(org):
    _, plaintext = api_keys.create_key(member(org, "org_admin"), org, "ATS")
    return plaintext


def _auth(key):
    return {"Authorization": f"Bearer {key}"}


def test_json_body_gives_the_verdict_and_every_check(client, org, key):
    response = client.post(URL, json={"credential": issued_badge(), "recipient": CANDIDATE}, headers=_auth(key))
    assert response.status_code == 201, response.get_data(as_text=True)
    data = response.get_json()
    assert data["verdict"] == "valid" and data["format"] == "ob3-di" and data["recipient_match"] is True
    assert data["issuer"]["name"] == "Caledonian College" and data["issuer"]["id"].startswith("did:key:")
    assert data["achievement"]["name"] == "Data Analysis with Python"
    assert all(set(c) == {"name", "status", "detail"} for c in data["checks"])
    assert response.headers["Location"].endswith(f"/verifications/{data['id']}")
    stored = db.session.get(Verification, data["id"])
    assert stored.organisation_id == org.id and stored.source == "api" and stored.candidate_email == CANDIDATE


def test_api_clients_need_no_csrf_token_or_cookie(app, key):
    fresh = app.test_client()
    response = fresh.post(URL, json={"credential": issued_badge()}, headers=_auth(key), no_csrf=True)
    assert response.status_code == 201 and response.get_json()["verdict"] == "valid"


def test_jwt_string_and_file_upload(client, key):
    data = client.post(
        URL, json={"credential": issued_jwt(), "recipient": "other@example.org"}, headers=_auth(key)
    ).get_json()
    assert data["format"] == "vc-jwt" and data["recipient_match"] is False and data["verdict"] == "invalid"
    response = client.post(
        URL,
        data={"file": (io.BytesIO(baked_png()), "badge.png")},
        content_type="multipart/form-data",
        headers=_auth(key),
    )
    assert response.status_code == 201 and response.get_json()["verdict"] == "valid"


def test_missing_wrong_and_revoked_keys_get_401_json(client, org, key):
    body = {"credential": issued_badge()}
    for headers in ({}, {"Authorization": "Bearer cwk_nope_nope"}, {"Authorization": "Basic abc"}):
        response = client.post(URL, json=body, headers=headers)
        assert response.status_code == 401 and response.get_json()["error"]["status"] == 401
        assert "Bearer" in response.headers["WWW-Authenticate"]
    stored = db.session.query(ApiKey).one()
    api_keys.revoke_key(None, stored)
    response = client.post(URL, json=body, headers=_auth(key))
    assert response.status_code == 401 and "revoked" in response.get_json()["error"]["detail"]


def test_bad_bodies_get_400_and_oversized_413(client, app, key):
    for body in ({}, {"credential": 5}, {"credential": {}, "url": "https://x.example"}, {"url": "ftp://x"}):
        response = client.post(URL, json=body, headers=_auth(key))
        assert response.status_code == 400 and response.get_json()["error"]["detail"]
    response = client.post(URL, data="{not json", content_type="application/json", headers=_auth(key))
    assert response.status_code == 400
    big = b"{" + b" " * app.config["VERIFY_MAX_UPLOAD_BYTES"] + b"}"
    response = client.post(
        URL, data={"file": (io.BytesIO(big), "big.json")}, content_type="multipart/form-data", headers=_auth(key)
    )
    assert response.status_code == 413 and response.get_json()["error"]["status"] == 413
    huge = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(URL, data=huge, content_type="application/json", headers=_auth(key))
    assert response.status_code == 413 and response.is_json


def test_malformed_credential_is_a_result_not_an_error(client, key):
    response = client.post(URL, json={"credential": "eyJhbGciOiJub25lIn0.e30."}, headers=_auth(key))
    assert response.status_code == 201 and response.get_json()["verdict"] == "invalid"


def test_rate_limit_is_per_key(client, app, org, key):
    app.config["VERIFY_API_RATE_LIMIT"] = "2 per minute"
    try:
        _, second = api_keys.create_key(None, org, "HR system")
        codes = [client.post(URL, json={"credential": {}}, headers=_auth(key)).status_code for _ in range(3)]
        assert codes == [201, 201, 429]
        limited = client.post(URL, json={"credential": {}}, headers=_auth(key))
        assert limited.is_json and limited.get_json()["error"]["status"] == 429
        assert client.post(URL, json={"credential": {}}, headers=_auth(second)).status_code == 201
    finally:
        app.config["VERIFY_API_RATE_LIMIT"] = "60 per minute;1000 per day"


def test_admin_creates_a_key_shown_once_and_stored_hashed_then_revokes_it(client, login, org):
    admin = member(org, "org_admin")
    login(admin)
    assert client.get("/organisation/api-keys/").status_code == 200
    response = client.post("/organisation/api-keys/", data={"name": "Applicant tracking"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "will not be shown again" in html
    plaintext = re.search(r'value="(cwk_[^"]+)"', html).group(1)
    stored = db.session.query(ApiKey).filter_by(organisation_id=org.id).one()
    assert stored.key_hash == hashlib.sha256(plaintext.encode()).hexdigest() and plaintext not in stored.key_hash
    listing = client.get("/organisation/api-keys/").get_data(as_text=True)
    assert stored.prefix in listing and plaintext not in listing and "Never" in listing
    assert client.post(URL, json={"credential": {}}, headers=_auth(plaintext)).status_code == 201
    assert "Never" not in client.get("/organisation/api-keys/").get_data(as_text=True)
    assert client.post(f"/organisation/api-keys/{stored.id}/revoke").status_code == 303
    assert client.post(URL, json={"credential": {}}, headers=_auth(plaintext)).status_code == 401
    actions = {e.action for e in db.session.query(AuditEvent).filter_by(organisation_id=org.id)}
    assert {"api_key.create", "api_key.revoke"} <= actions


def test_key_pages_are_for_org_admins_of_the_same_organisation(client, login, org):
    other = OrganisationFactory()
    theirs, _ = api_keys.create_key(None, other, "Theirs")
    login(member(org, "org_admin"))
    assert client.post(f"/organisation/api-keys/{theirs.id}/revoke").status_code == 404
    assert db.session.get(ApiKey, theirs.id).revoked_at is None
    login(member(org, "recruiter"), c=(c2 := client.application.test_client()))
    assert c2.get("/organisation/api-keys/").status_code == 403
