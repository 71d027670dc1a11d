"""1EdTech's OB 3.0 JSON Schemas: "not configured" (never a warning) until an operator provides
them, by `flask verify fetch-schemas DIR` or by OB_SCHEMA_URL. The test server serves the
published copies kept in ../shared/conformance, read in place."""

from __future__ import annotations

import json
import re

import pytest

from app.services.verification import schemas
from tests.factories.verification import BadgeServer, issued_badge
from tests.integration.verification.test_public import _result, _verify
from tests.support.openbadges import CONFORMANCE, needs_conformance

FILES = ("ob_v3p0_achievementcredential_schema.json", "ob_v3p0_endorsementcredential_schema.json")


def _published() -> dict[str, bytes]:
    return {f"/schemas/{name}": (CONFORMANCE / "1edtech-ob3" / name).read_bytes() for name in FILES}


def _schema_row(html: str) -> str:
    match = re.search(r"Structure \(JSON Schema\)\s*</th>(.*?)</tr>", html, re.S)
    assert match
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


@pytest.fixture
def no_schemas(app, monkeypatch):
    monkeypatch.setitem(app.config, "OB_SCHEMA_DIR", None)
    monkeypatch.setitem(app.config, "OB_SCHEMA_URL", None)


def test_without_schemas_the_check_says_not_configured_not_warning(client, no_schemas):
    html, _ = _result(client, _verify(client, credential_text=json.dumps(issued_badge())))
    row = _schema_row(html)
    assert "Not configured" in row and "Warning" not in row
    assert "Valid badge" in html


@needs_conformance
def test_fetch_schemas_command_saves_the_files_and_the_check_then_passes(
    app, client, no_schemas, private_networks, tmp_path, monkeypatch
):
    folder = tmp_path / "ob-schemas"
    with BadgeServer(_published()) as server:
        result = app.test_cli_runner().invoke(
            args=["verify", "fetch-schemas", str(folder), "--from", server.url("/schemas/")]
        )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    assert f"Set OB_SCHEMA_DIR={folder.resolve()}" in result.output
    monkeypatch.setitem(app.config, "OB_SCHEMA_DIR", str(folder))
    html, _ = _result(client, _verify(client, credential_text=json.dumps(issued_badge())))
    assert "Passed" in _schema_row(html) and "conforms to ob_v3p0_achievementcredential_schema.json" in html


def test_fetch_schemas_refuses_what_is_not_a_schema_and_writes_nothing(app, private_networks, tmp_path):
    folder = tmp_path / "ob-schemas"
    routes = {f"/schemas/{name}": b"<html>not json</html>" for name in FILES}
    with BadgeServer(routes) as server:
        result = app.test_cli_runner().invoke(
            args=["verify", "fetch-schemas", str(folder), "--from", server.url("/schemas/")]
        )
    assert result.exit_code != 0
    assert "is not a JSON Schema" in result.output
    assert not folder.exists()


def test_fetch_schemas_reports_a_missing_file(app, private_networks, tmp_path):
    with BadgeServer({}) as server:
        result = app.test_cli_runner().invoke(
            args=["verify", "fetch-schemas", str(tmp_path / "x"), "--from", server.url("/schemas/")]
        )
    assert result.exit_code != 0 and "answered HTTP 404" in result.output


@needs_conformance
def test_with_ob_schema_url_the_first_verification_fetches_them_once(
    app, client, no_schemas, private_networks, tmp_path, monkeypatch
):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    monkeypatch.setattr(schemas, "_tried", set())
    with BadgeServer(_published()) as server:
        monkeypatch.setitem(app.config, "OB_SCHEMA_URL", server.url("/schemas/"))
        first, _ = _result(client, _verify(client, credential_text=json.dumps(issued_badge())))
        second, _ = _result(client, _verify(client, credential_text=json.dumps(issued_badge())))
    assert "Passed" in _schema_row(first) and "Passed" in _schema_row(second)
    assert sorted(server.requested) == sorted(f"/schemas/{name}" for name in FILES)  # fetched once
    assert (tmp_path / "ob-schemas" / FILES[0]).is_file()


def test_verify_help_lists_fetch_schemas(app):
    result = app.test_cli_runner().invoke(args=["verify", "--help"])
    assert result.exit_code == 0 and "fetch-schemas" in result.output
