"""Embedded proofs against the W3C vc-di-eddsa test vectors, the 1EdTech OB 3.0 example,
and negative vectors derived from them."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest

from app.openbadges import canonical, proofs
from app.openbadges.canonical import UndefinedTerm
from app.openbadges.documents import ContextNotBundled
from app.openbadges.keys import generate_key_pair, key_pair_from_private_multibase
from tests.support.openbadges import EDDSA, OB3, load, needs_conformance, ob3_key_override

pytestmark = needs_conformance

VECTORS = {
    "eddsa-rdfc-2022/signedDataInt.json": ["eddsa-rdfc-2022"],
    "eddsa-jcs-2022/signedJCS.json": ["eddsa-jcs-2022"],
    "Ed25519Signature2020/signedEdSig.json": ["Ed25519Signature2020"],
    "proof-set-chain/signedProofSet1.json": ["eddsa-rdfc-2022"],
    "proof-set-chain/signedProofSet2.json": ["eddsa-rdfc-2022"] * 2,
    "proof-set-chain/signedProofChain1.json": ["eddsa-rdfc-2022"] * 3,
    "proof-set-chain/signedProofChain2.json": ["eddsa-rdfc-2022"] * 4,
}


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_w3c_vectors_verify(name):
    outcomes = proofs.verify_proofs(load(EDDSA / name), fetcher=None)
    assert [o.suite for o in outcomes] == VECTORS[name]
    assert all(o.verified for o in outcomes), [o.detail for o in outcomes]


def test_canonical_document_matches_the_published_n_quads():
    doc = load(EDDSA / "eddsa-rdfc-2022/signedDataInt.json")
    doc.pop("proof")
    assert canonical.rdfc(doc) == (EDDSA / "eddsa-rdfc-2022/canonDocDataInt.txt").read_text().strip() + "\n"


def test_ob3_spec_example_verifies_with_the_published_key():
    doc = load(OB3 / "ob3-spec-signed-eddsa-rdfc-2022.json")
    [outcome] = proofs.verify_proofs(doc, fetcher=None, key_overrides=ob3_key_override())
    assert outcome.verified, outcome.detail
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    expected = load(OB3 / "ob3-spec-issuer-key.json")["expected"]["documentHashHex"]
    assert hashlib.sha256(canonical.rdfc(unsecured).encode()).hexdigest() == expected


def test_ob3_spec_example_is_unverifiable_without_its_key():
    doc = load(OB3 / "ob3-spec-signed-eddsa-rdfc-2022.json")
    [outcome] = proofs.verify_proofs(doc, fetcher=None)
    assert not outcome.verified and outcome.unverifiable
    assert "network" in outcome.detail


def test_missing_context_fails_closed_with_a_clear_message():
    [outcome] = proofs.verify_proofs(load(EDDSA / "eddsa-rdfc-2022/employ/signedDataInt.json"), fetcher=None)
    assert not outcome.verified and outcome.unverifiable
    assert "https://w3id.org/citizenship/v4rc1 is not bundled" in outcome.detail


def test_proof_chain_ignoring_previous_proof_would_not_verify():
    doc = load(EDDSA / "proof-set-chain/signedProofChain1.json")
    chained = doc["proof"][2]
    del chained["previousProof"]
    outcomes = proofs.verify_proofs(doc, fetcher=None)
    assert [o.verified for o in outcomes] == [True, True, False]


def test_previous_proof_pointing_nowhere_fails():
    doc = load(EDDSA / "proof-set-chain/signedProofChain1.json")
    doc["proof"] = doc["proof"][2:]  # drop the proofs it chains to
    [outcome] = proofs.verify_proofs(doc, fetcher=None)
    assert not outcome.verified and "previousProof" in outcome.detail


@pytest.mark.parametrize(
    "name",
    ["eddsa-rdfc-2022/signedDataInt.json", "eddsa-jcs-2022/signedJCS.json", "Ed25519Signature2020/signedEdSig.json"],
)
def test_tampered_subject_is_invalid(name):
    doc = load(EDDSA / name)
    doc["credentialSubject"]["alumniOf"] = "The School of Forgery"
    [outcome] = proofs.verify_proofs(doc, fetcher=None)
    assert not outcome.verified and not outcome.unverifiable
    assert "does not match" in outcome.detail


def test_switching_cryptosuite_is_invalid():
    doc = load(EDDSA / "eddsa-rdfc-2022/signedDataInt.json")
    doc["proof"]["cryptosuite"] = "eddsa-jcs-2022"
    [outcome] = proofs.verify_proofs(doc, fetcher=None)
    assert not outcome.verified


def test_unknown_cryptosuite_cannot_be_verified():
    doc = load(EDDSA / "eddsa-rdfc-2022/signedDataInt.json")
    doc["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    [outcome] = proofs.verify_proofs(doc, fetcher=None)
    assert not outcome.verified and outcome.unverifiable and "unsupported cryptosuite" in outcome.detail


@pytest.mark.parametrize("field", ["proofPurpose", "verificationMethod", "proofValue"])
def test_missing_proof_member_fails(field):
    doc = load(EDDSA / "eddsa-rdfc-2022/signedDataInt.json")
    del doc["proof"][field]
    [outcome] = proofs.verify_proofs(doc, fetcher=None)
    assert not outcome.verified and not outcome.unverifiable and field in outcome.detail


def test_wrong_proof_purpose_fails():
    doc = load(EDDSA / "eddsa-rdfc-2022/signedDataInt.json")
    doc["proof"]["proofPurpose"] = "authentication"
    [outcome] = proofs.verify_proofs(doc, fetcher=None)
    assert not outcome.verified and "purpose" in outcome.detail


def test_added_term_in_a_vocab_context_changes_the_signed_data():
    doc = load(EDDSA / "eddsa-rdfc-2022/signedDataInt.json")
    doc["credentialSubject"]["extraClaim"] = "not signed"  # VC 2.0's @vocab gives it an IRI
    [outcome] = proofs.verify_proofs(doc, fetcher=None)
    assert not outcome.verified


def test_undefined_term_is_refused_not_silently_dropped():
    key_pair = key_pair_from_private_multibase(load(EDDSA / "keyPair.json")["privateKeyMultibase"])
    did = "did:key:" + key_pair.public_multibase
    vc1 = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:1"},
    }
    signed = proofs.sign(vc1, key_pair, verification_method=f"{did}#{key_pair.public_multibase}")
    signed["credentialSubject"]["undefinedClaim"] = "would be dropped by JSON-LD"
    [outcome] = proofs.verify_proofs(signed, fetcher=None)
    assert not outcome.verified and not outcome.unverifiable
    assert "undefinedClaim" in outcome.detail
    with pytest.raises(UndefinedTerm):
        canonical.rdfc({k: v for k, v in signed.items() if k != "proof"})


def test_sign_refuses_a_document_with_an_unbundled_context():
    doc = load(EDDSA / "eddsa-rdfc-2022/employ/signedDataInt.json")
    doc.pop("proof")
    with pytest.raises(ContextNotBundled):
        proofs.sign(doc, generate_key_pair(), verification_method="did:key:z#z")


@pytest.mark.parametrize("suite", [proofs.RDFC, proofs.JCS, proofs.ED25519_2020])
def test_sign_then_verify_round_trip_and_proof_set(suite):
    unsigned = load(EDDSA / "unsigned.json")
    if suite == proofs.ED25519_2020:
        unsigned["@context"] = [*unsigned["@context"], "https://w3id.org/security/suites/ed25519-2020/v1"]
    first, second = generate_key_pair(), generate_key_pair()

    def vm(kp):
        return f"did:key:{kp.public_multibase}#{kp.public_multibase}"

    signed = proofs.sign(unsigned, first, verification_method=vm(first), suite=suite, proof_id="urn:uuid:p1")
    both = proofs.sign(signed, second, verification_method=vm(second), suite=suite, previous_proof="urn:uuid:p1")
    outcomes = proofs.verify_proofs(both, fetcher=None)
    assert [o.verified for o in outcomes] == [True, True], [o.detail for o in outcomes]
    tampered = copy.deepcopy(both)
    tampered["name"] = "Something else"
    assert [o.verified for o in proofs.verify_proofs(tampered, fetcher=None)] == [False, False]


def test_jcs_vector_signature_is_the_published_one():
    key_pair = key_pair_from_private_multibase(load(EDDSA / "keyPair.json")["privateKeyMultibase"])
    doc = load(EDDSA / "eddsa-jcs-2022/signedJCS.json")
    proof = doc.pop("proof")
    did = "did:key:" + key_pair.public_multibase
    resigned = proofs.sign(
        doc,
        key_pair,
        verification_method=f"{did}#{key_pair.public_multibase}",
        suite=proofs.JCS,
        created=proof["created"],
    )
    assert resigned["proof"]["proofValue"] == proof["proofValue"]
    assert json.dumps(resigned["proof"]["@context"]) == json.dumps(proof["@context"])


def test_expired_proof_fails():
    from datetime import UTC, datetime

    key_pair = generate_key_pair()
    vm = f"did:key:{key_pair.public_multibase}#{key_pair.public_multibase}"
    unsigned = load(EDDSA / "unsigned.json")
    signed = proofs.sign(unsigned, key_pair, verification_method=vm)
    signed["proof"]["expires"] = "2025-01-01T00:00:00Z"  # changes the signed options too
    resigned = proofs.sign(unsigned, key_pair, verification_method=vm)
    [before] = proofs.verify_proofs(resigned, fetcher=None, now=datetime(2024, 1, 1, tzinfo=UTC))
    assert before.verified
    [outcome] = proofs.verify_proofs(signed, fetcher=None, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert not outcome.verified and "expired" in outcome.detail


def test_ob3_published_canonical_forms_are_reproduced():
    doc = load(OB3 / "ob3-spec-signed-eddsa-rdfc-2022.json")
    proof = doc.pop("proof")
    vectors = OB3 / "test-vectors"
    assert canonical.rdfc(doc) == (vectors / "obv3p0-document-canon.txt").read_text().strip() + "\n"
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = doc["@context"]
    assert canonical.rdfc(config) == (vectors / "obv3p0-proof-canon.txt").read_text().strip() + "\n"


@pytest.mark.parametrize(
    "folder,signed,suffix",
    [
        ("eddsa-rdfc-2022", "signedDataInt.json", proofs.RDFC),
        ("Ed25519Signature2020", "signedEdSig.json", proofs.ED25519_2020),
    ],
)
def test_signing_the_w3c_input_reproduces_the_published_signature(folder, signed, suffix):
    key_pair = key_pair_from_private_multibase(load(EDDSA / "keyPair.json")["privateKeyMultibase"])
    published = load(EDDSA / folder / signed)
    proof = published.pop("proof")
    resigned = proofs.sign(
        published, key_pair, verification_method=proof["verificationMethod"], suite=suffix, created=proof["created"]
    )
    assert resigned["proof"]["proofValue"] == proof["proofValue"]


def test_ob3_published_signature_is_reproduced_with_the_spec_key():
    key = load(OB3 / "ob3-spec-issuer-key.json")
    key_pair = key_pair_from_private_multibase(key["secretKeyMultibase"])
    assert key_pair.public_multibase == key["publicKeyMultibase"]
    doc = load(OB3 / "ob3-spec-signed-eddsa-rdfc-2022.json")
    proof = doc.pop("proof")
    resigned = proofs.sign(doc, key_pair, verification_method=proof["verificationMethod"], created=proof["created"])
    assert resigned["proof"]["proofValue"] == proof["proofValue"]


def test_poison_graph_is_refused_quickly():
    import time

    size = 12
    nodes = [{"@id": f"_:b{i}", "p": [{"@id": f"_:b{j}"} for j in range(size) if j != i]} for i in range(size)]
    poison = {"@context": {"@vocab": "https://example.org/"}, "@graph": nodes}
    start = time.perf_counter()
    with pytest.raises(canonical.CanonicalizationError, match="too complex"):
        canonical.rdfc(poison)
    assert time.perf_counter() - start < 10


def test_oversized_document_is_refused():
    huge = {"@context": {"@vocab": "https://example.org/"}, "items": [{"n": i} for i in range(2000)]}
    with pytest.raises(canonical.CanonicalizationError, match="more than"):
        canonical.rdfc(huge)
