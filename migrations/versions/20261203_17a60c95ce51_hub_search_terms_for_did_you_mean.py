"""hub search terms for did you mean

Revision ID: 17a60c95ce51
Revises: 939aa72219b4
Create Date: 2026-12-03 08:39:05.197454

"""

import re
from collections import Counter

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "17a60c95ce51"
down_revision = "939aa72219b4"
branch_labels = None
depends_on = None

# The vocabulary's rule as it stood when this migration was written (the app's own lives in
# app/services/catalogue/search_index.py): lower-case words of letters, 3 to 60 long, no stop words.
_WORD = re.compile(r"[^\W\d_]{3,60}", re.UNICODE)
_STOP = frozenset("and are for from into the with your you this that these those".split())


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    terms = op.create_table(
        "search_terms",
        sa.Column("term", sa.String(length=60), nullable=False),
        sa.Column("frequency", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_terms")),
    )
    op.create_index(
        "ix_search_terms_term_trgm",
        "search_terms",
        ["term"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"term": "gin_trgm_ops"},
    )
    # The vocabulary of what is already published.
    counts: Counter[str] = Counter()
    rows = op.get_bind().execute(sa.text("SELECT title, search_text FROM micro_credentials WHERE status = 'published'"))
    for title, body in rows:
        words = {w.lower() for w in _WORD.findall(f"{title or ''}\n{body or ''}")}
        counts.update(words - _STOP)
    if counts:
        op.bulk_insert(terms, [{"term": t, "frequency": n} for t, n in sorted(counts.items())])


def downgrade():
    op.drop_index("ix_search_terms_term_trgm", table_name="search_terms")
    op.drop_table("search_terms")
    # The extension stays: other things in the database may use it.
