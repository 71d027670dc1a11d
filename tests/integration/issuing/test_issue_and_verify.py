"""Issued badges verify in the engine's own verifier, served from this app: valid when issued,
revoked after revocation, still valid after a key rotation (did:web and did:key)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, HeldCredential, utcnow
from app.models.badges import SigningKey
from app.openbadges.keys import KeyDecryptionError, KeyPair, decrypt_private_key
from app.openbadges.verify import verify
from app.services import issuing
from app.services.issuing import issuers
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.issuing import ClientFetcher, award, provider_with_record


def _verify(app, client, data, **kwargs):
    return verify(data, fetcher=ClientFetcher(app, client), **kwargs)


def test_an_issued_badge_verifies_as_json_ld_and_as_jwt(app, client):
    provider, coordinator, record = provider_with_record()
    issued = award(
        provider,
        coordinator,
        record,
        email="Lewis@Learner.example",
        evidence_url="https://portfolio.example/lewis",
        valid_until=utcnow() + timedelta(days=700),
    )

    for data in (issued.credential_text, issued.credential_jwt):
        result = _verify(app, client, data, recipient_email="lewis@learner.example")
        assert result.verdict == "valid", result.to_json()
        assert result.check("status").status == "pass"
        assert result.recipient_match is True
    assert _verify(app, client, issued.credential_text, recipient_email="someone@else.example").recipient_match is False


def test_the_credential_says_what_the_hub_record_says(app):
    provider, coordinator, record = provider_with_record(scqf_level=8, scqf_credits=15)
    issued = award(
        provider,
        coordinator,
        record,
        email="ana@learner.example",
        evidence_url="https://portfolio.example/ana",
        valid_until=utcnow() + timedelta(days=30),
    )
    vc = issued.credential
    assert vc["id"] == f"http://localhost/credentials/{issued.public_id}"
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["issuer"]["id"] == issued.issuer.did and vc["issuer"]["name"] == provider.name
    assert vc["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert "validUntil" in vc
    identity = vc["credentialSubject"]["identifier"][0]
    expected = "sha256$" + hashlib.sha256(("ana@learner.example" + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == expected and "ana@learner.example" not in issued.credential_text
    achievement = vc["credentialSubject"]["achievement"]
    assert achievement["name"] == record.title and achievement["creditsAvailable"] == 15
    alignments = {a["targetUrl"] for a in achievement["alignment"] if a.get("targetFramework") == "ESCO"}
    assert alignments == {s.uri for s in record.skills}
    assert any(a["targetName"] == "SCQF level 8" for a in achievement["alignment"])
    assert "Do a thing well" in achievement["criteria"]["narrative"]
    assert vc["evidence"][0]["id"] == "https://portfolio.example/ana"
    assert vc["credentialStatus"]["type"] == "BitstringStatusListEntry"


def test_revoking_sets_the_bit_verifiers_read(app, client):
    provider, coordinator, record = provider_with_record()
    keep = award(provider, coordinator, record, email="keep@learner.example")
    issued = award(provider, coordinator, record, email="gone@learner.example")
    assert keep.status_list_id == issued.status_list_id and keep.status_index != issued.status_index

    issuing.revoke(coordinator, issued, "Awarded in error")

    assert _verify(app, client, issued.credential_text).verdict == "revoked"
    assert _verify(app, client, issued.credential_jwt).verdict == "revoked"
    assert _verify(app, client, keep.credential_text).verdict == "valid"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "credential.revoke"))
    assert event.details["reason"] == "Awarded in error" and event.actor_id == coordinator.id


def test_status_list_is_served_signed_at_its_stable_url(app, client):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record)
    url = issued.credential["credentialStatus"]["statusListCredential"]
    response = client.get(url.removeprefix("http://localhost"))
    assert response.status_code == 200
    assert response.mimetype == "application/vc+ld+json"
    body = response.get_json(force=True)
    assert body["id"] == url and body["issuer"] == issued.issuer.did and body["proof"]


def test_key_rotation_keeps_old_badges_verifying_on_did_web(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://credwork.test")
    provider, coordinator, record = provider_with_record()
    old = award(provider, coordinator, record, email="old@learner.example")
    profile = old.issuer
    assert profile.did == f"did:web:credwork.test:issuers:{provider.slug}"

    new_key = issuers.rotate_key(coordinator, profile)
    fresh = award(provider, coordinator, record, email="new@learner.example")

    assert fresh.signing_key_id == new_key.id != old.signing_key_id
    document = client.get(f"/issuers/{provider.slug}/did.json")
    assert document.status_code == 200 and document.mimetype == "application/did+json"
    doc = document.get_json(force=True)
    assert doc["id"] == profile.did
    listed = {m["id"] for m in doc["verificationMethod"]}
    assert listed == {f"{profile.did}#{k.key_id}" for k in profile.keys} and len(listed) == 2
    assert set(doc["assertionMethod"]) == listed
    assert doc["verificationMethod"][0]["id"].endswith(new_key.key_id)  # current key first
    for issued in (old, fresh):
        assert _verify(app, client, issued.credential_text).verdict == "valid"
        assert _verify(app, client, issued.credential_jwt).verdict == "valid"
    # A list re-signed with the new key after rotation still clears the old badge and revokes others.
    issuing.revoke(coordinator, fresh, "Test revocation")
    assert _verify(app, client, old.credential_text).verdict == "valid"
    assert _verify(app, client, fresh.credential_text).verdict == "revoked"


def test_key_rotation_on_did_key_moves_the_identifier_and_old_badges_still_verify(app, client):
    provider, coordinator, record = provider_with_record()
    old = award(provider, coordinator, record, email="old@learner.example")
    old_did = old.issuer.did
    assert old_did.startswith("did:key:z6Mk")
    issuers.rotate_key(coordinator, old.issuer)
    fresh = award(provider, coordinator, record, email="new@learner.example")
    assert fresh.issuer.did != old_did and fresh.credential["issuer"]["id"] == fresh.issuer.did
    assert fresh.status_list_id != old.status_list_id  # a list belongs to one DID
    issuing.revoke(coordinator, old, "Test revocation")
    assert _verify(app, client, old.credential_text).verdict == "revoked"
    assert _verify(app, client, fresh.credential_text).verdict == "valid"


def test_platform_did_document_on_a_real_domain_only(app, client, monkeypatch):
    assert client.get("/.well-known/did.json").status_code == 404  # http://localhost: did:key
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://credwork.test")
    doc = client.get("/.well-known/did.json").get_json(force=True)
    assert doc["id"] == "did:web:credwork.test"


def test_private_keys_are_stored_encrypted_bound_to_their_key_id(app):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record)
    key = db.session.get(SigningKey, issued.signing_key_id)
    pair = issuers.key_pair(key)
    stored = key.private_key_encrypted
    assert pair.private_multibase not in stored and pair.private_multibase[1:] not in stored
    raw = pair.private_key.private_bytes_raw()
    assert raw.hex() not in stored and raw not in stored.encode()
    assert (
        KeyPair(decrypt_private_key(stored, app.config["DATA_ENCRYPTION_KEY"], context=key.key_id)).public_multibase
        == key.public_multibase
    )
    with pytest.raises(KeyDecryptionError):  # the ciphertext is useless under another key's id
        decrypt_private_key(stored, app.config["DATA_ENCRYPTION_KEY"], context="key-other")


def test_award_is_audited_and_reaches_the_learners_employer_record(app):
    provider, coordinator, record = provider_with_record()
    employer = OrganisationFactory()
    learner = member(employer, "learner", name="Erin Employee", email="erin@employer.example")
    issued = award(provider, coordinator, record, name="Erin Employee", email="ERIN@employer.example")
    assert issued.user_id == learner.id
    held = db.session.scalars(select(HeldCredential).where(HeldCredential.user_id == learner.id)).all()
    assert [(h.organisation_id, h.source, h.issued_credential_id, h.micro_credential_id) for h in held] == [
        (employer.id, "issued", issued.id, record.id)
    ]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "credential.issue"))
    assert event.organisation_id == provider.id and event.details["public_id"] == issued.public_id

    issuing.revoke(coordinator, issued, "Awarded in error")
    assert db.session.scalars(select(HeldCredential).where(HeldCredential.user_id == learner.id)).all() == []


def test_reissue_makes_a_new_badge_and_revokes_the_old_one_as_reissued(app, client):
    provider, coordinator, record = provider_with_record()
    old = award(provider, coordinator, record)
    fresh = issuing.reissue(coordinator, old, valid_until=utcnow() + timedelta(days=90))
    assert fresh.reissue_of_id == old.id and issuing.replacement_of(old) == fresh
    assert old.revocation_reason == issuing.REISSUED
    assert _verify(app, client, old.credential_text).verdict == "revoked"
    assert _verify(app, client, fresh.credential_text).verdict == "valid"
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"credential.issue", "credential.revoke", "credential.reissue"} <= actions


def test_only_the_current_published_version_of_your_own_record_can_be_awarded(app):
    provider, coordinator, record = provider_with_record()
    _, _, other_record = provider_with_record(title="Someone Else's Course")
    draft = provider_with_record(publish=False)[2]
    for org, chosen in ((provider, other_record), (draft.provider, draft)):
        with pytest.raises(issuing.IssuingError):
            issuing.issue(coordinator, org, chosen, issuing.Learner("A Learner", "a@learner.example"))


def test_expired_badges_read_as_expired(app, client):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, valid_until=utcnow() + timedelta(days=1))
    result = verify(issued.credential_text, fetcher=ClientFetcher(app, client), now=utcnow() + timedelta(days=3))
    assert result.verdict == "expired"
    issued.valid_until = utcnow() - timedelta(seconds=1)
    assert issued.state == "expired"
    assert json.loads(issued.credential_text)["validUntil"]
