"""Status lists: the DCC fixtures' credentialStatus column, our own encoder, hostile lists."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.openbadges.fetching import FetchError, FetchResponse
from app.openbadges.proofs import verify_proofs
from app.openbadges.result import CheckStatus
from app.openbadges.status import (
    StatusListError,
    bit_is_set,
    check_status,
    decode_status_list,
    encode_status_list,
)

CONFORMANCE = Path(__file__).resolve().parents[3] / ".." / "shared" / "conformance"
DCC = CONFORMANCE / "dcc-vc-test-fixtures"
LISTS = DCC / "statusLists" / "didkey-ed25519Signature2020"
NASTY = Path(__file__).resolve().parents[2] / "fixtures" / "nasty"
NOW = datetime(2026, 6, 1, tzinfo=UTC)
needs_conformance = pytest.mark.skipif(not DCC.is_dir(), reason="../shared/conformance is absent (CI always has it)")

LIST_PREFIXES = (
    "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/src/test-fixtures/status/",
    "https://digitalcredentials.github.io/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/",
)


class TableFetcher:
    """Serves URL -> bytes from a table; anything else is a fetch error (no network)."""

    def __init__(self, table: dict[str, bytes | tuple[int, bytes]]):
        self.table = table
        self.requested: list[str] = []

    def get(self, url, *, accept=None):
        self.requested.append(url)
        if url not in self.table:
            raise FetchError(f"no such URL in the test table: {url}")
        value = self.table[url]
        status, body = value if isinstance(value, tuple) else (200, value)
        return FetchResponse(url, status, body, {"content-type": "application/json"})


def dcc_fetcher() -> TableFetcher:
    table = {}
    for path in LISTS.iterdir():
        for prefix in LIST_PREFIXES:
            table[prefix + path.name] = path.read_bytes()
    return TableFetcher(table)


def signature_verifies(document: dict) -> bool:
    """verify_list for tests: helper A's Data Integrity / Ed25519Signature2020 verification."""
    outcomes = verify_proofs(document, fetcher=None)
    return bool(outcomes) and all(o.verified for o in outcomes)


def _status_fixtures():
    if not DCC.is_dir():
        return []
    found = []
    for path in sorted((DCC / "verifiableCredentials").rglob("*.json")):
        credential = json.loads(path.read_text())
        if "credentialStatus" in credential:
            found.append(pytest.param(path, id=str(path.relative_to(DCC / "verifiableCredentials"))))
    return found


def _expected(credential: dict) -> bool | None:
    """README.txt: list e5WK8CbZ1GjycuPombrj has bits 2, 6, 8 set; the other lists cannot be trusted."""
    entry = credential["credentialStatus"]
    if entry["statusListCredential"].endswith("/e5WK8CbZ1GjycuPombrj"):
        return int(entry["statusListIndex"]) in {2, 6, 8}
    return None


@needs_conformance
@pytest.mark.parametrize("path", _status_fixtures())
def test_dcc_credential_status_matches_readme(path):
    credential = json.loads(path.read_text())
    check, revoked = check_status(credential, fetcher=dcc_fetcher(), verify_list=signature_verifies, now=NOW)
    expected = _expected(credential)
    assert check.name == "status"
    assert revoked is expected
    if expected is True:
        assert check.status is CheckStatus.FAIL and "revoked" in check.detail
    elif expected is False:
        assert check.status is CheckStatus.PASS and check.detail.startswith("not revoked")
    else:
        assert check.status is CheckStatus.WARN
        assert check.detail.startswith("could not check revocation")


@needs_conformance
def test_readme_names_six_and_eight_revoked_and_seven_not():
    bits = decode_status_list(
        json.loads((LISTS / "e5WK8CbZ1GjycuPombrj").read_text())["credentialSubject"]["encodedList"]
    )
    assert len(bits) * 8 == 100000
    assert [i for i in range(100000) if bit_is_set(bits, i)] == [2, 6, 8]


@needs_conformance
@pytest.mark.parametrize(
    "name, reason",
    [
        ("expired", "expired"),
        ("notYetValid", "not valid until"),
        ("missingBitStringType", "not a BitstringStatusListCredential"),
        ("tampered", "proof does not verify"),
    ],
)
def test_untrustworthy_lists_say_why(name, reason):
    credential = {
        "credentialStatus": {
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "7",
            "statusListCredential": LIST_PREFIXES[1] + name,
        }
    }
    check, revoked = check_status(credential, fetcher=dcc_fetcher(), verify_list=signature_verifies, now=NOW)
    assert (check.status, revoked) == (CheckStatus.WARN, None)
    assert reason in check.detail


