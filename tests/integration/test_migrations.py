"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL, and undo cleanly.

Each database is fresh: a temporary SQLite file, and a temporary PostgreSQL database made beside
the suite's own (TEST_DATABASE_URL) so the suite's tables are never touched. The migrations run
through the real `flask db upgrade` / `flask db downgrade` commands in a child process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError

from app.extensions import db
from app.models import migration_include_object
from config import _database_url

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.no_transaction


def flask_db(url: str, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"TEST_DATABASE_URL", "CREDWORK_ENV"}}
    env.update(DATABASE_URL=url, FLASK_APP="wsgi", CREDWORK_ENV="development")
    result = subprocess.run(
        [sys.executable, "-m", "flask", "db", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"flask db {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"


# PostgreSQL joins only when the suite runs against it: CI runs the suite on both databases and
# fails any skipped test, so the SQLite run must not carry a skipped PostgreSQL case.
KINDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="module", params=KINDS)
def fresh_database(request, tmp_path_factory):
    """The URL of an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('migrations') / 'migrations.db'}"
        return
    suite_url = os.environ["TEST_DATABASE_URL"]
    name = f"credwork_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_database_url(suite_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(_database_url(suite_url)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def upgraded(fresh_database):
    flask_db(fresh_database, "upgrade")
    return fresh_database


def schema_differences(url: str) -> list:
    engine = create_engine(_database_url(url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": migration_include_object}
            )
            return compare_metadata(context, db.metadata)
    finally:
        engine.dispose()


def _flatten(differences) -> list:
    # Column modifications come grouped in a list; everything else is a tuple.
    flat = []
    for item in differences:
        flat.extend(item if isinstance(item, list) else [item])
    return flat


def test_migrations_never_disagree_with_the_models(upgraded):
    """Whatever the migrations create is what the models say: no column, type, nullability, key
    or index differs, and nothing the migrations make is missing from the models. (Additions the
    models have but no migration makes yet are the next test's business.)"""
    disagreements = [d for d in _flatten(schema_differences(upgraded)) if not d[0].startswith("add_")]
    assert disagreements == [], (
        "The migrations and the models disagree; generate a migration "
        "(flask db migrate -m '...') and review it:\n" + "\n".join(map(str, disagreements))
    )


def test_upgrade_builds_exactly_the_models(upgraded):
    differences = _flatten(schema_differences(upgraded))
    assert differences == [], (
        "The models have tables, columns or indexes no migration creates; generate a migration "
        "(flask db migrate -m '...') and review it:\n" + "\n".join(map(str, differences))
    )


def test_upgraded_audit_log_is_append_only(upgraded):
    engine = create_engine(_database_url(upgraded))
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO audit_events (occurred_at, action, subject_type, summary, details) "
                    "VALUES (CURRENT_TIMESTAMP, 'test.event', 'Thing', 'Original', '{}')"
                )
            )
        for statement in ("UPDATE audit_events SET summary = 'Rewritten'", "DELETE FROM audit_events"):
            with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
                conn.execute(text(statement))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT summary FROM audit_events")).scalar_one() == "Original"
    finally:
        engine.dispose()


def test_downgrade_to_base_removes_everything_and_upgrade_again_works(upgraded):
    flask_db(upgraded, "downgrade", "base")
    engine = create_engine(_database_url(upgraded))
    try:
        assert set(inspect(engine).get_table_names()) - {"alembic_version"} == set()
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                assert (
                    conn.execute(
                        text("SELECT count(*) FROM pg_proc WHERE proname = 'audit_events_refuse'")
                    ).scalar_one()
                    == 0
                )
        flask_db(upgraded, "upgrade")
        assert {"users", "organisations", "audit_events"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
