"""Fixtures for job-role tests: a SQL statement counter and a small employer world."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.factories.skills import World, build_world
from tests.support.queries import uncached


class QueryCounter:
    """Counts statements sent to the database while active (SQLAlchemy before_cursor_execute)."""

    def __init__(self):
        self.statements: list[str] = []

    def _on_execute(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            self.statements.append(statement)

    @contextmanager
    def __call__(self):
        self.statements = []
        event.listen(db.engine, "before_cursor_execute", self._on_execute)
        try:
            with uncached():
                yield self
        finally:
            event.remove(db.engine, "before_cursor_execute", self._on_execute)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries():
    return QueryCounter()


@pytest.fixture
def world() -> World:
    return build_world()
