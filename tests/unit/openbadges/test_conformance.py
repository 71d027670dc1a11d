"""Every DCC vc-test-fixtures row of ../shared/conformance/README.txt, through :func:`verify`.

The expectations are read from the README table itself (signature, status and expiry
columns), so a row cannot be skipped silently. The date is fixed in 2026, as the
README's expiry column is. Rows marked CANON-ERROR(missing ctx) need contexts the
README's own context set lacked (status/v1, dcc/v1, OB extensions); this engine bundles
them from their npm packages, so those signatures must verify here. Failing closed on
a context that is *not* bundled is tested with the W3C employment vector instead.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.openbadges.result import CheckStatus, Verdict
from app.openbadges.verify import verify
from tests.support.openbadges import (
    CONFORMANCE,
    DCC,
    EDDSA,
    OB3,
    TableFetcher,
    load,
    needs_conformance,
    ob3_key_override,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)
UNTRUSTED_LISTS = {"expired", "notYetValid", "missingBitStringType", "tampered"}
_ROW = re.compile(r"^\s+(v[12]/\S+\.json) \| (.+?) \| (.+?) \| (.+?) \|")


def _rows() -> list[tuple[str, str, str, str]]:
    readme = CONFORMANCE / "README.txt"
    if not readme.is_file():
        return []
    return [m.groups() for line in readme.read_text().splitlines() if (m := _ROW.match(line))]


ROWS = _rows()


UNTRUSTWORTHY_LISTS = ("expired", "notYetValid", "missingBitStringType", "tampered")


def _expected_verdict(signature: str, status: str, expiry: str) -> Verdict:
    if "INVALID-SIG" in signature:
        return Verdict.INVALID
    if "NO-OFFLINE-KEY" in signature:
        return Verdict.UNVERIFIABLE
    if status.endswith("=REVOKED"):
        return Verdict.REVOKED
    if expiry.startswith("EXPIRED"):
        return Verdict.EXPIRED
    if "NOT-YET-VALID" in expiry:
        return Verdict.INVALID
    if any(f"Entry:{bad}#" in status for bad in UNTRUSTWORTHY_LISTS):
        # README: credentials using these lists get "cannot determine", never "not revoked".
        return Verdict.UNVERIFIABLE
    return Verdict.VALID


@needs_conformance
def test_the_readme_table_was_found():
    assert len(ROWS) > 80


@needs_conformance
@pytest.mark.parametrize("name,signature,status,expiry", ROWS, ids=[r[0] for r in ROWS])
def test_dcc_fixture(name, signature, status, expiry):
    result = verify((DCC / "verifiableCredentials" / name).read_bytes(), fetcher=TableFetcher(), now=NOW)
    checks = {c.name: c for c in result.checks}

    if "INVALID-SIG" in signature:
        assert checks["proof"].status is CheckStatus.FAIL
    elif "NO-OFFLINE-KEY" in signature:
        assert checks["proof"].status is CheckStatus.WARN
        assert "cannot resolve the signing key" in checks["proof"].detail
    else:
        assert checks["proof"].status is CheckStatus.PASS, checks["proof"].detail
        suites = re.findall(r"([\w-]+)=VALID", signature)
        for suite in suites:
            assert suite in checks["proof"].detail
        assert checks["issuer_binding"].status is CheckStatus.PASS

    if checks["proof"].status is not CheckStatus.PASS:
        # Without a valid proof the dates, status entry and issuer are only claims: none of
        # them is checked or shown as passed.
        for name in ("issuer_binding", "validity_window", "status", "recipient", "issuer_known"):
            assert checks[name].status is CheckStatus.NOT_APPLICABLE, name
        assert result.verdict is _expected_verdict(signature, status, expiry)
        return

    if status.strip() == "none":
        assert checks["status"].status is CheckStatus.SKIP
    else:
        list_name = status.split(":")[1].split("#")[0]
        if list_name in UNTRUSTED_LISTS:
            assert checks["status"].status is CheckStatus.WARN, checks["status"].detail
            assert "could not check revocation" in checks["status"].detail
        elif status.endswith("=REVOKED"):
            assert checks["status"].status is CheckStatus.FAIL
        else:
            assert checks["status"].status is CheckStatus.PASS, checks["status"].detail

    window = checks["validity_window"].status
    if expiry.startswith("EXPIRED") or "NOT-YET-VALID" in expiry:
        assert window is CheckStatus.FAIL
    else:
        assert window is CheckStatus.PASS
    assert result.verdict is _expected_verdict(signature, status, expiry)


@needs_conformance
def test_w3c_vectors_verify_but_their_keys_are_not_the_issuers():
    result = verify(load(EDDSA / "eddsa-rdfc-2022/signedDataInt.json"), fetcher=TableFetcher(), now=NOW)
    checks = {c.name: c.status for c in result.checks}
    assert checks["proof"] is CheckStatus.PASS
    assert checks["issuer_binding"] is CheckStatus.FAIL  # did:key signer, https issuer
    assert result.verdict is Verdict.INVALID


@needs_conformance
def test_unbundled_context_makes_the_verdict_unverifiable():
    result = verify(load(EDDSA / "eddsa-rdfc-2022/employ/signedDataInt.json"), fetcher=TableFetcher(), now=NOW)
    assert result.verdict is Verdict.UNVERIFIABLE
    assert "citizenship/v4rc1 is not bundled; cannot verify offline" in result.check("proof").detail


@needs_conformance
def test_ob3_spec_example_is_valid_with_its_published_key():
    result = verify(
        (OB3 / "ob3-spec-signed-eddsa-rdfc-2022.json").read_bytes(),
        fetcher=TableFetcher(),
        now=NOW,
        key_overrides=ob3_key_override(),
    )
    assert result.verdict is Verdict.VALID
    assert result.issuer.name == "Example Corp"
    assert result.achievement.name == "Teamwork"
    assert result.to_json()["checks"][0] == {"name": "parse", "status": "pass", "detail": "a Verifiable Credential"}


@needs_conformance
def test_ob3_spec_example_without_its_key_could_not_be_verified():
    result = verify((OB3 / "ob3-spec-signed-eddsa-rdfc-2022.json").read_bytes(), fetcher=TableFetcher(), now=NOW)
    assert result.verdict is Verdict.UNVERIFIABLE


@needs_conformance
def test_identity_by_name_cannot_be_matched_with_an_email():
    path = DCC / "verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-identityHash.json"
    credential = load(path)
    assert credential["credentialSubject"]["identifier"]["identityType"] == "name"
    result = verify(credential, fetcher=TableFetcher(), now=NOW, recipient_email="parker@example.org")
    assert result.recipient_match is None
    assert result.check("recipient").status is CheckStatus.WARN
    assert result.verdict is Verdict.VALID
