"""Issuing OpenBadgeCredentials and verifying them back, in every form a learner can share."""

from __future__ import annotations

import copy
import io
import json
from datetime import UTC, datetime, timedelta

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from app.openbadges import issuing
from app.openbadges.baking import bake_png, bake_svg
from app.openbadges.dids import build_did_document, did_web_url
from app.openbadges.keys import generate_key_pair
from app.openbadges.result import CheckStatus, Verdict
from app.openbadges.verify import verify
from tests.support.openbadges import OB3, TableFetcher

NOW = datetime(2026, 3, 1, tzinfo=UTC)
ESCO = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
DID = "did:web:badges.example.ac.uk:issuers:7"
LIST_URL = "https://badges.example.ac.uk/status/1"


@pytest.fixture(scope="module")
def issuer_keys():
    return generate_key_pair(), generate_key_pair()  # current, rotated-out


@pytest.fixture()
def fetcher(issuer_keys):
    current, old = issuer_keys
    doc = build_did_document(DID, [("key-2", current.public_key), ("key-1", old.public_key)])
    return TableFetcher({did_web_url(DID): json.dumps(doc).encode()})


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "teal").save(out, format="PNG")
    return out.getvalue()


def _parts(**award_changes):
    issuer = issuing.IssuerProfile(
        DID, "Caledonian College", url="https://college.example", image="https://college.example/logo.png"
    )
    achievement = issuing.AchievementSpec(
        id="https://hub.example/micro-credentials/42",
        name="Data Analysis with Python",
        description="Cleaning, exploring and presenting data.",
        criteria="Passed the assessed project.",
        image="https://hub.example/badges/42.png",
        credits_available=10,
        field_of_study="Computing",
        level=issuing.Level("SCQF", "7", "https://scqf.org.uk/"),
        learning_outcomes=["Clean a messy data set"],
        skills=[issuing.Skill("use spreadsheets software", ESCO)],
    )
    award = issuing.Award(
        "Ann.Learner@Example.org",
        valid_from=datetime(2026, 1, 10, 9, 0, tzinfo=UTC),
        valid_until=datetime(2029, 1, 10, tzinfo=UTC),
        evidence=[issuing.EvidenceLink("https://portfolio.example/ann/1", "Project report")],
        salt="fixed-salt",
    )
    for key, value in award_changes.items():
        setattr(award, key, value)
    return issuer, achievement, award


def _issue(keys, key_id="key-2", **award_changes):
    return issuing.issue(*_parts(**award_changes), keys, verification_method=f"{DID}#{key_id}")


def test_issued_credential_has_the_ob3_shape():
    credential = issuing.build_credential(*_parts())
    assert credential["@context"][1] == "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    identity = credential["credentialSubject"]["identifier"][0]
    assert identity == {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": "fixed-salt",
        "identityHash": issuing.hash_email("ann.learner@example.org", "fixed-salt"),
    }
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "MicroCredential" and achievement["creditsAvailable"] == 10
    assert [a["targetType"] for a in achievement["alignment"]] == ["ext:Level", "ceasn:Competency"]
    assert achievement["alignment"][1]["targetUrl"] == ESCO
    assert "Clean a messy data set" in achievement["criteria"]["narrative"]
    assert credential["validFrom"] == "2026-01-10T09:00:00Z" and credential["validUntil"] == "2029-01-10T00:00:00Z"


def test_signed_credential_conforms_to_the_1edtech_schema(issuer_keys):
    schema_file = OB3 / "ob_v3p0_achievementcredential_schema.json"
    if not schema_file.is_file():
        pytest.skip("../shared/conformance is absent (CI always has it)")
    validator = jsonschema.Draft201909Validator(json.loads(schema_file.read_text()))
    credential = _issue(issuer_keys[0])
    assert [e.message for e in validator.iter_errors(credential)] == []


