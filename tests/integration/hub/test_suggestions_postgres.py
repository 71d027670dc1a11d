"""On PostgreSQL, "Did you mean" asks pg_trgm, through its trigram index; its figures are the ones
the SQLite backend computes in Python, so both databases suggest the same words."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from app.extensions import db
from app.services.catalogue.suggestions import similarity, suggest

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
        reason="pg_trgm is PostgreSQL's: set TEST_DATABASE_URL",
    ),
]


def test_the_vocabulary_has_a_trigram_index():
    definition = db.session.scalar(
        text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_search_terms_term_trgm'")
    )
    assert "USING gin" in definition and "gin_trgm_ops" in definition


@pytest.mark.parametrize(
    "a, b", [("pyhton", "python"), ("machne", "machine"), ("cybersecurity", "security"), ("dta", "data")]
)
def test_pg_trgm_and_the_python_similarity_agree(a, b):
    assert db.session.scalar(text("SELECT similarity(:a, :b)"), {"a": a, "b": b}) == pytest.approx(
        similarity(a, b), abs=1e-6
    )


def test_suggestions_come_from_pg_trgm(demo):
    assert db.session.get_bind().dialect.name == "postgresql"
    assert suggest("pyhton") == "python"
    assert suggest("machne learning") == "machine learning"
    assert suggest("cybersecurity") == "cyber security"
    assert suggest("zzqxv") is None
    # The threshold was set for this transaction only, for the % operator.
    assert db.session.scalar(text("SHOW pg_trgm.similarity_threshold")) == "0.25"
