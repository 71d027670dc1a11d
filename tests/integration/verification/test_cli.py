"""`flask verify PATH_OR_URL [--recipient EMAIL] [--json]`: one JSON object, exit 0 only when valid."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.models.verifications import Verification
from tests.factories.accounts import OrganisationFactory
from tests.factories.verification import (
    CANDIDATE,
    DCC_EXPIRED,
    BadgeServer,
    baked_png,
    issued_badge,
)
from tests.support.openbadges import needs_conformance


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def _run(*args):
        return runner.invoke(args=["verify", *args])

    return _run


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return str(path)


def test_json_output_shape_and_exit_zero_when_valid(run, tmp_path):
    result = run(_write(tmp_path, "badge.json", json.dumps(issued_badge())), "--recipient", CANDIDATE, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)  # exactly one JSON object, nothing else on stdout
    assert data["verdict"] == "valid" and data["format"] == "ob3-di" and data["recipient_match"] is True
    assert set(data["issuer"]) >= {"id", "name"} and data["achievement"]["name"] == "Data Analysis with Python"
    assert data["checks"] and all(set(c) == {"name", "status", "detail"} for c in data["checks"])
    statuses = {"pass", "fail", "warn", "skip", "not_applicable", "not_configured"}
    assert {c["status"] for c in data["checks"]} <= statuses


def test_baked_png_and_readable_summary(run, tmp_path):
    result = run(_write(tmp_path, "badge.png", baked_png()))
    assert result.exit_code == 0
    assert "Verdict:     VALID" in result.output and "[PASS] proof" in result.output
    assert "Recipient:   not checked" in result.output


def test_recipient_mismatch_exits_non_zero(run, tmp_path):
    result = run(_write(tmp_path, "badge.json", json.dumps(issued_badge())), "--recipient", "x@example.org", "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["verdict"] == "invalid" and data["recipient_match"] is False


@needs_conformance
def test_expired_published_fixture(run):
    result = run(str(DCC_EXPIRED), "--json")
    assert result.exit_code == 1 and json.loads(result.output)["verdict"] == "expired"


def test_garbage_and_missing_files(run, tmp_path):
    result = run(_write(tmp_path, "junk.txt", "not a badge at all"), "--json")
    assert result.exit_code == 1 and json.loads(result.output)["verdict"] in ("invalid", "unverifiable")
    result = run(str(tmp_path / "absent.json"), "--json")
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert data["verdict"] == "unverifiable" and "neither a file nor" in data["checks"][0]["detail"]


def test_url_through_the_safe_fetcher(run, private_networks):
    with BadgeServer({"/b.json": json.dumps(issued_badge()).encode()}) as server:
        result = run(server.url("/b.json"), "--json")
    assert result.exit_code == 0 and json.loads(result.output)["verdict"] == "valid"


def test_url_to_loopback_is_refused_by_default(run):
    with BadgeServer({"/b.json": json.dumps(issued_badge()).encode()}) as server:
        result = run(server.url("/b.json"), "--json")
    data = json.loads(result.output)
    assert result.exit_code == 1 and data["verdict"] == "unverifiable"
    assert "loopback" in json.dumps(data["checks"])


def test_purge_anonymous_results_keeps_organisations_and_recent_ones(app):
    org = OrganisationFactory()
    old = datetime.now(UTC) - timedelta(days=40)
    for token, org_id, when in (
        ("old-anon", None, old),
        ("new-anon", None, datetime.now(UTC)),
        ("old-org", org.id, old),
    ):
        db.session.add(
            Verification(
                token=token,
                organisation_id=org_id,
                source="paste",
                verdict="valid",
                format="ob3-di",
                result={},
                created_at=when,
            )
        )
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["verifications", "purge-anonymous", "--days", "30"])
    assert result.exit_code == 0 and "Deleted 1 anonymous" in result.output
    assert {v.token for v in db.session.query(Verification)} == {"new-anon", "old-org"}