def test_issue_then_verify_is_valid_and_fills_the_summary(issuer_keys, fetcher):
    result = verify(
        _issue(issuer_keys[0]),
        fetcher=fetcher,
        now=NOW,
        recipient_email="ann.learner@example.org",
        issuer_lookup=lambda i: {"known": True, "quality_assured": True, "name": "Caledonian College"},
    )
    assert result.verdict is Verdict.VALID, result.to_json()["checks"]
    assert result.recipient_match is True
    assert result.achievement.level == "SCQF level 7" and result.achievement.credits == "10"
    assert result.achievement.skills == ["use spreadsheets software"]
    assert result.issuer.name == "Caledonian College" and result.issued_on == "2026-01-10T09:00:00Z"
    assert result.check("issuer_known").status is CheckStatus.PASS


def test_credential_signed_with_a_rotated_out_key_still_verifies(issuer_keys, fetcher):
    result = verify(_issue(issuer_keys[1], key_id="key-1"), fetcher=fetcher, now=NOW)
    assert result.verdict is Verdict.VALID


def test_tampering_makes_it_invalid(issuer_keys, fetcher):
    credential = _issue(issuer_keys[0])
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["creditsAvailable"] = 120
    assert verify(tampered, fetcher=fetcher, now=NOW).verdict is Verdict.INVALID


def test_wrong_recipient_fails_the_recipient_check(issuer_keys, fetcher):
    result = verify(_issue(issuer_keys[0]), fetcher=fetcher, now=NOW, recipient_email="someone@example.org")
    assert result.check("recipient").status is CheckStatus.FAIL and result.recipient_match is False
    assert result.verdict is Verdict.INVALID


def test_unknown_issuer_is_a_warning_not_a_failure(issuer_keys, fetcher):
    result = verify(_issue(issuer_keys[0]), fetcher=fetcher, now=NOW, issuer_lookup=lambda i: None)
    assert result.check("issuer_known").status is CheckStatus.WARN
    assert result.verdict is Verdict.VALID


def test_expired_and_not_yet_valid(issuer_keys, fetcher):
    credential = _issue(issuer_keys[0])
    assert verify(credential, fetcher=fetcher, now=datetime(2030, 1, 1)).verdict is Verdict.EXPIRED
    assert verify(credential, fetcher=fetcher, now=datetime(2025, 1, 1)).verdict is Verdict.INVALID


def test_key_from_another_issuer_breaks_the_binding(issuer_keys):
    stranger = generate_key_pair()
    did_key = "did:key:" + stranger.public_multibase
    credential = issuing.issue(*_parts(), stranger, verification_method=f"{did_key}#{stranger.public_multibase}")
    result = verify(credential, fetcher=TableFetcher(), now=NOW)
    assert result.check("proof").status is CheckStatus.PASS
    assert result.check("issuer_binding").status is CheckStatus.FAIL and result.verdict is Verdict.INVALID


def test_revoked_through_our_own_status_list(issuer_keys, fetcher):
    from app.openbadges.status import encode_status_list

    current = issuer_keys[0]
    status_list = issuing.build_status_list_credential(
        DID, LIST_URL, encode_status_list({5}), valid_from=datetime(2026, 1, 1, tzinfo=UTC)
    )
    signed_list = issuing.sign_credential(status_list, current, verification_method=f"{DID}#key-2")
    fetcher.table[LIST_URL] = json.dumps(signed_list).encode()
    revoked = _issue(current, status=issuing.StatusEntry(LIST_URL, 5))
    clear = _issue(current, status=issuing.StatusEntry(LIST_URL, 6))
    assert verify(revoked, fetcher=fetcher, now=NOW).verdict is Verdict.REVOKED
    assert verify(clear, fetcher=fetcher, now=NOW).check("status").status is CheckStatus.PASS
    forged = copy.deepcopy(signed_list)
    forged["credentialSubject"]["encodedList"] = encode_status_list(set())
    fetcher.table[LIST_URL] = json.dumps(forged).encode()
    assert verify(revoked, fetcher=fetcher, now=NOW).check("status").status is CheckStatus.WARN


