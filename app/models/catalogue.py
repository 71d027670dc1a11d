"""The micro-credential catalogue: one row per *version* of a provider's record.

A record is identified by (provider, code); each edit of a published version makes a new
version, so anything awarded keeps pointing at exactly what the learner took. Published and
retired versions are immutable (enforced below), except for the platform's quality-assurance
mark and the lifecycle columns.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import CreatedAtMixin, Model, TenantOwned, UTCDateTime, utcnow


class RecordStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


STATUS_LABELS: dict[str, str] = {
    RecordStatus.DRAFT: "Draft",
    RecordStatus.PUBLISHED: "Published",
    RecordStatus.RETIRED: "Retired",
}
STATUS_COLOURS: dict[str, str] = {
    RecordStatus.DRAFT: "yellow",
    RecordStatus.PUBLISHED: "green",
    RecordStatus.RETIRED: "grey",
}

MODES = {
    "online": "Online",
    "onsite": "On site",
    "blended": "Blended (online and on site)",
    "work-based": "Work-based",
    "volunteering": "Volunteering",
}
SUPERVISION = {
    "unsupervised-no-id": "Unsupervised, no identity check",
    "supervised-no-id": "Supervised, no identity check",
    "supervised-id": "Supervised, with an identity check",
}
QA_TYPES = {"credit-rated": "Credit-rated", "internal": "Internal quality assurance", "none": "None"}
FUNDING = {
    "fwdf": "Flexible Workforce Development Fund",
    "employer": "Employer-funded",
    "graduate-apprenticeship": "Graduate Apprenticeship funding",
}

micro_credential_skills = Table(
    "micro_credential_skills",
    db.metadata,
    Column("micro_credential_id", ForeignKey("micro_credentials.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# PostgreSQL full-text document, title weighted above everything else, plus the unstemmed
# words (weights C and D) so that a word still being typed ("weldin") matches as a prefix.
# It is stored in search_vector (GIN-indexed) on publish, so ranking reads a stored vector
# instead of parsing every matching row's text at query time.
PG_SEARCH_DOCUMENT = (
    "(setweight(to_tsvector('english'::regconfig, coalesce(micro_credentials.title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(micro_credentials.search_text, '')), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(micro_credentials.title, '')), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(micro_credentials.search_text, '')), 'D'))"
)


class MicroCredential(CreatedAtMixin, Model):
    """One version of a provider's micro-credential record (EU 2022/C 243/02 elements and more)."""

    __tablename__ = "micro_credentials"
    __table_args__ = (
        UniqueConstraint("provider_id", "code", "version"),
        CheckConstraint("status IN ('draft', 'published', 'retired')", name="status"),
        CheckConstraint("scqf_level BETWEEN 1 AND 12", name="scqf_level"),
        Index("ix_micro_credentials_status_provider", "status", "provider_id"),
        # The hub's sort orders, so a browse reads 20 rows in order instead of sorting them all.
        Index("ix_micro_credentials_status_title", "status", "title"),
        Index("ix_micro_credentials_status_price", "status", "price_pence"),
        Index("ix_micro_credentials_status_level", "status", "scqf_level"),
        Index("ix_micro_credentials_status_qa_until", "status", "quality_assured_until"),
        # GIN on PostgreSQL; on SQLite (where FTS5 does the searching) a plain index of an
        # always-empty column, so both databases share one schema.
        Index("ix_micro_credentials_search_vector", "search_vector", postgresql_using="gin"),
    )

    is_programme = False  # see Programme: both can be what a credential was awarded for

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default=RecordStatus.DRAFT)

    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    learning_outcomes: Mapped[list[str]] = mapped_column(JSON, default=list)
    scqf_level: Mapped[int] = mapped_column()
    scqf_credits: Mapped[int | None] = mapped_column()
    notional_hours: Mapped[int] = mapped_column()
    eqf_level: Mapped[int | None] = mapped_column()
    mode: Mapped[str] = mapped_column(String(20))
    duration_weeks: Mapped[int | None] = mapped_column()
    price_pence: Mapped[int] = mapped_column(default=0)
    funding: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_dates: Mapped[list[str]] = mapped_column(JSON, default=list)
    entry_requirements: Mapped[str | None] = mapped_column(Text)
    assessment_type: Mapped[str] = mapped_column(String(300), default="")
    supervision: Mapped[str | None] = mapped_column(String(30))
    grading: Mapped[str | None] = mapped_column(String(300))
    qa_type: Mapped[str] = mapped_column(String(20), default="none")
    qa_body: Mapped[str | None] = mapped_column(String(200))
    # [{"qualification": "HNC Computing", "credits": 15}]
    stackable_into: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    further_information: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10), default="en")
    country: Mapped[str] = mapped_column(String(10), default="GB-SCT")

    # When this version's quality-assurance approval runs out (None: never approved). Written only
    # by app.services.catalogue.quality; read through `quality_assured`.
    quality_assured_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Denormalised text for full-text search (summary, outcomes, skills, provider, code),
    # kept by app.services.catalogue.lifecycle whenever the record's content changes.
    search_text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    # PostgreSQL only (NULL elsewhere and on versions not published): the stored search document.
    search_vector: Mapped[str | None] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"), deferred=True)

    provider = relationship("Organisation")
    created_by = relationship("User")
    skills = relationship("Skill", secondary=micro_credential_skills, order_by="Skill.label")

    @classmethod
    def visible_to(cls, org):
        """Everyone sees published and retired versions; a provider also sees its own drafts."""
        clause = cls.status.in_([RecordStatus.PUBLISHED, RecordStatus.RETIRED])
        if org is None:
            return clause
        return clause | (cls.provider_id == org.id)

    @hybrid_property
    def quality_assured(self) -> bool:
        """Quality-assured now: a platform reviewer approved this version and the approval has
        not expired. A new version starts unapproved (the column is not content)."""
        return self.quality_assured_until is not None and self.quality_assured_until > utcnow()

    @quality_assured.inplace.expression
    @classmethod
    def _quality_assured_expression(cls):
        # NULL compares as unknown, so a version never approved is left out of a WHERE.
        return cls.quality_assured_until > utcnow()

    @property
    def credit_bearing(self) -> bool:
        return bool(self.scqf_credits)

    @property
    def ects(self) -> float | None:
        """ECTS as a displayed conversion only (1 ECTS is about 2 SCQF credits)."""
        return self.scqf_credits / 2 if self.scqf_credits else None

    @property
    def is_draft(self) -> bool:
        return self.status == RecordStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == RecordStatus.PUBLISHED

    @property
    def is_retired(self) -> bool:
        return self.status == RecordStatus.RETIRED

    @property
    def status_label(self) -> str:
        """The lifecycle status as the provider's own pages name it."""
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(self.status, "grey")

    @property
    def qa_mark_label(self) -> str:
        """The platform's quality-assurance mark on this version, in words."""
        return "Quality-assured" if self.quality_assured else "Not quality-assured"

    @property
    def qa_mark_colour(self) -> str:
        return "green" if self.quality_assured else "grey"

    @property
    def is_credit_rated(self) -> bool:
        return self.qa_type == "credit-rated"

    @property
    def is_internally_assured(self) -> bool:
        return self.qa_type == "internal"

    @property
    def mode_label(self) -> str:
        return MODES.get(self.mode, self.mode)

    @property
    def supervision_label(self) -> str:
        return SUPERVISION.get(self.supervision or "", "Not stated")

    @property
    def qa_label(self) -> str:
        return QA_TYPES.get(self.qa_type, self.qa_type)

    @property
    def funding_labels(self) -> list[str]:
        return [FUNDING.get(f, f) for f in self.funding or []]

    def __repr__(self) -> str:
        return f"<MicroCredential {self.code} v{self.version} {self.status}>"


