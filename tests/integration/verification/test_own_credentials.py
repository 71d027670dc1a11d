"""Badges Credwork itself issued verify on the verify pages with no network: this site's own
status lists and DID documents are read in-process, so revocation is seen at once."""

from __future__ import annotations

import json

from flask_login import login_user

from app.services import issuing
from app.services.verification.fetching import verifier_fetcher
from app.services.verification.verifier import run_verification
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.issuing import award, provider_with_record
from tests.factories.verification import issued_badge


def _verify_text(client, text, email=""):
    response = client.post(
        "/verify",
        data={"credential_text": text, "credential_url": "", "recipient_email": email},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    return client.get(response.headers["Location"] + ".json").get_json()


def test_issued_badge_is_valid_then_revoked_without_any_network(client, app):
    assert not app.config["VERIFIER_ALLOW_PRIVATE_NETWORKS"]
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, email="lewis@learner.example", notify=False)
    result = _verify_text(client, issued.credential_text, "lewis@learner.example")
    assert result["verdict"] == "valid", result["checks"]
    status = next(c for c in result["checks"] if c["name"] == "status")
    assert status["status"] == "pass"
    assert result["issuer"]["name"] == provider.name and result["recipient_match"] is True
    # The issuer is known to the hub (its profile), so that check passes too.
    assert next(c for c in result["checks"] if c["name"] == "issuer_known")["status"] == "pass"

    issuing.revoke(coordinator, issued, "Issued in error")
    for text in (issued.credential_text, issued.credential_jwt):
        result = _verify_text(client, text)
        assert result["verdict"] == "revoked", result["checks"]


def test_hosted_credential_url_on_this_site_is_read_in_process(client):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, notify=False)
    result = _verify_text(client, issuing.credential_url(issued.public_id))
    assert result["verdict"] == "valid", result["checks"]
    assert result["source"] == "url"


def test_in_process_requests_are_anonymous(app):
    """Inside a signed-in recruiter's request, a same-site URL is fetched as an anonymous visitor."""
    org = OrganisationFactory()
    recruiter = member(org, "recruiter")
    mine = run_verification(
        json.dumps(issued_badge()),
        recipient_email="secret.candidate@example.org",
        source="paste",
        organisation=org,
        actor=recruiter,
    )
    with app.test_request_context("/verifications/new"):
        login_user(recruiter)
        response = verifier_fetcher().get(f"http://localhost/verifications/{mine.id}.json")
        assert response.status in (302, 401) and b"secret.candidate" not in response.content
        from flask_login import current_user

        assert current_user.id == recruiter.id  # the outer request is untouched
