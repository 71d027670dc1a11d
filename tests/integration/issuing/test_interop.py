"""A badge issued through the service (did:web, after a key rotation) verifies in Digital
Bazaar's JavaScript VC libraries, given the DID document this app serves. Uses the scripts in
tests/interop (install them with `npm ci --prefix tests/interop`)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.services.issuing import issuers
from tests.factories.issuing import award, provider_with_record

INTEROP = Path(__file__).resolve().parents[2] / "interop"
pytestmark = [
    pytest.mark.skipif(
        not (INTEROP / "node_modules").is_dir(),
        reason="tests/interop/node_modules is missing: run `npm ci --prefix tests/interop`",
    ),
    pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed"),
]


def test_issued_badges_verify_in_digital_bazaar_vc_before_and_after_rotation(app, client, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://credwork.test")
    provider, coordinator, record = provider_with_record()
    old = award(provider, coordinator, record, email="old@learner.example")
    issuers.rotate_key(coordinator, old.issuer)
    fresh = award(provider, coordinator, record, email="new@learner.example")

    _verify_in_digital_bazaar(client, provider, [old, fresh], tmp_path)


def test_an_apprenticeship_certificate_verifies_in_digital_bazaar_vc(app, client, monkeypatch, tmp_path):
    """The ApprenticeshipCertificate (issue 10) goes through the same engine and keys."""
    from app.services.issuing import apprenticeship_certificates
    from tests.factories.apprenticeships import setting

    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://credwork.test")
    s = setting(started=True)
    issued = apprenticeship_certificates.issue(s.coordinator.user, s.apprenticeship, "distinction")
    assert issued.credential["credentialSubject"]["achievement"]["achievementType"] == "ApprenticeshipCertificate"
    _verify_in_digital_bazaar(client, s.provider, [issued], tmp_path)


def _verify_in_digital_bazaar(client, provider, credentials, tmp_path):
    did_doc = client.get(f"/issuers/{provider.slug}/did.json").get_json(force=True)
    documents = {did_doc["id"]: did_doc}
    for method in did_doc["verificationMethod"]:
        documents[method["id"]] = {"@context": "https://w3id.org/security/multikey/v1", **method}
    (tmp_path / "documents.json").write_text(json.dumps(documents))
    for issued in credentials:
        (tmp_path / "credential.json").write_text(issued.credential_text)
        done = subprocess.run(
            [
                "node",
                str(INTEROP / "verify-credential.mjs"),
                str(tmp_path / "credential.json"),
                str(tmp_path / "documents.json"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.stdout.strip(), done.stderr
        outcome = json.loads(done.stdout.strip().splitlines()[-1])
        assert outcome["verified"], outcome
