"""Format detection and the verifier's promise never to raise on hostile input."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.openbadges import detect
from app.openbadges.result import Verdict
from app.openbadges.verify import verify
from tests.support.openbadges import EDDSA, TableFetcher, load, needs_conformance

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@context",
                    "type",
                    "issuer",
                    "credentialSubject",
                    "proof",
                    "id",
                    "validFrom",
                    "validUntil",
                    "credentialStatus",
                    "recipient",
                    "badge",
                    "vc",
                    "x",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=20,
)


@pytest.mark.parametrize(
    "text,kind",
    [
        ('{"@context": [], "credentialSubject": {}}', detect.VC_JSON),
        ('{"recipient": {}, "badge": "https://x.example/b"}', detect.OB2_JSON),
        ("https://issuer.example/assertions/1", detect.URL),
        ("eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2ln", detect.VC_JWT),
        ("eyJhbGciOiJSUzI1NiJ9.eyJyZWNpcGllbnQiOnt9LCJiYWRnZSI6IngifQ.c2ln", detect.OB2_JWS),
        ("hello", detect.UNKNOWN),
        ("{not json", detect.UNKNOWN),
    ],
)
def test_detect_text(text, kind):
    assert detect.detect(text).kind == kind


def test_unbaked_png_is_reported_as_not_a_badge():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, format="PNG")
    found = detect.detect(out.getvalue())
    assert found.kind == detect.UNKNOWN and found.baked == "png" and "not a baked badge" in found.error


@needs_conformance
def test_dropping_the_context_fails_closed():
    credential = load(EDDSA / "eddsa-rdfc-2022/signedDataInt.json")
    del credential["@context"]
    result = verify(credential, fetcher=TableFetcher())
    assert result.verdict is Verdict.INVALID and "first @context" in result.checks[0].detail


@needs_conformance
def test_rdfc_proof_without_document_context_is_not_valid():
    from app.openbadges.proofs import verify_proofs

    credential = load(EDDSA / "eddsa-rdfc-2022/signedDataInt.json")
    del credential["@context"]
    [outcome] = verify_proofs(credential, fetcher=None)
    assert not outcome.verified


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_VALUES)
def test_any_json_gets_a_verdict(value):
    for data in (value, json.dumps(value)):
        result = verify(data, fetcher=TableFetcher())
        assert isinstance(result.verdict, Verdict)
        assert result.checks


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_get_a_verdict(data):
    result = verify(data, fetcher=TableFetcher())
    assert result.verdict is not Verdict.VALID


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg>&b;</svg>',
        "[" * 100000,
        '{"@context": ["https://www.w3.org/ns/credentials/v2"], "credentialSubject": {}, "proof": "x"}',
        '{"@context": "https://www.w3.org/ns/credentials/v2", "credentialSubject": [], "proof": [1, null]}',
        '{"@context": ["https://www.w3.org/ns/credentials/v2"], "credentialSubject": {}, "validFrom": 5}',
        "1" * 5000,
    ],
)
def test_nasty_inputs(data):
    result = verify(data, fetcher=TableFetcher())
    assert result.verdict in (Verdict.INVALID, Verdict.UNVERIFIABLE)


@needs_conformance
@pytest.mark.parametrize("as_url", [False, True])
def test_ob2_hosted_assertions_go_to_the_ob2_verifier(as_url):
    from tests.support.openbadges import CONFORMANCE

    folder = CONFORMANCE / "ob2-assertions"
    fetcher = TableFetcher(
        {
            "https://example.org/beths-robotics-badge.json": folder / "validator-core-2_0_basic_assertion.json",
            "https://example.org/robotics-badge.json": folder / "validator-core-2_0_basic_badgeclass.json",
            "https://example.org/organization.json": folder / "validator-core-2_0_basic_issuer.json",
        }
    )
    data = (
        "https://example.org/beths-robotics-badge.json"
        if as_url
        else (folder / "validator-core-2_0_basic_assertion.json").read_bytes()
    )
    right = verify(data, fetcher=fetcher, recipient_email="nobody@example.org")
    assert right.format.startswith("ob2") and right.recipient_match is True
    wrong = verify(data, fetcher=fetcher, recipient_email="somebody@example.org")
    assert wrong.recipient_match is False and wrong.verdict is Verdict.INVALID
