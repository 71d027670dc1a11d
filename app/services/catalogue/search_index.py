"""Keeping the hub's full-text index in step with what is published.

SQLite: two FTS5 tables of published versions (rowid = micro_credentials.id), stemmed words
and words as written. PostgreSQL: the stored, GIN-indexed search_vector column. Called by
app.services.catalogue.lifecycle on publish and retire; rebuild_search_index() redoes it all.
"""

from __future__ import annotations

from sqlalchemy import func, select, text

from app.extensions import db
from app.models import MicroCredential, RecordStatus
from app.models.catalogue import FTS_TABLE, FTS_WORDS_TABLE, PG_SEARCH_DOCUMENT


def dialect() -> str:
    return db.session.get_bind().dialect.name


def index_record(record: MicroCredential) -> None:
    """Add or refresh a published version in the full-text index (FTS5 table or stored vector)."""
    if dialect() == "postgresql":
        db.session.execute(
            text(f"UPDATE micro_credentials SET search_vector = {PG_SEARCH_DOCUMENT} WHERE id = :id"), {"id": record.id}
        )
        return
    unindex_record(record)
    for table in (FTS_TABLE, FTS_WORDS_TABLE):
        db.session.execute(
            text(f"INSERT INTO {table} (rowid, title, body) VALUES (:id, :title, :body)"),
            {"id": record.id, "title": record.title, "body": record.search_text or ""},
        )


def unindex_record(record: MicroCredential) -> None:
    """Remove a version from the full-text index (retired or withdrawn)."""
    if dialect() == "postgresql":
        db.session.execute(text("UPDATE micro_credentials SET search_vector = NULL WHERE id = :id"), {"id": record.id})
        return
    for table in (FTS_TABLE, FTS_WORDS_TABLE):
        db.session.execute(text(f"DELETE FROM {table} WHERE rowid = :id"), {"id": record.id})


def rebuild_search_index() -> int:
    """Rebuild the full-text index from the published versions; returns how many."""
    if dialect() == "postgresql":
        db.session.execute(
            text(
                f"UPDATE micro_credentials SET search_vector = CASE WHEN status = 'published' "
                f"THEN {PG_SEARCH_DOCUMENT} END"
            )
        )
    else:
        for table in (FTS_TABLE, FTS_WORDS_TABLE):
            db.session.execute(text(f"DELETE FROM {table}"))
            db.session.execute(
                text(
                    f"INSERT INTO {table} (rowid, title, body) SELECT id, title, search_text "
                    "FROM micro_credentials WHERE status = 'published'"
                )
            )
    return (
        db.session.scalar(
            select(func.count()).select_from(MicroCredential).where(MicroCredential.status == RecordStatus.PUBLISHED)
        )
        or 0
    )
