"""Hub test fixtures: a query counter and the demo catalogue."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.support.queries import uncached


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counter:` counts every SQL statement sent to the database."""
    from contextlib import contextmanager

    @contextmanager
    def _counting():
        counter = QueryCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            with uncached():
                yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)

    return _counting


@pytest.fixture
def demo(app):
    from tests.factories.catalogue import demo_catalogue

    demo_catalogue()
