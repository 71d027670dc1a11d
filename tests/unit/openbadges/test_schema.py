"""The "schema" check against 1EdTech's OB 3.0 JSON Schemas (read in place from conformance)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from app.openbadges.result import CheckStatus
from app.openbadges.schema import check_schema

CONFORMANCE = Path(__file__).resolve().parents[3] / ".." / "shared" / "conformance"
SCHEMAS = CONFORMANCE / "1edtech-ob3"
V2 = CONFORMANCE / "dcc-vc-test-fixtures" / "verifiableCredentials" / "v2"
pytestmark = pytest.mark.skipif(not SCHEMAS.is_dir(), reason="../shared/conformance is absent (CI always has it)")

WITH_SCHEMA = V2 / "dataIntegrityProof/didKey/legacyRegistry-noStatus-notExpired-withSchema.json"
ENDORSEMENT = V2 / "bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement-withSchema.json"
BAD_SCHEMA = V2 / "dataIntegrityProof/didKey/twoOIDF-revoked-notExpired-badSchema.json"


def _load(path: Path) -> dict:
    return json.loads(path.read_text())


def test_declared_achievement_schema_passes():
    check = check_schema(_load(WITH_SCHEMA), schema_dir=SCHEMAS)
    assert check.name == "schema"
    assert check.status is CheckStatus.PASS, check.detail


def test_declared_endorsement_schema_passes():
    check = check_schema(_load(ENDORSEMENT), schema_dir=SCHEMAS)
    assert check.status is CheckStatus.PASS, check.detail


def test_breaking_a_required_field_fails_with_its_path():
    credential = copy.deepcopy(_load(WITH_SCHEMA))
    del credential["credentialSubject"]["achievement"]["criteria"]
    check = check_schema(credential, schema_dir=SCHEMAS)
    assert check.status is CheckStatus.FAIL
    assert "/credentialSubject/achievement" in check.detail and "criteria" in check.detail


def test_without_the_schema_files_the_check_is_not_configured_never_passed(tmp_path):
    check = check_schema(_load(WITH_SCHEMA), schema_dir=tmp_path)
    assert check.status is CheckStatus.NOT_CONFIGURED
    assert check.detail == "not configured: this verifier holds no copy of ob_v3p0_achievementcredential_schema.json"


def test_bad_schema_fixture_declares_no_schema_so_it_is_skipped_by_default():
    assert check_schema(_load(BAD_SCHEMA), schema_dir=SCHEMAS).status is CheckStatus.SKIP


def test_bad_schema_fixture_fails_the_schema_its_type_implies():
    # README.txt expects this fixture to fail the OB 3.0 schema; it declares none, so the
    # inferred check reports the failure as a warning rather than invalidating the badge.
    check = check_schema(_load(BAD_SCHEMA), schema_dir=SCHEMAS, infer=True)
    assert check.status is CheckStatus.WARN
    assert "validFrom" in check.detail


def test_unknown_schema_is_a_warning_and_never_fetched():
    credential = copy.deepcopy(_load(WITH_SCHEMA))
    credential["credentialSchema"] = [{"id": "https://attacker.example/schema.json", "type": "JsonSchema"}]
    check = check_schema(credential, schema_dir=SCHEMAS)  # no fetcher exists to call
    assert check.status is CheckStatus.WARN
    assert "unknown schema" in check.detail


def test_one_failing_schema_among_several_fails_the_check():
    credential = copy.deepcopy(_load(WITH_SCHEMA))
    credential["credentialSchema"] = [
        credential["credentialSchema"][0]
        if isinstance(credential["credentialSchema"], list)
        else credential["credentialSchema"],
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        },
    ]
    check = check_schema(credential, schema_dir=SCHEMAS)
    assert check.status is CheckStatus.FAIL
    assert "endorsementcredential" in check.detail


@pytest.mark.parametrize("value", [None, 5, "x", [1, None], {"id": 3}, [{"type": "JsonSchema"}]])
def test_odd_credential_schema_values_do_not_crash(value):
    check = check_schema({"credentialSchema": value}, schema_dir=SCHEMAS)
    assert check.status in (CheckStatus.SKIP, CheckStatus.WARN)
