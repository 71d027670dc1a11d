"""Counting the SQL a page runs. Transaction control (BEGIN, SAVEPOINT, RELEASE, COMMIT) is left
out: the tests' rolled-back outer transaction turns each request's commit into savepoints, and
those say nothing about how a page scales."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db

_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "COMMIT", "ROLLBACK")


@contextmanager
def counting() -> Iterator[list[str]]:
    """The statements run inside the block (queries only)."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        if not statement.lstrip().upper().startswith(_CONTROL):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
