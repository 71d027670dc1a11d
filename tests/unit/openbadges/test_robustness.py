"""Nasty inputs and fuzzing: every parser answers with a documented error or a result, never a crash."""

from __future__ import annotations

import json
import string
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.openbadges.baking import BakingError, extract
from app.openbadges.fetching import FetchError, FetchResponse
from app.openbadges.ob2 import verify_ob2
from app.openbadges.result import Verdict, VerificationResult
from app.openbadges.verify import verify

NASTY = Path(__file__).resolve().parents[2] / "fixtures" / "nasty"
CORPUS = sorted(p for p in NASTY.iterdir() if p.suffix != ".py")
NOW = datetime(2026, 6, 1, tzinfo=UTC)


class RefusingFetcher:
    """Every fetch fails, like an unreachable network; verification must degrade, not crash."""

    def get(self, url, *, accept=None):
        raise FetchError(f"refused in tests: {url}")


class EchoFetcher:
    """Answers every URL with the same hostile body, to push junk through every fetched node."""

    def __init__(self, body: bytes, status: int = 200):
        self.body, self.status = body, status

    def get(self, url, *, accept=None):
        return FetchResponse(url, self.status, self.body, {"content-type": "application/json"})


def _assert_sound(result):
    assert isinstance(result, VerificationResult)
    assert result.verdict is not Verdict.VALID
    assert all("internal error" not in check.detail for check in result.checks), result.checks
    json.dumps(result.to_json())  # the JSON API can always serialise it


def test_corpus_is_present():
    names = {p.name for p in CORPUS}
    assert {"alg-none.jwt", "zlib-bomb-itxt.png", "billion-laughs.svg", "deeply-nested.json"} <= names


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_nasty_file_as_image_gives_a_clear_error(path):
    with pytest.raises(BakingError) as caught:
        extract(path.read_bytes())
    assert str(caught.value)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_nasty_file_as_ob2_input_gives_an_unverified_result(path):
    text = path.read_bytes().decode("utf-8", errors="replace")
    _assert_sound(verify_ob2(text, fetcher=RefusingFetcher(), now=NOW))


@pytest.mark.parametrize("path", [p for p in CORPUS if p.suffix in (".json", ".jwt")], ids=lambda p: p.name)
def test_nasty_file_served_as_every_linked_node(path):
    fetcher = EchoFetcher(path.read_bytes())
    _assert_sound(verify_ob2("https://issuer.example/assertion/1", fetcher=fetcher, now=NOW))
    _assert_sound(
        verify_ob2(
            {
                "@context": "https://w3id.org/openbadges/v2",
                "type": "Assertion",
                "id": "https://issuer.example/assertion/1",
                "recipient": {"identity": "a@b.c"},
                "badge": "https://issuer.example/badge",
                "issuedOn": "2020-01-01",
                "verification": {"type": "hosted"},
            },
            fetcher=fetcher,
            now=NOW,
        )
    )


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@context",
                    "id",
                    "type",
                    "recipient",
                    "badge",
                    "issuer",
                    "verification",
                    "verify",
                    "identity",
                    "hashed",
                    "salt",
                    "issuedOn",
                    "expires",
                    "url",
                    "creator",
                    "publicKey",
                    "revocationList",
                    "revoked",
                    "uid",
                    "issued_on",
                    "origin",
                    "name",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_json_values)
def test_verify_ob2_on_arbitrary_json_always_returns_a_result(value):
    payload = value if isinstance(value, dict) else json.dumps(value)
    _assert_sound(verify_ob2(payload, fetcher=RefusingFetcher(), recipient_email="a@b.c", now=NOW))


@settings(max_examples=200, deadline=None)
@given(_json_values, _json_values)
def test_verify_ob2_with_hostile_linked_nodes(assertion, served):
    if not isinstance(assertion, dict):
        assertion = {"id": "https://issuer.example/a", "verification": {"type": "hosted"}, "recipient": assertion}
    fetcher = EchoFetcher(json.dumps(served).encode())
    _assert_sound(verify_ob2(assertion, fetcher=fetcher, recipient_email="a@b.c", now=NOW))


_b64_chars = string.ascii_letters + string.digits + "-_"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=_b64_chars, max_size=60), min_size=3, max_size=3))
def test_verify_ob2_on_jws_shaped_garbage(parts):
    _assert_sound(verify_ob2(".".join(parts), fetcher=RefusingFetcher(), now=NOW))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_verify_ob2_on_arbitrary_text(text):
    _assert_sound(verify_ob2(text, fetcher=RefusingFetcher(), now=NOW))


# --- the one entry point, verify(), on the same inputs -----------------------------------------


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_nasty_file_through_verify_gives_a_clear_unverified_result(path):
    result = verify(path.read_bytes(), fetcher=RefusingFetcher(), now=NOW)
    _assert_sound(result)
    assert result.checks and all(check.detail for check in result.checks)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=1024))
def test_verify_on_arbitrary_bytes_always_returns_a_result(data):
    for candidate in (data, b"\x89PNG\r\n\x1a\n" + data, b"<svg xmlns='http://www.w3.org/2000/svg'>" + data):
        _assert_sound(verify(candidate, fetcher=RefusingFetcher(), now=NOW))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_verify_on_arbitrary_text_always_returns_a_result(text):
    _assert_sound(verify(text, fetcher=RefusingFetcher(), now=NOW))


@settings(max_examples=200, deadline=None)
@given(_json_values)
def test_verify_on_arbitrary_json_always_returns_a_result(value):
    payload = value if isinstance(value, dict) else json.dumps(value)
    _assert_sound(verify(payload, fetcher=RefusingFetcher(), recipient_email="a@b.c", now=NOW))


@pytest.mark.parametrize("url", ["http://[not-ipv6/a.json", "https://[::1/x", "http://a.com:99999/x"])
def test_malformed_urls_in_assertions_are_reported_not_crashed(url):
    issuer = {"id": url, "name": "x", "verification": {"allowedOrigins": url}}
    fetcher = EchoFetcher(
        json.dumps(
            {
                "id": url,
                "issuer": issuer,
                "badge": url,
                "recipient": {"identity": "a@b.c"},
                "verification": {"type": "hosted"},
                "issuedOn": "2020-01-01",
            }
        ).encode()
    )
    _assert_sound(verify_ob2(url, fetcher=fetcher, now=NOW))
    _assert_sound(
        verify_ob2(
            {"id": url, "verification": {"type": "hosted"}, "recipient": {"identity": "a@b.c"}},
            fetcher=fetcher,
            now=NOW,
        )
    )
