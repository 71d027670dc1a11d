"""Keeping the hub's full-text index in step with what is published.

SQLite: two FTS5 tables of published versions (rowid = micro_credentials.id), stemmed words
and words as written. PostgreSQL: the stored, GIN-indexed search_vector column. On both, the
vocabulary (search_terms: each word of the published versions and how many say it), which "Did
you mean" suggestions come from. Called by app.services.catalogue.lifecycle on publish and
retire; rebuild_search_index() redoes it all.
"""

from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models import MicroCredential, RecordStatus, SearchTerm
from app.models.catalogue import FTS_TABLE, FTS_WORDS_TABLE, PG_SEARCH_DOCUMENT

# Vocabulary words: letters only (no codes or numbers), 3 to 60 long, lower case, no stop words.
_WORD = re.compile(r"[^\W\d_]{3,60}", re.UNICODE)
_STOP_WORDS = frozenset("and are for from into the with your you this that these those".split())


def dialect() -> str:
    return db.session.get_bind().dialect.name


def vocabulary_of(*texts: str | None) -> set[str]:
    """The distinct vocabulary words of some text (a record's title and search text)."""
    return {w.lower() for t in texts for w in _WORD.findall(t or "")} - _STOP_WORDS


def _count_terms(terms: set[str], step: int) -> None:
    """Add `step` (1 or -1) to each term's frequency; a term no published version says goes."""
    if not terms:
        return
    if step > 0:
        upsert = pg_insert if dialect() == "postgresql" else sqlite_insert
        stmt = upsert(SearchTerm).values([{"term": t, "frequency": step} for t in sorted(terms)])
        db.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[SearchTerm.term], set_={"frequency": SearchTerm.frequency + stmt.excluded.frequency}
            )
        )
        return
    db.session.execute(
        update(SearchTerm).where(SearchTerm.term.in_(terms)).values(frequency=SearchTerm.frequency + step),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        delete(SearchTerm).where(SearchTerm.term.in_(terms), SearchTerm.frequency <= 0),
        execution_options={"synchronize_session": False},
    )


def index_record(record: MicroCredential) -> None:
    """Add a newly published version to the full-text index (FTS5 table or stored vector) and
    its words to the vocabulary. Called once per version, when it is published."""
    _count_terms(vocabulary_of(record.title, record.search_text), 1)
    if dialect() == "postgresql":
        db.session.execute(
            text(f"UPDATE micro_credentials SET search_vector = {PG_SEARCH_DOCUMENT} WHERE id = :id"), {"id": record.id}
        )
        return
    _remove_fts_rows(record)
    for table in (FTS_TABLE, FTS_WORDS_TABLE):
        db.session.execute(
            text(f"INSERT INTO {table} (rowid, title, body) VALUES (:id, :title, :body)"),
            {"id": record.id, "title": record.title, "body": record.search_text or ""},
        )


def unindex_record(record: MicroCredential) -> None:
    """Remove a version from the full-text index and its words from the vocabulary (retired)."""
    _count_terms(vocabulary_of(record.title, record.search_text), -1)
    if dialect() == "postgresql":
        db.session.execute(text("UPDATE micro_credentials SET search_vector = NULL WHERE id = :id"), {"id": record.id})
        return
    _remove_fts_rows(record)


def _remove_fts_rows(record: MicroCredential) -> None:
    for table in (FTS_TABLE, FTS_WORDS_TABLE):
        db.session.execute(text(f"DELETE FROM {table} WHERE rowid = :id"), {"id": record.id})


def _rebuild_vocabulary() -> None:
    counts: Counter[str] = Counter()
    published = select(MicroCredential.title, MicroCredential.search_text).where(
        MicroCredential.status == RecordStatus.PUBLISHED
    )
    for title, body in db.session.execute(published):
        counts.update(vocabulary_of(title, body))
    db.session.execute(delete(SearchTerm))
    if counts:
        db.session.execute(insert(SearchTerm), [{"term": t, "frequency": n} for t, n in sorted(counts.items())])


def rebuild_search_index() -> int:
    """Rebuild the full-text index and the vocabulary from the published versions; returns how many."""
    _rebuild_vocabulary()
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
