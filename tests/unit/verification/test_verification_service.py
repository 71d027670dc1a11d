"""The verification service: the hub's issuer directory, the schema directory setting,
input limits, and API key handling."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.models.badges import IssuerProfile
from app.openbadges import issuing
from app.openbadges.verify import issuer_known_check
from app.services.issuing import issuers
from app.services.verification import api_keys, verifier
from app.services.verification.verifier import (
    VerificationInputError,
    input_from_text,
    input_from_upload,
    input_from_url,
    lookup_issuer,
    run_verification,
    verify_data,
)
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.verification import ISSUER_DID, KEY, METHOD, _spec, issued_badge
from tests.support.openbadges import CONFORMANCE, needs_conformance


@pytest.fixture
def college():
    return OrganisationFactory(
        provider=True, name="Caledonian College", website="https://www.college.example/", quality_assured=True
    )


@pytest.mark.parametrize(
    "issuer_id",
    [
        "did:web:college.example",
        "did:web:www.college.example:issuers:7",
        "https://college.example/issuer",
        "https://www.college.example",
    ],
)
def test_issuers_on_a_known_organisations_domain_are_known(college, issuer_id):
    assert lookup_issuer(issuer_id) == {"known": True, "quality_assured": True, "name": "Caledonian College"}


@pytest.mark.parametrize(
    "issuer_id",
    [
        "did:web:evil.example",
        "https://college.example.evil.example/",
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "not a url",
    ],
)
def test_other_issuers_are_unknown(college, issuer_id):
    assert lookup_issuer(issuer_id) is None


def test_a_tampered_credential_claiming_a_known_issuer_is_not_vouched_for(college):
    credential = issued_badge()
    credential["issuer"]["id"] = "did:web:college.example"  # a forger borrows a known issuer's name
    result = verify_data(credential, None)
    assert result.verdict == "invalid" and result.check("proof").status == "fail"
    assert result.check("issuer_known").status == "not_applicable"
    assert result.check("status").status == "not_applicable"


def test_known_issuer_passes_the_hub_check_and_unknown_only_warns(college):
    known, name = issuer_known_check("did:web:college.example", lookup_issuer)
    assert known.status == "pass" and "quality-assured" in known.detail and name == "Caledonian College"
    unknown = verify_data(issued_badge(), None)
    assert unknown.verdict == "valid" and unknown.check("issuer_known").status == "warn"


@needs_conformance
def test_schema_directory_setting_is_used(app):
    schema_dir = CONFORMANCE / "1edtech-ob3"
    assert (schema_dir / "ob_v3p0_achievementcredential_schema.json").is_file()
    app.config["OB_SCHEMA_DIR"] = str(schema_dir)
    try:
        good = verify_data(issued_badge(), None)
        assert good.check("schema").status == "pass" and good.verdict == "valid"
        # A signed credential that breaks the 1EdTech schema is not valid once the schema is checked.
        profile = issuing.IssuerProfile(ISSUER_DID, "Caledonian College")
        unsigned = issuing.build_credential(
            profile, _spec(), issuing.Award("a@example.org", valid_from=datetime(2025, 1, 1, tzinfo=UTC))
        )
        del unsigned["credentialSubject"]["achievement"]["criteria"]  # required by the schema
        bad = verify_data(issuing.sign_credential(unsigned, KEY, verification_method=METHOD), None)
        assert bad.check("proof").status == "pass"
        assert bad.check("schema").status == "fail" and bad.verdict == "invalid"
    finally:
        app.config["OB_SCHEMA_DIR"] = None


def test_input_limits(app):
    with pytest.raises(VerificationInputError, match="empty"):
        input_from_upload("a.json", b"")
    with pytest.raises(VerificationInputError, match="smaller than"):
        input_from_upload("a.json", b"x" * (app.config["VERIFY_MAX_UPLOAD_BYTES"] + 1))
    with pytest.raises(VerificationInputError):
        input_from_url("javascript:alert(1)")
    with pytest.raises(VerificationInputError):
        input_from_text("   ")
    assert input_from_text(" https://example.org/badge ").source == "url"


def test_unknown_source_is_refused():
    with pytest.raises(ValueError):
        run_verification("{}", recipient_email=None, source="carrier-pigeon")


def test_bearer_tokens_and_revoked_keys():
    assert api_keys.bearer_token("Bearer abc") == "abc"
    assert api_keys.bearer_token("bearer  abc ") == "abc"
    assert api_keys.bearer_token("Basic abc") is None and api_keys.bearer_token(None) is None
    org = OrganisationFactory()
    key, plaintext = api_keys.create_key(None, org, "ATS")
    assert plaintext.startswith(key.prefix + "_") and api_keys.authenticate(plaintext) is key
    assert key.last_used_at is not None
    assert api_keys.authenticate(plaintext + "x") is None
    api_keys.revoke_key(None, key)
    assert api_keys.authenticate(plaintext) is None
    with pytest.raises(api_keys.ApiKeyError):
        api_keys.create_key(None, org, "  ")


def test_anonymous_results_keep_no_email(app):
    verification = run_verification(
        json.dumps(issued_badge()), recipient_email="ann.learner@example.org", source="paste"
    )
    assert verification.organisation_id is None and verification.candidate_email is None
    assert verification.recipient_match is True


def test_credwork_issuer_profiles_are_known_by_their_did():
    provider = OrganisationFactory(provider=True, name="Tay College")
    db.session.add(
        IssuerProfile(organisation_id=provider.id, slug="tay", name="Tay College", did=ISSUER_DID, did_method="key")
    )
    db.session.flush()
    result = verify_data(issued_badge(), None)
    check = result.check("issuer_known")
    assert result.verdict == "valid" and check.status == "pass"
    assert "Tay College is known to the hub (not quality-assured)" in check.detail


def test_an_unavailable_issuer_directory_only_makes_the_issuer_unknown(monkeypatch):
    def broken(_issuer_id):
        raise OperationalError("SELECT", {}, Exception("no such table: organisations"))

    monkeypatch.setattr(verifier, "_lookup_issuer", broken)
    result = verify_data(issued_badge(), None)
    assert result.verdict == "valid" and result.check("issuer_known").status == "warn"


def test_an_issuer_stays_known_by_the_did_it_used_before_a_key_rotation():
    """With did:key the issuer's DID changes when its key rotates; badges signed before the
    rotation must still be recognised as coming from the same provider."""
    provider = OrganisationFactory(provider=True, name="Rotating College", quality_assured=True)
    coordinator = member(provider, "provider_coordinator")
    profile = issuers.ensure_profile(coordinator, provider)
    old_did = profile.did
    issuers.rotate_key(coordinator, profile)
    assert old_did.startswith("did:key:") and profile.did != old_did
    for did in (old_did, profile.did):
        assert lookup_issuer(did) == {"known": True, "quality_assured": True, "name": "Rotating College"}
