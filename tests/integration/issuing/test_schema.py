"""Issued badges pass the 1EdTech OB 3.0 AchievementCredential JSON Schema they name, read in
place from the shared conformance folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.openbadges.schema import check_schema
from tests.factories.issuing import award, provider_with_record

SCHEMAS = Path(__file__).resolve().parents[3] / ".." / "shared" / "conformance" / "1edtech-ob3"


@pytest.mark.skipif(
    not (SCHEMAS / "ob_v3p0_achievementcredential_schema.json").is_file(),
    reason="../shared/conformance/1edtech-ob3 is missing (CI always has it)",
)
@pytest.mark.parametrize("credits", [12, None])
def test_issued_badge_passes_the_1edtech_schema(app, credits):
    provider, coordinator, record = provider_with_record(scqf_credits=credits, notional_hours=30)
    issued = award(provider, coordinator, record, evidence_url="https://portfolio.example/x")
    check = check_schema(issued.credential, schema_dir=SCHEMAS)
    assert check.status == "pass", check.detail
    broken = issued.credential
    broken["credentialSubject"]["achievement"].pop("criteria")
    assert check_schema(broken, schema_dir=SCHEMAS).status == "fail"