def _own_list(revoked: set[int], **extra) -> dict:
    return {
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "validFrom": "2025-01-01T00:00:00Z",
        **extra,
        "credentialSubject": {
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(revoked),
        },
    }


def _entry(index, url="https://issuer.example/status/1", entry_type="BitstringStatusListEntry"):
    return {
        "credentialStatus": {
            "type": entry_type,
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": url,
        }
    }


def test_own_encoder_round_trips_and_check_reads_it():
    fetcher = TableFetcher({"https://issuer.example/status/1": json.dumps(_own_list({0, 131071, 42})).encode()})
    for index, expected in ((0, True), (42, True), (131071, True), (1, False), (43, False)):
        check, revoked = check_status(_entry(index), fetcher=fetcher, verify_list=lambda d: True, now=NOW)
        assert revoked is expected, index


def test_a_list_that_fails_verify_list_never_clears_a_credential():
    fetcher = TableFetcher({"https://issuer.example/status/1": json.dumps(_own_list(set())).encode()})
    check, revoked = check_status(_entry(5), fetcher=fetcher, verify_list=lambda d: False, now=NOW)
    assert (check.status, revoked) == (CheckStatus.WARN, None)

    def explodes(document):
        raise RuntimeError("bug in the verifier")

    check, revoked = check_status(_entry(5), fetcher=fetcher, verify_list=explodes, now=NOW)
    assert (check.status, revoked) == (CheckStatus.WARN, None)


@pytest.mark.parametrize("response", [(404, b"missing"), (200, b"<html>"), (200, b"[1,2]"), (500, b"")])
def test_unusable_responses_mean_could_not_check(response):
    fetcher = TableFetcher({"https://issuer.example/status/1": response})
    check, revoked = check_status(_entry(1), fetcher=fetcher, verify_list=lambda d: True, now=NOW)
    assert (check.status, revoked) == (CheckStatus.WARN, None)


def test_unreachable_list_means_could_not_check():
    check, revoked = check_status(_entry(1), fetcher=TableFetcher({}), verify_list=lambda d: True, now=NOW)
    assert (check.status, revoked) == (CheckStatus.WARN, None)
    assert "could not be fetched" in check.detail


def test_index_outside_the_list_means_could_not_check():
    fetcher = TableFetcher({"https://issuer.example/status/1": json.dumps(_own_list(set())).encode()})
    check, revoked = check_status(_entry(131072), fetcher=fetcher, verify_list=lambda d: True, now=NOW)
    assert (check.status, revoked) == (CheckStatus.WARN, None)


def test_status_list_2021_without_multibase_prefix():
    encoded = encode_status_list({3})[1:]  # StatusList2021 lists carry bare base64url
    document = {
        "type": ["VerifiableCredential", "StatusList2021Credential"],
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"type": "StatusList2021", "statusPurpose": "revocation", "encodedList": encoded},
    }
    fetcher = TableFetcher({"https://issuer.example/sl": json.dumps(document).encode()})
    for index, expected in ((3, True), (4, False)):
        _, revoked = check_status(
            _entry(index, "https://issuer.example/sl", "StatusList2021Entry"),
            fetcher=fetcher,
            verify_list=lambda d: True,
            now=NOW,
        )
        assert revoked is expected


def test_suspension_bit_reports_suspended():
    document = _own_list({9})
    document["credentialSubject"]["statusPurpose"] = "suspension"
    credential = _entry(9)
    credential["credentialStatus"]["statusPurpose"] = "suspension"
    fetcher = TableFetcher({"https://issuer.example/status/1": json.dumps(document).encode()})
    check, revoked = check_status(credential, fetcher=fetcher, verify_list=lambda d: True, now=NOW)
    assert (check.status, revoked) == (CheckStatus.FAIL, True)
    assert "suspended" in check.detail