def test_jwt_of_the_same_credential_verifies(issuer_keys, fetcher):
    credential = _issue(issuer_keys[0])
    token = issuing.issue_jwt(credential, issuer_keys[0], verification_method=f"{DID}#key-2")
    result = verify(token, fetcher=fetcher, now=NOW, recipient_email="ann.learner@example.org")
    assert result.format == "vc-jwt" and result.verdict is Verdict.VALID, result.to_json()["checks"]
    assert result.achievement.name == "Data Analysis with Python"
    assert verify(token[:-10] + "A" * 10, fetcher=fetcher, now=NOW).verdict is Verdict.INVALID


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_baked_images_verify(issuer_keys, fetcher, kind):
    credential = json.dumps(_issue(issuer_keys[0]))
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
    image = bake_png(_png(), credential) if kind == "png" else bake_svg(svg, credential)
    result = verify(image, fetcher=fetcher, now=NOW)
    assert result.verdict is Verdict.VALID, result.to_json()["checks"]
    assert f"baked into a {kind.upper()} image" in result.check("parse").detail


def test_credential_served_at_a_url(issuer_keys, fetcher):
    fetcher.table["https://hub.example/credentials/1"] = json.dumps(_issue(issuer_keys[0])).encode()
    assert verify("https://hub.example/credentials/1", fetcher=fetcher, now=NOW).verdict is Verdict.VALID


@pytest.mark.parametrize(
    "data", [b"", b"{", b"\x00\xff\xfe", "not a badge", b"[1,2,3]", "{" * 5000, b"\x89PNG\r\n\x1a\n garbage", "a.b.c"]
)
def test_bad_input_gives_a_result_not_an_exception(data):
    result = verify(data, fetcher=TableFetcher(), now=NOW)
    assert result.verdict in (Verdict.INVALID, Verdict.UNVERIFIABLE)
    assert result.checks and result.checks[0].detail


def test_now_defaults_to_the_present(issuer_keys, fetcher):
    credential = _issue(issuer_keys[0], valid_until=datetime.now(UTC) - timedelta(days=1))
    assert verify(credential, fetcher=fetcher).verdict is Verdict.EXPIRED


def test_credential_without_an_issuer_is_invalid(issuer_keys, fetcher):
    from app.openbadges.proofs import sign

    credential = issuing.build_credential(*_parts())
    del credential["issuer"]
    signed = sign(credential, issuer_keys[0], verification_method=f"{DID}#key-2")
    result = verify(signed, fetcher=fetcher, now=NOW)
    assert result.check("issuer_binding").detail == "the credential names no issuer"
    assert result.verdict is Verdict.INVALID


def _string_leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "proof":
                yield from _string_leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _string_leaves(value, (*path, i))
    elif isinstance(node, str) and path[0] != "@context":
        yield path


_SIGNED_ONCE = {}


def _signed_once():
    if not _SIGNED_ONCE:
        pair = generate_key_pair()
        did = "did:key:" + pair.public_multibase
        issuer, achievement, award = _parts()
        issuer.id = did
        _SIGNED_ONCE["doc"] = issuing.issue(
            issuer, achievement, award, pair, verification_method=f"{did}#{pair.public_multibase}"
        )
    return _SIGNED_ONCE["doc"]


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_changing_any_signed_string_breaks_the_proof(data):
    from app.openbadges.proofs import verify_proofs

    credential = copy.deepcopy(_signed_once())
    path = data.draw(st.sampled_from(sorted(_string_leaves(credential), key=str)))
    node = credential
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = node[path[-1]] + data.draw(st.text(min_size=1, max_size=3))
    assert not verify_proofs(credential, fetcher=None)[0].verified, path


def test_key_order_and_whitespace_do_not_matter():
    from app.openbadges.proofs import verify_proofs

    credential = _signed_once()
    reordered = json.loads(json.dumps(credential, sort_keys=True, indent=4))
    reordered = dict(reversed(list(reordered.items())))
    assert verify_proofs(reordered, fetcher=None)[0].verified
