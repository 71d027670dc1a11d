"""OB 2.0 hosted and signed verification, and upgraded 0.5/1.0/1.1 badges, on the conformance data."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from app.openbadges.baking import extract
from app.openbadges.fetching import FetchError, FetchResponse
from app.openbadges.ob2 import verify_ob2
from app.openbadges.result import CheckStatus, Verdict

CONFORMANCE = Path(__file__).resolve().parents[3] / ".." / "shared" / "conformance"
ASSERTIONS = CONFORMANCE / "ob2-assertions"
KEYS = CONFORMANCE / "ob2-keys"
pytestmark = pytest.mark.skipif(not ASSERTIONS.is_dir(), reason="../shared/conformance is absent (CI always has it)")
NOW = datetime(2026, 6, 1, tzinfo=UTC)
ASSERTION_URL = "https://example.org/beths-robotics-badge.json"


class TableFetcher:
    """URL -> bytes (or (status, bytes)); anything else is a fetch error. No network."""

    def __init__(self, table):
        self.table = dict(table)

    def get(self, url, *, accept=None):
        if url not in self.table:
            raise FetchError(f"not in the test table: {url}")
        value = self.table[url]
        status, body = value if isinstance(value, tuple) else (200, value)
        body = body if isinstance(body, bytes) else json.dumps(body).encode()
        return FetchResponse(url, status, body, {"content-type": "application/json"})


def _json(name: str) -> dict:
    return json.loads((ASSERTIONS / name).read_text())


def _ob2_table(assertion=None, issuer=None) -> dict:
    return {
        ASSERTION_URL: assertion or _json("validator-core-2_0_basic_assertion.json"),
        "https://example.org/robotics-badge.json": _json("validator-core-2_0_basic_badgeclass.json"),
        "https://example.org/organization.json": issuer or _json("validator-core-2_0_basic_issuer.json"),
    }


def _status(result, name):
    check = result.check(name)
    return check.status if check else None


def test_hosted_2_0_from_url_is_valid_and_described():
    result = verify_ob2(ASSERTION_URL, fetcher=TableFetcher(_ob2_table()), now=NOW)
    assert result.verdict is Verdict.VALID
    assert result.format == "ob2-hosted"
    assert result.issuer.name == "An Example Badge Issuer"
    assert result.achievement.name == "Awesome Robotics Badge"
    assert result.issued_on == "2016-12-31T23:59:59Z"
    assert _status(result, "recipient") is CheckStatus.SKIP and result.recipient_match is None


def test_recipient_hash_matches_only_the_right_email():
    fetcher = TableFetcher(_ob2_table())
    right = verify_ob2(ASSERTION_URL, fetcher=fetcher, recipient_email="nobody@example.org", now=NOW)
    assert (right.verdict, right.recipient_match) == (Verdict.VALID, True)
    wrong = verify_ob2(ASSERTION_URL, fetcher=fetcher, recipient_email="somebody@example.org", now=NOW)
    assert (wrong.recipient_match, _status(wrong, "recipient")) == (False, CheckStatus.FAIL)
    assert wrong.verdict is Verdict.INVALID


def test_presented_copy_is_compared_with_the_hosted_one():
    presented = _json("validator-core-2_0_basic_assertion.json")
    assert verify_ob2(presented, fetcher=TableFetcher(_ob2_table()), now=NOW).verdict is Verdict.VALID
    presented["recipient"]["identity"] = "sha256$" + "0" * 64
    result = verify_ob2(presented, fetcher=TableFetcher(_ob2_table()), now=NOW)
    assert result.verdict is Verdict.INVALID
    assert "differs from its issuer's hosted copy" in result.check("proof").detail


def test_hosted_id_must_be_on_the_issuers_origin():
    moved = _json("validator-core-2_0_basic_assertion.json")
    moved["id"] = "https://elsewhere.example/beths-robotics-badge.json"
    table = _ob2_table() | {moved["id"]: moved}
    result = verify_ob2(moved["id"], fetcher=TableFetcher(table), now=NOW)
    assert result.verdict is Verdict.INVALID
    assert _status(result, "issuer_binding") is CheckStatus.FAIL


def test_issuer_allowed_origins_policy_is_honoured():
    moved = _json("validator-core-2_0_basic_assertion.json")
    moved["id"] = "https://badges.example.net/a.json"
    issuer = _json("validator-core-2_0_basic_issuer.json") | {
        "verification": {"type": "VerificationObject", "allowedOrigins": ["badges.example.net"]}
    }
    table = _ob2_table(issuer=issuer) | {moved["id"]: moved}
    assert verify_ob2(moved["id"], fetcher=TableFetcher(table), now=NOW).verdict is Verdict.VALID


def test_http_410_means_revoked():
    table = _ob2_table() | {ASSERTION_URL: (410, b"Gone")}
    result = verify_ob2(_json("validator-core-2_0_basic_assertion.json"), fetcher=TableFetcher(table), now=NOW)
    assert (result.verdict, result.format) == (Verdict.REVOKED, "ob2-hosted")
    assert "410" in result.check("status").detail
    from_url = verify_ob2(ASSERTION_URL, fetcher=TableFetcher(table), now=NOW)
    assert (from_url.verdict, from_url.format) == (Verdict.REVOKED, "ob2-hosted")


def test_revoked_true_means_revoked():
    assertion = _json("validator-core-2_0_basic_assertion.json") | {"revoked": True, "revocationReason": "cheating"}
    result = verify_ob2(ASSERTION_URL, fetcher=TableFetcher(_ob2_table(assertion)), now=NOW)
    assert result.verdict is Verdict.REVOKED
    assert "cheating" in result.check("status").detail


@pytest.mark.parametrize(
    "changes, verdict, detail",
    [
        ({"issuedOn": "2099-01-01T00:00:00Z"}, Verdict.INVALID, "future"),
        ({"expires": "2020-01-01T00:00:00Z"}, Verdict.EXPIRED, "expired"),
        ({"expires": "2016-01-01T00:00:00Z"}, Verdict.INVALID, "before it was issued"),
        ({"expires": "2099-01-01T00:00:00Z"}, Verdict.VALID, "valid until 2099"),
    ],
)
def test_dates(changes, verdict, detail):
    assertion = _json("validator-core-2_0_basic_assertion.json") | changes
    result = verify_ob2(ASSERTION_URL, fetcher=TableFetcher(_ob2_table(assertion)), now=NOW)
    assert result.verdict is verdict
    assert detail in result.check("validity_window").detail


def test_unreachable_badge_class_is_unverifiable_not_valid():
    table = _ob2_table()
    del table["https://example.org/robotics-badge.json"]
    assert verify_ob2(ASSERTION_URL, fetcher=TableFetcher(table), now=NOW).verdict is Verdict.UNVERIFIABLE


def test_hosted_1_1_is_upgraded_and_reported_as_ob1():
    table = {
        ASSERTION_URL: _json("validator-core-1_1_basic_assertion.json"),
        "https://example.org/robotics-badge.json": _json("validator-core-1_1_basic_badgeclass.json"),
        "https://example.org/organization.json": _json("validator-core-1_1_basic_issuer.json"),
    }
    result = verify_ob2(ASSERTION_URL, fetcher=TableFetcher(table), recipient_email="nobody@example.org", now=NOW)
    assert (result.verdict, result.format, result.recipient_match) == (Verdict.VALID, "ob1", True)


def _ob1_0_table(instance="http://a.com/instance", name="validator-core-1_0_basic_assertion.json"):
    return {
        instance: _json(name),
        "http://a.com/badgeclass": _json("validator-core-1_0_basic_badgeclass.json"),
        "http://a.com/issuer": _json("validator-core-1_0_basic_issuer.json"),
    }


@pytest.mark.parametrize(
    "instance, name",
    [
        ("http://a.com/instance", "validator-core-1_0_basic_assertion.json"),
        ("http://a.com/instance3", "validator-core-1_0_basic_assertion_with_extra_properties.json"),
    ],
)
def test_hosted_1_0_is_upgraded(instance, name):
    result = verify_ob2(
        _json(name), fetcher=TableFetcher(_ob1_0_table(instance, name)), recipient_email="test@example.com", now=NOW
    )
    assert (result.verdict, result.format, result.recipient_match) == (Verdict.VALID, "ob1", True)
    assert result.issuer.name == "Basic Issuer"
    assert result.issued_on.startswith("2015-04-30")


def test_1_0_with_bare_string_recipient_is_invalid():
    table = _ob1_0_table() | {"http://a.com/instance": _json("validator-core-1_0_assertion_with_errors.json")}
    result = verify_ob2(_json("validator-core-1_0_assertion_with_errors.json"), fetcher=TableFetcher(table), now=NOW)
    assert result.verdict is Verdict.INVALID
    assert "identity object" in result.check("parse").detail


@pytest.mark.parametrize(
    "name, email",
    [
        ("validator-core-0_5_assertion.json", "test@example.com"),
        ("validator-core-0_5_1_assertion.json", "test@example.com"),
    ],
)
def test_0_5_hosted_at_the_issuers_origin_is_upgraded(name, email):
    url = "http://oldstyle.com/assertions/1"
    result = verify_ob2(url, fetcher=TableFetcher({url: _json(name)}), recipient_email=email, now=NOW)
    assert (result.verdict, result.format, result.recipient_match) == (Verdict.VALID, "ob1", True)
    assert result.issuer.url == "http://oldstyle.com"
    other = verify_ob2(url, fetcher=TableFetcher({url: _json(name)}), recipient_email="x@example.com", now=NOW)
    assert other.recipient_match is False


def test_0_5_json_without_a_url_cannot_be_verified():
    result = verify_ob2(_json("validator-core-0_5_assertion.json"), fetcher=TableFetcher({}), now=NOW)
    assert (result.verdict, result.format) == (Verdict.UNVERIFIABLE, "ob1")
    assert result.achievement.name == "Basic McBadge"


def test_baked_png_hosted_1_0_badge_goes_through_the_same_path():
    baked = extract((CONFORMANCE / "ob2-baked-images" / "concentricsky-baked_heart.png").read_bytes())
    hosted = json.loads(baked.payload)
    table = {
        baked.verify_url: hosted,
        "http://example.org/badge1": {
            "name": "Heart",
            "description": "d",
            "image": "http://example.org/i.png",
            "criteria": "http://example.org/c",
            "issuer": "http://example.org/issuer",
        },
        "http://example.org/issuer": {"name": "Example", "url": "http://example.org"},
    }
    result = verify_ob2(baked.payload, fetcher=TableFetcher(table), recipient_email="test@example.com", now=NOW)
    assert (result.verdict, result.format, result.recipient_match) == (Verdict.VALID, "ob1", True)


# --- signed -------------------------------------------------------------------------------

KEY_URL = "https://example.org/key.json"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _signed_assertion(**changes) -> dict:
    assertion = _json("validator-core-2_0_basic_assertion.json")
    assertion.update(
        {
            "id": "urn:uuid:2f1e0d62-8d0c-4a43-9b3e-2c7c0d3c1a11",
            "verification": {"type": "SignedBadge", "creator": KEY_URL},
        },
        **changes,
    )
    return assertion


def _sign(payload: dict, header: dict | None = None, private="mozilla-validator-rsa-private.pem") -> str:
    key = serialization.load_pem_private_key((KEYS / private).read_bytes(), password=None)
    signing_input = f"{_b64(json.dumps(header or {'alg': 'RS256'}).encode())}.{_b64(json.dumps(payload).encode())}"
    return signing_input + "." + _b64(key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()))


def _signed_table(public="mozilla-validator-rsa-public.pem", issuer_extra=None) -> dict:
    issuer = _json("validator-core-2_0_basic_issuer.json") | {"publicKey": KEY_URL} | (issuer_extra or {})
    key = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "CryptographicKey",
        "id": KEY_URL,
        "owner": issuer["id"],
        "publicKeyPem": (KEYS / public).read_text(),
    }
    return _ob2_table(issuer=issuer) | {KEY_URL: key}


def test_signed_rs256_assertion_verifies_with_the_issuers_key():
    result = verify_ob2(
        _sign(_signed_assertion()), fetcher=TableFetcher(_signed_table()), recipient_email="nobody@example.org", now=NOW
    )
    assert (result.verdict, result.format, result.recipient_match) == (Verdict.VALID, "ob2-signed", True)
    assert _status(result, "proof") is CheckStatus.PASS and _status(result, "issuer_binding") is CheckStatus.PASS


def test_signed_assertion_fails_with_the_wrong_public_key():
    result = verify_ob2(
        _sign(_signed_assertion()),
        fetcher=TableFetcher(_signed_table("mozilla-validator-rsa-wrong-public.pem")),
        now=NOW,
    )
    assert result.verdict is Verdict.INVALID
    assert _status(result, "proof") is CheckStatus.FAIL


def test_signed_with_another_private_key_fails():
    token = _sign(_signed_assertion(), private="mozilla-validator-rsa-wrong-private.pem")
    assert verify_ob2(token, fetcher=TableFetcher(_signed_table()), now=NOW).verdict is Verdict.INVALID


def test_tampered_payload_fails():
    header, _payload, signature = _sign(_signed_assertion()).split(".")
    forged = _b64(json.dumps(_signed_assertion(issuedOn="2010-01-01T00:00:00Z")).encode())
    result = verify_ob2(f"{header}.{forged}.{signature}", fetcher=TableFetcher(_signed_table()), now=NOW)
    assert result.verdict is Verdict.INVALID


def test_alg_none_is_refused():
    none_header = _b64(json.dumps({"alg": "none"}).encode())
    token = f"{none_header}.{_b64(json.dumps(_signed_assertion()).encode())}."
    result = verify_ob2(token, fetcher=TableFetcher(_signed_table()), now=NOW)
    assert result.verdict is Verdict.INVALID
    assert "'none' is not accepted" in result.check("proof").detail


def test_hs256_key_confusion_with_the_public_pem_is_refused():
    secret = (KEYS / "mozilla-validator-rsa-public.pem").read_bytes()
    hs_header = _b64(json.dumps({"alg": "HS256"}).encode())
    signing_input = f"{hs_header}.{_b64(json.dumps(_signed_assertion()).encode())}"
    mac = hmac.HMAC(secret, hashes.SHA256())
    mac.update(signing_input.encode())
    token = signing_input + "." + _b64(mac.finalize())
    assert verify_ob2(token, fetcher=TableFetcher(_signed_table()), now=NOW).verdict is Verdict.INVALID


def test_key_not_listed_by_the_issuer_fails_binding():
    table = _signed_table(issuer_extra={"publicKey": "https://example.org/other-key.json"})
    result = verify_ob2(_sign(_signed_assertion()), fetcher=TableFetcher(table), now=NOW)
    assert result.verdict is Verdict.INVALID
    assert _status(result, "issuer_binding") is CheckStatus.FAIL


def test_signed_assertion_on_the_issuers_revocation_list_is_revoked():
    assertion = _signed_assertion()
    revocations = {
        "type": "RevocationList",
        "id": "https://example.org/revocations.json",
        "revokedAssertions": [{"id": assertion["id"], "revocationReason": "issued in error"}],
    }
    table = _signed_table(issuer_extra={"revocationList": revocations["id"]}) | {revocations["id"]: revocations}
    result = verify_ob2(_sign(assertion), fetcher=TableFetcher(table), now=NOW)
    assert result.verdict is Verdict.REVOKED
    assert "issued in error" in result.check("status").detail


def test_unreachable_revocation_list_is_could_not_check_not_clear():
    table = _signed_table(issuer_extra={"revocationList": "https://example.org/gone.json"})
    result = verify_ob2(_sign(_signed_assertion()), fetcher=TableFetcher(table), now=NOW)
    assert _status(result, "status") is CheckStatus.WARN
    assert result.check("status").detail.startswith("could not check revocation")


def test_signed_json_without_its_jws_is_unverifiable():
    result = verify_ob2(_signed_assertion(), fetcher=TableFetcher(_signed_table()), now=NOW)
    assert (result.verdict, result.format) == (Verdict.UNVERIFIABLE, "ob2-signed")
    assert "without its signature" in result.check("proof").detail


def test_shared_verdict_rule_needs_a_passing_proof_to_say_valid():
    from app.openbadges.result import Check, verdict_from_checks

    only_dates = [Check("validity_window", CheckStatus.PASS), Check("status", CheckStatus.PASS)]
    assert verdict_from_checks(only_dates, expired=False, revoked=False) is Verdict.UNVERIFIABLE
    with_proof = only_dates + [Check("proof", CheckStatus.PASS), Check("issuer_binding", CheckStatus.PASS)]
    assert verdict_from_checks(with_proof, expired=False, revoked=False) is Verdict.VALID


def test_baked_png_through_the_verify_entry_point():
    from app.openbadges.verify import verify

    png = (CONFORMANCE / "ob2-baked-images" / "concentricsky-baked_heart.png").read_bytes()
    hosted = json.loads(extract(png).payload)
    table = {
        "http://example.org/badgeinstance1": hosted,
        "http://example.org/badge1": {
            "name": "Heart",
            "description": "d",
            "image": "http://example.org/i.png",
            "criteria": "http://example.org/c",
            "issuer": "http://example.org/issuer",
        },
        "http://example.org/issuer": {"name": "Example", "url": "http://example.org"},
    }
    result = verify(png, fetcher=TableFetcher(table), recipient_email="test@example.com", now=NOW)
    assert (result.verdict, result.format, result.achievement.name) == (Verdict.VALID, "ob1", "Heart")
    unreachable = verify(png, fetcher=TableFetcher({}), now=NOW)
    assert unreachable.verdict is Verdict.UNVERIFIABLE


@pytest.mark.parametrize("algorithm", ["sha256", "sha512", "md5"])
def test_recipient_hash_algorithms_and_salt(algorithm):
    import hashlib

    digest = hashlib.new(algorithm, b"Learner@Example.org" + b"pepper").hexdigest()
    assertion = _json("validator-core-2_0_basic_assertion.json")
    assertion["recipient"] = {"type": "email", "hashed": True, "salt": "pepper", "identity": f"{algorithm}${digest}"}
    fetcher = TableFetcher(_ob2_table(assertion))
    assert (
        verify_ob2(ASSERTION_URL, fetcher=fetcher, recipient_email="Learner@Example.org", now=NOW).recipient_match
        is True
    )
    assert (
        verify_ob2(ASSERTION_URL, fetcher=fetcher, recipient_email="other@example.org", now=NOW).recipient_match
        is False
    )


def test_plaintext_recipient_compares_without_case():
    assertion = _json("validator-core-2_0_basic_assertion.json")
    assertion["recipient"] = {"type": "email", "hashed": False, "identity": "Learner@Example.org"}
    result = verify_ob2(
        ASSERTION_URL, fetcher=TableFetcher(_ob2_table(assertion)), recipient_email=" learner@example.org ", now=NOW
    )
    assert result.recipient_match is True