def test_1edtech_revocation_list():
    listing = {
        "id": "https://issuer.example/revocations",
        "issuer": "https://issuer.example",
        "revokedCredentials": [{"id": "urn:uuid:gone", "revocationReason": "issued in error"}],
    }
    fetcher = TableFetcher({"https://issuer.example/revocations": json.dumps(listing).encode()})
    status = {"id": "https://issuer.example/revocations", "type": "1EdTechRevocationList"}
    check, revoked = check_status(
        {"id": "urn:uuid:gone", "credentialStatus": status}, fetcher=fetcher, verify_list=lambda d: True, now=NOW
    )
    assert (check.status, revoked) == (CheckStatus.FAIL, True)
    check, revoked = check_status(
        {"id": "urn:uuid:kept", "credentialStatus": status}, fetcher=fetcher, verify_list=lambda d: True, now=NOW
    )
    assert (check.status, revoked) == (CheckStatus.PASS, False)


def test_no_status_is_skipped_and_unknown_method_is_a_warning():
    check, revoked = check_status({"id": "x"}, fetcher=TableFetcher({}), verify_list=lambda d: True, now=NOW)
    assert (check.status, revoked) == (CheckStatus.SKIP, None)
    check, revoked = check_status(
        {"credentialStatus": {"type": "CredentialStatusList2017"}},
        fetcher=TableFetcher({}),
        verify_list=lambda d: True,
        now=NOW,
    )
    assert (check.status, revoked) == (CheckStatus.WARN, None)
    assert "unsupported status method" in check.detail


@pytest.mark.parametrize(
    "name, message",
    [
        ("status-list-not-base64.txt", "not base64url"),
        ("status-list-not-gzip.txt", "not GZIP"),
        ("status-list-gzip-bomb.txt", "larger than"),
    ],
)
def test_hostile_encoded_lists_are_refused(name, message):
    with pytest.raises(StatusListError, match=message):
        decode_status_list((NASTY / name).read_text())


def test_truncated_gzip_is_refused():
    whole = encode_status_list({1})
    with pytest.raises(StatusListError):
        decode_status_list(whole[: len(whole) // 2])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: "u" + gzip.compress(b).hex())))
def test_decoding_arbitrary_text_only_raises_status_list_error(text):
    try:
        bits = decode_status_list(text)
    except StatusListError:
        return
    assert isinstance(bits, bytes) and bits


@settings(max_examples=100, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=8 * 64 - 1), max_size=20))
def test_encode_decode_round_trip(indexes):
    bits = decode_status_list(encode_status_list(indexes, size=8 * 64))
    assert {i for i in range(8 * 64) if bit_is_set(bits, i)} == indexes


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=12), kids, max_size=4),
        max_leaves=20,
    )
)
def test_check_status_on_arbitrary_credential_status_always_returns(value):
    check, revoked = check_status(
        {"credentialStatus": value}, fetcher=TableFetcher({}), verify_list=lambda d: True, now=NOW
    )
    assert check.name == "status" and revoked in (True, False, None)


_status_vocabulary = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-5, max_value=200000)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "BitstringStatusListEntry",
            "StatusList2021Entry",
            "1EdTechRevocationList",
            "revocation",
            "suspension",
            "https://issuer.example/status/1",
            "7",
            "2020-01-01T00:00:00Z",
            "BitstringStatusListCredential",
            "BitstringStatusList",
            encode_status_list({7}),
        ]
    ),
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "id",
                    "statusPurpose",
                    "statusListIndex",
                    "statusListCredential",
                    "encodedList",
                    "credentialSubject",
                    "validFrom",
                    "validUntil",
                    "revokedCredentials",
                    "proof",
                ]
            ),
            kids,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(_status_vocabulary, _status_vocabulary)
def test_check_status_with_hostile_entries_and_lists_always_returns(entry, served):
    fetcher = TableFetcher({"https://issuer.example/status/1": json.dumps(served).encode()})
    check, revoked = check_status(
        {"id": "urn:x", "credentialStatus": entry}, fetcher=fetcher, verify_list=lambda d: True, now=NOW
    )
    assert check.name == "status" and revoked in (True, False, None)
    if revoked is False:  # "not revoked" only ever comes from a list that passed every check
        assert check.status is CheckStatus.PASS


def test_multi_bit_entries_are_not_read_as_one_bit():
    fetcher = TableFetcher({"https://issuer.example/status/1": json.dumps(_own_list({4})).encode()})
    credential = _entry(2)
    credential["credentialStatus"]["statusSize"] = 2
    check, revoked = check_status(credential, fetcher=fetcher, verify_list=lambda d: True, now=NOW)
    assert (check.status, revoked) == (CheckStatus.WARN, None)
    assert "statusSize" in check.detail