class SearchTerm(Model):
    """A word of the hub's published records (titles and search text), with how many published
    versions say it: the vocabulary "Did you mean" suggestions come from. Kept by
    app.services.catalogue.search_index on publish and retire."""

    __tablename__ = "search_terms"
    __table_args__ = (
        # A trigram index for pg_trgm's similarity operator (%) on PostgreSQL; on SQLite, where
        # the suggestions are scored in Python, a plain index, so both databases share one schema.
        Index("ix_search_terms_term_trgm", "term", postgresql_using="gin", postgresql_ops={"term": "gin_trgm_ops"}),
    )

    term: Mapped[str] = mapped_column(String(60), primary_key=True)
    frequency: Mapped[int] = mapped_column(default=0)


# pg_trgm gives PostgreSQL similarity() and the gin_trgm_ops index above; the migration creates
# it too, this is for schemas built from the models (the tests' create_all).
event.listen(
    SearchTerm.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)


class ReviewStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    WITHDRAWN = "withdrawn"


REVIEW_STATUS_LABELS: dict[str, str] = {
    ReviewStatus.SUBMITTED: "Waiting for review",
    ReviewStatus.APPROVED: "Approved",
    ReviewStatus.CHANGES_REQUESTED: "Changes requested",
    ReviewStatus.WITHDRAWN: "Withdrawn (version retired)",
}
REVIEW_STATUS_COLOURS: dict[str, str] = {
    ReviewStatus.SUBMITTED: "blue",
    ReviewStatus.APPROVED: "green",
    ReviewStatus.CHANGES_REQUESTED: "orange",
    ReviewStatus.WITHDRAWN: "grey",
}


class CriterionOutcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"


CRITERION_OUTCOME_LABELS: dict[str, str] = {
    CriterionOutcome.MET: "Met",
    CriterionOutcome.NOT_MET: "Not met",
    CriterionOutcome.NOT_APPLICABLE: "Not applicable",
}

# The published criteria a reviewer checks, in order: (key, what is checked).
QA_CRITERIA: tuple[tuple[str, str], ...] = (
    ("learning_outcomes", "Learning outcomes are stated"),
    ("notional_hours", "At least 10 notional hours"),
    ("assessed", "Formally assessed"),
    ("credit_rated", "Credit-rated by a credit-rating body (where it claims credit)"),
    ("provider_qa", "The provider's own quality assurance is named"),
)


