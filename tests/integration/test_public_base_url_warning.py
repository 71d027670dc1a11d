"""Reached at another address than PUBLIC_BASE_URL, the app says so once in its log, because
every emailed and credential link would point elsewhere (issue 11, item 16)."""

from __future__ import annotations

import logging

import pytest

from app import create_app

pytestmark = pytest.mark.no_transaction


def _served(tmp_path, base_url, host):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'w.db'}", PUBLIC_BASE_URL=base_url)
    client = app.test_client()
    client.get("/accessibility", base_url=host)
    client.get("/accessibility", base_url=host)
    return app


def test_a_different_address_is_warned_about_once(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        _served(tmp_path, "https://credwork.example", "http://127.0.0.1:8000")
    warnings = [r.getMessage() for r in caplog.records if "PUBLIC_BASE_URL" in r.getMessage()]
    assert len(warnings) == 1
    assert "reached at http://127.0.0.1:8000 but PUBLIC_BASE_URL is https://credwork.example" in warnings[0]


def test_the_right_address_says_nothing(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        _served(tmp_path, "https://credwork.example", "https://credwork.example")
    assert not [r for r in caplog.records if "PUBLIC_BASE_URL" in r.getMessage()]
