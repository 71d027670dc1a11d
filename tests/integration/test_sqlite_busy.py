"""The embedded SQLite database: write-ahead logging for a database file, and a clear "try again"
page (503) when a write still finds the database locked (issue 11, item 6)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db

pytestmark = pytest.mark.no_transaction


@pytest.fixture
def file_app(tmp_path):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'busy.db'}", SQLALCHEMY_ENGINE_OPTIONS={})

    @app.get("/_locked")
    def locked():
        raise OperationalError("UPDATE users ...", {}, sqlite3.OperationalError("database is locked"))

    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_a_database_file_uses_write_ahead_logging(file_app):
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_a_locked_database_asks_the_person_to_try_again(file_app):
    response = file_app.test_client().get("/_locked")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Credwork is busy" in page and "try again" in page
