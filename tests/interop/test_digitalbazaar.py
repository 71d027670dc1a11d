"""Credentials Credwork issues verify in independent JavaScript implementations:
Digital Bazaar's VC libraries (Data Integrity proofs) and panva's jose (VC-JWT).

Runs tests/interop/verify-credential.mjs and verify-jwt.mjs with node, offline: contexts
come from our bundled set, DID documents from a JSON file this test writes. Install the
JavaScript side with `npm ci --prefix tests/interop`.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.openbadges import issuing
from app.openbadges.dids import build_did_document
from app.openbadges.keys import generate_key_pair, public_jwk
from app.openbadges.proofs import JCS

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "verify-credential.mjs"
pytestmark = [
    pytest.mark.skipif(
        not (HERE / "node_modules").is_dir(),
        reason="tests/interop/node_modules is missing: run `npm ci --prefix tests/interop`",
    ),
    pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed"),
]
DID = "did:web:badges.example.ac.uk:issuers:7"


@pytest.fixture(scope="module")
def issuer():
    key_pair = generate_key_pair()
    doc = build_did_document(DID, [("key-1", key_pair.public_key)])
    documents = {DID: doc}
    for method in doc["verificationMethod"]:
        # jsonld-signatures dereferences the method URL itself, then its controller.
        documents[method["id"]] = {"@context": "https://w3id.org/security/multikey/v1", **method}
    return key_pair, documents


def _credential() -> dict:
    return issuing.build_credential(
        issuing.IssuerProfile(DID, "Caledonian College", url="https://college.example"),
        issuing.AchievementSpec(
            id="https://hub.example/micro-credentials/42",
            name="Data Analysis with Python",
            description="Cleaning, exploring and presenting data.",
            criteria="Passed the assessed project.",
            image="https://hub.example/badges/42.png",
            credits_available=10,
            field_of_study="Computing",
            level=issuing.Level("SCQF", "7"),
            learning_outcomes=["Clean a messy data set"],
            skills=[
                issuing.Skill(
                    "use spreadsheets software", "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
                )
            ],
        ),
        issuing.Award(
            "ann@example.org",
            valid_from=datetime(2026, 1, 10, tzinfo=UTC),
            valid_until=datetime(2036, 1, 10, tzinfo=UTC),
            evidence=[issuing.EvidenceLink("https://portfolio.example/ann/1", "Project report")],
            status=issuing.StatusEntry("https://badges.example.ac.uk/status/1", 42),
        ),
    )


def _run_node(tmp_path: Path, credential: dict, documents: dict) -> dict:
    (tmp_path / "credential.json").write_text(json.dumps(credential))
    (tmp_path / "documents.json").write_text(json.dumps(documents))
    done = subprocess.run(
        ["node", str(SCRIPT), str(tmp_path / "credential.json"), str(tmp_path / "documents.json")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.strip(), done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert (done.returncode == 0) == outcome["verified"]
    return outcome


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", JCS])
def test_our_credential_verifies_in_digital_bazaar_vc(tmp_path, issuer, suite):
    key_pair, documents = issuer
    signed = issuing.sign_credential(_credential(), key_pair, verification_method=f"{DID}#key-1", suite=suite)
    outcome = _run_node(tmp_path, signed, documents)
    assert outcome["verified"], outcome["errors"]


def test_digital_bazaar_rejects_a_tampered_credential(tmp_path, issuer):
    key_pair, documents = issuer
    signed = issuing.sign_credential(_credential(), key_pair, verification_method=f"{DID}#key-1")
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["creditsAvailable"] = 120
    outcome = _run_node(tmp_path, tampered, documents)
    assert not outcome["verified"]
    assert any("signature" in e.lower() for e in outcome["errors"])


def test_our_vc_jwt_verifies_with_the_jose_library(tmp_path, issuer):
    key_pair, _documents = issuer
    token = issuing.issue_jwt(_credential(), key_pair, verification_method=f"{DID}#key-1")
    (tmp_path / "token.txt").write_text(token)
    (tmp_path / "jwk.json").write_text(json.dumps(public_jwk(key_pair.public_key)))

    def run() -> dict:
        done = subprocess.run(
            ["node", str(HERE / "verify-jwt.mjs"), str(tmp_path / "token.txt"), str(tmp_path / "jwk.json")],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.stdout.strip(), done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    outcome = run()
    assert outcome["verified"], outcome
    assert outcome["header"]["typ"] == "vc+jwt" and outcome["issuer"] == DID
    (tmp_path / "jwk.json").write_text(json.dumps(public_jwk(generate_key_pair().public_key)))
    assert not run()["verified"]