class QualityReview(TenantOwned, CreatedAtMixin, Model):
    """A provider's request that the platform review one version of a record, and the
    reviewer's decision on it. `organisation_id` is the provider's: it and the platform's
    reviewers see the review; nobody else does."""

    __tablename__ = "quality_reviews"
    __table_args__ = (
        CheckConstraint("status IN ('submitted', 'approved', 'changes_requested', 'withdrawn')", name="status"),
        # One review waiting per version: a second submission of the same version is refused.
        Index(
            "uq_quality_reviews_open",
            "micro_credential_id",
            unique=True,
            sqlite_where=text("status = 'submitted'"),
            postgresql_where=text("status = 'submitted'"),
        ),
        Index("ix_quality_reviews_status_submitted_at", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    micro_credential_id: Mapped[int] = mapped_column(ForeignKey("micro_credentials.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.SUBMITTED)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submission_note: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewer_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    # {"learning_outcomes": {"outcome": "met", "note": "..."}, ...}, keys from QA_CRITERIA
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comments: Mapped[str | None] = mapped_column(Text)  # for the provider
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    record = relationship("MicroCredential")
    provider = relationship("Organisation", foreign_keys="QualityReview.organisation_id")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    reviewer_organisation = relationship("Organisation", foreign_keys=[reviewer_organisation_id])

    @classmethod
    def visible_to(cls, org):
        """The provider's own reviews; every review for the platform's organisation."""
        if getattr(org, "kind", None) == "platform":
            return cls.id.is_not(None)
        return cls.organisation_id == org.id

    @property
    def is_open(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED

    @property
    def is_approved(self) -> bool:
        return self.status == ReviewStatus.APPROVED

    @property
    def status_label(self) -> str:
        return REVIEW_STATUS_LABELS.get(self.status, self.status)

    @property
    def status_colour(self) -> str:
        return REVIEW_STATUS_COLOURS.get(self.status, "grey")

    @property
    def criteria_results(self) -> list[tuple[str, str, str, str]]:
        """(key, criterion, outcome label, note) for each criterion the reviewer recorded."""
        results = []
        for key, label in QA_CRITERIA:
            found = (self.criteria or {}).get(key)
            if found:
                outcome = CRITERION_OUTCOME_LABELS.get(found.get("outcome", ""), found.get("outcome", ""))
                results.append((key, label, outcome, found.get("note") or ""))
        return results

    @property
    def assured_by(self) -> str:
        """Who assured the version, in words: the reviewer's organisation and name."""
        org = self.reviewer_organisation.name if self.reviewer_organisation else "Credwork"
        return f"{org} ({self.reviewer.name})" if self.reviewer else org


class ImmutableRecordError(RuntimeError):
    """A published or retired version's content was changed."""


# Columns that may change after publication: lifecycle, the platform's QA mark, search text.
MUTABLE_AFTER_PUBLISH = {
    "status",
    "retired_at",
    "published_at",
    "quality_assured_until",
    "search_text",
    "search_vector",
}


@event.listens_for(MicroCredential, "before_update")
def _refuse_published_change(mapper, connection, target):
    state = inspect(target)
    old_status = state.attrs.status.history.deleted
    was = old_status[0] if old_status else target.status
    if was == RecordStatus.DRAFT:
        return
    for attr in state.mapper.attrs:
        if attr.key in MUTABLE_AFTER_PUBLISH or attr.key in {"provider", "created_by"}:
            continue
        if state.attrs[attr.key].history.has_changes():
            raise ImmutableRecordError(f"{target.code} version {target.version} is {was}; edit it as a new version.")


# SQLite full-text index (FTS5), one row per *published* version, rowid = micro_credentials.id:
# FTS_TABLE holds stemmed words (for whole-word matches) and FTS_WORDS_TABLE the words as
# written (for the word still being typed). Maintained by app.services.catalogue.search on
# publish/retire and rebuilt by rebuild_search_index().
FTS_TABLE = "micro_credential_fts"
FTS_WORDS_TABLE = "micro_credential_fts_words"


def is_search_index_table(name: str) -> bool:
    """The FTS5 tables (and SQLite's shadow tables behind them) are not models: schema
    comparisons skip them; the migration creates them by hand."""
    return name == FTS_TABLE or name.startswith(FTS_TABLE + "_")


for _table, _tokenizer in ((FTS_TABLE, "porter unicode61"), (FTS_WORDS_TABLE, "unicode61")):
    event.listen(
        MicroCredential.__table__,
        "after_create",
        DDL(f"CREATE VIRTUAL TABLE IF NOT EXISTS {_table} USING fts5(title, body, tokenize='{_tokenizer}')").execute_if(
            dialect="sqlite"
        ),
    )
    event.listen(
        MicroCredential.__table__, "before_drop", DDL(f"DROP TABLE IF EXISTS {_table}").execute_if(dialect="sqlite")
    )
