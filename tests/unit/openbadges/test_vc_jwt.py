"""VC-JWT signing and verification, including the attacks a verifier must refuse."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import warnings

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st
from joserfc import jws
from joserfc.jwk import ECKey, RSAKey

from app.openbadges import vc_jwt
from app.openbadges.dids import build_did_document, did_jwk_for, did_web_url
from app.openbadges.keys import generate_key_pair
from tests.support.openbadges import CONFORMANCE, TableFetcher

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "validFrom": "2024-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:learner"},
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forge(header: dict, payload: dict, signature: bytes = b"sig") -> str:
    return ".".join([_b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode()), _b64(signature)])


@pytest.fixture()
def issuer():
    key_pair = generate_key_pair()
    did = "did:key:" + key_pair.public_multibase
    return key_pair, did, f"{did}#{key_pair.public_multibase}", dict(CREDENTIAL, issuer=did)


@pytest.mark.parametrize("shape", ["vc-jose-cose", "vc-jwt-1.1"])
def test_eddsa_round_trip(issuer, shape):
    key_pair, did, kid, credential = issuer
    token = vc_jwt.sign_jwt(credential, key_pair, kid=kid, shape=shape)
    outcome = vc_jwt.verify_jwt(token, fetcher=None)
    assert outcome.verified, outcome.detail
    assert outcome.decoded.credential["issuer"] == did
    assert outcome.decoded.credential["validFrom"] == "2024-01-01T00:00:00Z"
    assert outcome.method.controller == did


def test_vc_1_1_claims_fill_the_credential():
    claims = {
        "iss": "did:example:issuer",
        "jti": "urn:uuid:1",
        "sub": "did:example:s",
        "nbf": 1700000000,
        "exp": 1800000000,
        "vc": {
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "type": ["VerifiableCredential"],
            "credentialSubject": {},
        },
    }
    cred = vc_jwt.credential_from_vc_claim(claims)
    assert cred["issuer"] == "did:example:issuer" and cred["id"] == "urn:uuid:1"
    assert cred["credentialSubject"]["id"] == "did:example:s"
    assert cred["issuanceDate"] == "2023-11-14T22:13:20Z" and cred["expirationDate"].startswith("2027-01-15")


def test_iss_conflicting_with_issuer_is_refused():
    with pytest.raises(vc_jwt.JwtError, match="differ"):
        vc_jwt.credential_from_vc_claim({"iss": "did:example:a", "vc": {"issuer": "did:example:b"}})


def test_tampered_payload_fails(issuer):
    key_pair, _, kid, credential = issuer
    header, _payload, sig = vc_jwt.sign_jwt(credential, key_pair, kid=kid).split(".")
    forged = _b64(json.dumps(dict(credential, validFrom="2000-01-01T00:00:00Z")).encode())
    outcome = vc_jwt.verify_jwt(f"{header}.{forged}.{sig}", fetcher=None)
    assert not outcome.verified and not outcome.unverifiable and "does not verify" in outcome.detail


def test_alg_none_is_refused(issuer):
    _, _, kid, credential = issuer
    outcome = vc_jwt.verify_jwt(_forge({"alg": "none", "kid": kid}, credential, b"") + "x", fetcher=None)
    assert not outcome.verified and "alg 'none'" in outcome.detail


def test_hmac_key_confusion_is_refused(issuer):
    key_pair, _, kid, credential = issuer
    public_bytes = key_pair.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    header = _b64(json.dumps({"alg": "HS256", "kid": kid}).encode())
    payload = _b64(json.dumps(credential).encode())
    mac = hmac.new(public_bytes, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    outcome = vc_jwt.verify_jwt(f"{header}.{payload}.{_b64(mac)}", fetcher=None)
    assert not outcome.verified and "symmetric algorithm HS256 refused" in outcome.detail


def test_alg_not_matching_the_issuer_key_is_refused(issuer):
    _, _, kid, credential = issuer
    outcome = vc_jwt.verify_jwt(_forge({"alg": "ES256", "kid": kid}, credential), fetcher=None)
    assert not outcome.verified and "does not match" in outcome.detail


@pytest.mark.parametrize("cut", [10, 60, -3])
def test_truncated_tokens_give_clear_errors(issuer, cut):
    key_pair, _, kid, credential = issuer
    token = vc_jwt.sign_jwt(credential, key_pair, kid=kid)
    outcome = vc_jwt.verify_jwt(token[:cut], fetcher=None)
    assert not outcome.verified and outcome.detail


def test_es256_via_did_jwk():
    private = ec.generate_private_key(ec.SECP256R1())
    did = did_jwk_for(private.public_key())
    token = jws.serialize_compact(
        {"alg": "ES256", "kid": did + "#0"},
        json.dumps(dict(CREDENTIAL, issuer=did)),
        ECKey.import_key(private),
        algorithms=["ES256"],
    )
    outcome = vc_jwt.verify_jwt(token, fetcher=None)
    assert outcome.verified, outcome.detail
    assert outcome.method.controller == did


@pytest.mark.skipif(not (CONFORMANCE / "ob2-keys").is_dir(), reason="../shared/conformance is absent")
def test_rs256_via_did_web_and_the_wrong_key_fails():
    keys = CONFORMANCE / "ob2-keys"
    private = serialization.load_pem_private_key((keys / "mozilla-validator-rsa-private.pem").read_bytes(), None)
    wrong = serialization.load_pem_private_key((keys / "mozilla-validator-rsa-wrong-private.pem").read_bytes(), None)
    did = "did:web:issuer.example:badges"
    doc = json.dumps(build_did_document(did, [("key-1", private.public_key())])).encode()
    fetcher = TableFetcher({did_web_url(did): doc})
    payload = json.dumps(dict(CREDENTIAL, issuer=did))
    good = jws.serialize_compact(
        {"alg": "RS256", "kid": "#key-1"}, payload, RSAKey.import_key(private), algorithms=["RS256"]
    )
    assert vc_jwt.verify_jwt(good, fetcher=fetcher).verified
    assert fetcher.requested == ["https://issuer.example/badges/did.json"]
    bad = jws.serialize_compact(
        {"alg": "RS256", "kid": "#key-1"}, payload, RSAKey.import_key(wrong), algorithms=["RS256"]
    )
    assert not vc_jwt.verify_jwt(bad, fetcher=fetcher).verified


def test_embedded_jwk_verifies_but_names_no_controller(issuer):
    key_pair, _did, _, credential = issuer
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from joserfc.jwk import OKPKey

        key = OKPKey.import_key(key_pair.private_key)
        token = jws.serialize_compact(
            {"alg": "EdDSA", "jwk": key.as_dict(private=False)}, json.dumps(credential), key, algorithms=["EdDSA"]
        )
    outcome = vc_jwt.verify_jwt(token, fetcher=None)
    assert outcome.verified and outcome.method.controller == ""


def test_unresolvable_key_is_unverifiable_not_invalid(issuer):
    _, _, _, credential = issuer
    outcome = vc_jwt.verify_jwt(
        _forge({"alg": "EdDSA", "kid": "did:web:nowhere.example#k"}, credential), fetcher=TableFetcher()
    )
    assert not outcome.verified and outcome.unverifiable


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300) | st.from_regex(r"[A-Za-z0-9_-]{0,40}\.[A-Za-z0-9_-]{0,40}\.[A-Za-z0-9_-]{0,40}"))
def test_arbitrary_text_never_raises(text):
    outcome = vc_jwt.verify_jwt(text, fetcher=TableFetcher())
    assert outcome.verified is False


def test_jose_cose_exp_claim_bounds_the_credential(issuer):
    key_pair, did, kid, credential = issuer
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from joserfc.jwk import OKPKey

        token = jws.serialize_compact(
            {"alg": "EdDSA", "kid": kid},
            json.dumps(dict(credential, exp=1700000000)),
            OKPKey.import_key(key_pair.private_key),
            algorithms=["EdDSA"],
        )
    outcome = vc_jwt.verify_jwt(token, fetcher=None)
    assert outcome.verified and outcome.decoded.credential["validUntil"] == "2023-11-14T22:13:20Z"
    assert "exp" not in outcome.decoded.credential
    with pytest.raises(vc_jwt.JwtError, match="differ"):
        vc_jwt.decode(_forge({"alg": "EdDSA", "kid": kid}, dict(credential, iss="did:example:other")))
