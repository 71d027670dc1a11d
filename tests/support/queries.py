"""Counting the SQL a page runs. Transaction control (BEGIN, SAVEPOINT, RELEASE, COMMIT) is left
out: the tests' rolled-back outer transaction turns each request's commit into savepoints, and
those say nothing about how a page scales. While counting, pages are worked out rather than
served from the page cache (tests/integration/test_page_cache.py covers that)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import event

from app.extensions import cache, db

_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "COMMIT", "ROLLBACK")


@contextmanager
def uncached() -> Iterator[None]:
    """Pages inside the block do all their work: nothing comes from the page cache, nor from
    figures cached before the block (the team summary's)."""
    cache.clear()
    kept = current_app.config.get("PAGE_CACHE_SECONDS", 0)
    current_app.config["PAGE_CACHE_SECONDS"] = 0
    try:
        yield
    finally:
        current_app.config["PAGE_CACHE_SECONDS"] = kept


@contextmanager
def counting(cold: bool = True) -> Iterator[list[str]]:
    """The statements run inside the block (queries only); `cold=False` lets pages come from the
    caches."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        if not statement.lstrip().upper().startswith(_CONTROL):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        if cold:
            with uncached():
                yield statements
        else:
            yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
