"""The data version: a token that changes whenever anything people see in the database changes.

Pages kept in the shared cache (app/blueprints/page_cache.py) and other things kept across
requests (the team filters' line managers) put the token in their keys, so a write anywhere makes every such copy unreachable: a
cached page is never older than the data it was made from. The token lives in the same shared
cache (Redis, or files shared by a machine's workers), so a write in one process is seen by all.

Every statement the engine sends that writes (INSERT, UPDATE, DELETE and the like, from ORM
flushes, bulk statements or plain SQL) counts, except on the tables below, which no cached page
shows. The token changes:
- at the transaction's commit or rollback (or a savepoint's rollback), once per transaction that
  wrote, so other processes see the change the moment its data becomes visible to them;
- and at a write, if this process handed the token out since it last changed it: a reader on the
  same connection (a test, or a request after its own flush) sees uncommitted rows too.

A reader asks for the token before it reads the data it caches; so a copy can only ever be filed
under a token older than its data, never newer.
"""

from __future__ import annotations

import logging
import re
import secrets

from flask import Flask
from sqlalchemy import event

from app.extensions import cache

# Writes that change nothing a cached page shows: sign-in bookkeeping and search statistics.
# (Audit events are not here: the audit log is not cached, but they come with real changes.)
IGNORED_TABLES = frozenset({"sign_in_sessions", "sign_in_throttles", "password_reset_tokens", "search_terms"})

log = logging.getLogger(__name__)
_KEY = "data-version"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "TRUNCATE", "COPY")
_TABLE = re.compile(r'^\s*(?:insert\s+into|update|delete\s+from)\s+"?(\w+)', re.IGNORECASE)
_WRITE_IN_WITH = re.compile(r"\b(?:insert\s+into|update|delete\s+from)\b", re.IGNORECASE)
_handed_out: set[int] = set()  # the caches whose token this process gave to a reader since it changed


def current() -> str:
    """The token now; a fresh one when the cache has none (first use, or evicted), and a new one
    each time while the cache cannot be reached (so nothing is served from it)."""
    backend = cache.cache
    try:
        token = backend.get(_KEY)
        if token is None:
            token = secrets.token_hex(8)
            if not backend.add(_KEY, token, timeout=0):
                token = backend.get(_KEY) or token
    except Exception:  # noqa: BLE001  (Redis down: pages are worked out, never refused)
        log.warning("The cache cannot be reached: pages are worked out without it", exc_info=True)
        return secrets.token_hex(8)
    _handed_out.add(id(backend))
    return token


def init_app(app: Flask, engine) -> None:
    """Watch `engine`'s writes and change the token in `app`'s cache."""

    def change() -> None:
        backend = app.extensions["cache"][cache]
        _handed_out.discard(id(backend))
        try:
            backend.set(_KEY, secrets.token_hex(8), timeout=0)
        except Exception:  # noqa: BLE001  (a write never fails for the cache's sake; copies expire)
            log.warning("The cache cannot be reached: cached pages stay until they expire", exc_info=True)

    @event.listens_for(engine, "before_cursor_execute")
    def on_execute(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        verb = statement[:40].lstrip()[:8].upper()
        if not verb.startswith(_WRITES) and not (verb.startswith("WITH") and _WRITE_IN_WITH.search(statement)):
            return
        table = _TABLE.match(statement)
        if table and table.group(1).lower() in IGNORED_TABLES:
            return
        conn.info["wrote"] = True
        if id(app.extensions["cache"][cache]) in _handed_out:
            change()

    def on_end(conn) -> None:
        if conn.info.pop("wrote", False):
            change()

    event.listen(engine, "commit", on_end)
    event.listen(engine, "rollback", on_end)

    @event.listens_for(engine, "rollback_savepoint")
    def on_savepoint_rollback(conn, _name, _context) -> None:
        if conn.info.get("wrote"):
            change()  # what a reader on this connection saw is gone
