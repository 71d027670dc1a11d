"""PostgreSQL for a parallel run: each pytest-xdist worker gets a database of its own
(`test_gw0`, `test_gw1`, ...) on the server TEST_DATABASE_URL names, made on first use, so workers
never drop each other's tables. SQLite runs need nothing: each worker has its own in-memory one."""

from __future__ import annotations

import os
import time

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError


def use_own_database_per_worker() -> None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url.startswith("postgres") or not worker:
        return
    parsed = make_url(
        url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    )
    name = f"{parsed.database}_{worker}"
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        for attempt in range(10):
            try:
                with admin.connect() as conn:
                    if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                        conn.execute(text(f'CREATE DATABASE "{name}"'))
                break
            except OperationalError:
                # Two workers copying template1 at the same moment: one waits and tries again.
                if attempt == 9:
                    raise
                time.sleep(0.5)
    finally:
        admin.dispose()
    os.environ["TEST_DATABASE_URL"] = parsed.set(database=name).render_as_string(hide_password=False)
