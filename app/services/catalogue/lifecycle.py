"""The micro-credential lifecycle: draft -> published -> retired, one row per version.

Editing a published version makes a new draft version; publishing it retires the version it
replaces. Every change is audited. Validation of the record's fields lives in
app.services.catalogue.fields so the form and the CSV import say exactly the same things.
"""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app.domain import DomainError
from app.extensions import db
from app.models import MicroCredential, Organisation, OrgKind, RecordStatus, Skill, utcnow
from app.services import audit  # Content columns copied when a new version is made.
from app.services.catalogue import quality
from app.services.catalogue import search_index as hub_index

CONTENT_FIELDS = (
    "title",
    "summary",
    "learning_outcomes",
    "scqf_level",
    "scqf_credits",
    "notional_hours",
    "eqf_level",
    "mode",
    "duration_weeks",
    "price_pence",
    "funding",
    "start_dates",
    "entry_requirements",
    "assessment_type",
    "supervision",
    "grading",
    "qa_type",
    "qa_body",
    "stackable_into",
    "further_information",
    "language",
    "country",
)


class CatalogueError(DomainError):
    """A lifecycle rule was broken; the message is for the user."""


def level_from_scqf(scqf_level: int | None) -> int:
    """The proficiency level (1 awareness .. 4 expert) a credential at this SCQF level gives."""
    if scqf_level is None or scqf_level <= 5:
        return 1
    if scqf_level <= 7:
        return 2
    if scqf_level <= 9:
        return 3
    return 4


def level_from_scqf_sql(scqf_level):
    """`level_from_scqf` as a SQL expression over a column (a test holds the two together)."""
    return case((scqf_level <= 5, 1), (scqf_level <= 7, 2), (scqf_level <= 9, 3), else_=4)


def published():
    """A select() of every published version (at most one per provider and code)."""
    return select(MicroCredential).where(MicroCredential.status == RecordStatus.PUBLISHED)


def versions_of(provider_id: int, code: str) -> list[MicroCredential]:
    """Every version of one record, newest first."""
    return list(
        db.session.scalars(
            select(MicroCredential)
            .where(MicroCredential.provider_id == provider_id, MicroCredential.code == code)
            .order_by(MicroCredential.version.desc())
        )
    )


def provider_by_slug(slug: str) -> Organisation | None:
    """A provider by its public slug (the hub's URLs name providers this way)."""
    return db.session.scalar(
        select(Organisation).where(Organisation.slug == slug, Organisation.kind == OrgKind.PROVIDER)
    )


def versions_for_viewer(provider_id: int, code: str, viewer, *, public_only: bool) -> list[MicroCredential]:
    """The versions of one record someone may see, newest first, skills loaded: published and
    retired ones for everyone (only those when `public_only`), plus the viewer's own drafts."""
    visible = MicroCredential.visible_to(None if public_only else viewer)
    return list(
        db.session.scalars(
            select(MicroCredential)
            .where(MicroCredential.provider_id == provider_id, MicroCredential.code == code.upper(), visible)
            .options(selectinload(MicroCredential.skills))
            .order_by(MicroCredential.version.desc())
        )
    )


def current_version(provider_id: int, code: str) -> MicroCredential | None:
    """The published version of a record if there is one, otherwise its newest version."""
    versions = versions_of(provider_id, code)
    for record in versions:
        if record.status == RecordStatus.PUBLISHED:
            return record
    return versions[0] if versions else None


def open_draft(provider_id: int, code: str) -> MicroCredential | None:
    """The record's draft version, if one is being prepared."""
    return next((v for v in versions_of(provider_id, code) if v.status == RecordStatus.DRAFT), None)


def latest_versions(provider: Organisation) -> list[MicroCredential]:
    """The provider's records, newest version of each code, ordered by code."""
    newest = (
        select(MicroCredential.code, func.max(MicroCredential.version).label("v"))
        .where(MicroCredential.provider_id == provider.id)
        .group_by(MicroCredential.code)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(MicroCredential)
            .join(newest, (MicroCredential.code == newest.c.code) & (MicroCredential.version == newest.c.v))
            .where(MicroCredential.provider_id == provider.id)
            .order_by(MicroCredential.code)
        )
    )


def skills_by_uri(uris: list[str]) -> dict[str, Skill]:
    """The framework skills with these URIs (unknown URIs are simply absent)."""
    if not uris:
        return {}
    return {s.uri: s for s in db.session.scalars(select(Skill).where(Skill.uri.in_(set(uris))))}


def create_draft(actor, provider: Organisation, code: str, values: dict, skills: list[Skill]) -> MicroCredential:
    """A new record (version 1, draft) for `provider`. `values` come from catalogue_fields.clean."""
    code = code.strip().upper()
    if not code:
        raise CatalogueError("Enter a code for the micro-credential")
    if versions_of(provider.id, code):
        raise CatalogueError(f"{provider.name} already has a micro-credential with code {code}")
    record = MicroCredential(
        provider_id=provider.id,
        code=code,
        version=1,
        status=RecordStatus.DRAFT,
        created_by_id=getattr(actor, "id", None),
    )
    _apply(record, values, skills, provider)
    db.session.add(record)
    db.session.flush()
    audit.record(
        actor,
        "micro_credential.create",
        record,
        f"Created draft {code}: {record.title}",
        organisation=provider,
        code=code,
        version=1,
    )
    return record


def update_draft(actor, record: MicroCredential, values: dict, skills: list[Skill]) -> MicroCredential:
    """Change a draft in place. Published versions are changed through new_version()."""
    if record.status != RecordStatus.DRAFT:
        raise CatalogueError("Only a draft can be changed; edit the published version to make a new draft")
    _apply(record, values, skills, record.provider)
    db.session.flush()
    audit.record(
        actor,
        "micro_credential.update",
        record,
        f"Edited draft {record.code} version {record.version}",
        organisation=record.provider_id,
        code=record.code,
        version=record.version,
    )
    return record


def new_version(actor, record: MicroCredential) -> MicroCredential:
    """A draft copy of `record` as the next version; an existing draft of the code is reused."""
    versions = versions_of(record.provider_id, record.code)
    for existing in versions:
        if existing.status == RecordStatus.DRAFT:
            return existing
    draft = MicroCredential(
        provider_id=record.provider_id,
        code=record.code,
        version=versions[0].version + 1,
        status=RecordStatus.DRAFT,
        created_by_id=getattr(actor, "id", None),
        **{f: _copy(getattr(record, f)) for f in CONTENT_FIELDS},
    )
    draft.skills = list(record.skills)
    draft.search_text = record.search_text
    db.session.add(draft)
    db.session.flush()
    audit.record(
        actor,
        "micro_credential.new_version",
        draft,
        f"Started version {draft.version} of {draft.code} from version {record.version}",
        organisation=record.provider_id,
        code=record.code,
        version=draft.version,
        from_version=record.version,
    )
    return draft


def publish(actor, record: MicroCredential) -> MicroCredential:
    """Publish a draft on the hub; the version it replaces (if any) is retired."""
    if record.status != RecordStatus.DRAFT:
        raise CatalogueError(f"Version {record.version} of {record.code} is already {record.status}")
    if not record.learning_outcomes:
        raise CatalogueError("Add at least one learning outcome before publishing")
    for previous in versions_of(record.provider_id, record.code):
        if previous.status == RecordStatus.PUBLISHED:
            _retire(actor, previous)
            audit.record(
                actor,
                "micro_credential.retire",
                previous,
                f"Retired {previous.code} version {previous.version}: replaced by version {record.version}",
                organisation=record.provider_id,
                code=record.code,
                version=previous.version,
            )
    record.status = RecordStatus.PUBLISHED
    record.published_at = utcnow()
    db.session.flush()
    hub_index.index_record(record)
    audit.record(
        actor,
        "micro_credential.publish",
        record,
        f"Published {record.code} version {record.version}: {record.title}",
        organisation=record.provider_id,
        code=record.code,
        version=record.version,
    )
    return record


def retire(actor, record: MicroCredential) -> MicroCredential:
    """Take a published version off the hub. Awarded credentials keep pointing at it."""
    if record.status != RecordStatus.PUBLISHED:
        raise CatalogueError("Only a published micro-credential can be retired")
    _retire(actor, record)
    audit.record(
        actor,
        "micro_credential.retire",
        record,
        f"Retired {record.code} version {record.version}",
        organisation=record.provider_id,
        code=record.code,
        version=record.version,
    )
    return record


def discard_draft(actor, record: MicroCredential) -> None:
    """Delete a draft version. Published and retired versions are kept for ever (awards
    point at them), so only drafts can go."""
    if record.status != RecordStatus.DRAFT:
        raise CatalogueError("Only a draft can be discarded; retire a published micro-credential instead")
    audit.record(
        actor,
        "micro_credential.discard",
        record,
        f"Discarded draft {record.code} version {record.version}",
        organisation=record.provider_id,
        code=record.code,
        version=record.version,
    )
    db.session.delete(record)
    db.session.flush()


def set_provider_quality_assured(actor, provider: Organisation, assured: bool) -> Organisation:
    """The platform's quality-assurance mark on a provider (micro-credential versions are
    reviewed instead: app.services.catalogue.quality)."""
    if not provider.is_provider:
        raise CatalogueError("Only providers can be marked as quality-assured")
    provider.quality_assured = assured
    db.session.flush()
    audit.record(
        actor,
        "provider.quality_assured" if assured else "provider.quality_removed",
        provider,
        f"{'Marked' if assured else 'Unmarked'} {provider.name} as a quality-assured provider",
        organisation=provider,
        assured=assured,
    )
    return provider


def search_text_for(record: MicroCredential, provider: Organisation | None = None) -> str:
    """The text the hub's full-text search reads besides the title."""
    provider = provider or record.provider
    parts = [
        record.code,
        record.summary or "",
        *(record.learning_outcomes or []),
        *(s.label for s in record.skills),
        provider.name if provider else "",
        *(q.get("qualification", "") for q in record.stackable_into or []),
    ]
    return "\n".join(p for p in parts if p)


def _apply(record: MicroCredential, values: dict, skills: list[Skill], provider) -> None:
    for field in CONTENT_FIELDS:
        if field in values:
            setattr(record, field, values[field])
    record.skills = list(skills)
    record.search_text = search_text_for(record, provider)


def _retire(actor, record: MicroCredential) -> None:
    quality.withdraw_open(actor, record)
    record.status = RecordStatus.RETIRED
    record.retired_at = utcnow()
    db.session.flush()
    hub_index.unindex_record(record)


def _copy(value):
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return value


def own_record(provider: Organisation | None, record_id) -> MicroCredential | None:
    """A version of one of `provider`'s own records (None for anyone else's: callers 404)."""
    if provider is None:
        return None
    try:
        key = int(record_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(
        select(MicroCredential).where(MicroCredential.id == key, MicroCredential.provider_id == provider.id)
    )


def all_skills() -> list[Skill]:
    """The whole skills framework, for choosing a record's skills."""
    return list(db.session.scalars(select(Skill).order_by(Skill.label)))


def providers() -> list[Organisation]:
    """Every provider organisation, by name (for the platform's quality-assurance page)."""
    return list(
        db.session.scalars(select(Organisation).where(Organisation.kind == "provider").order_by(Organisation.name))
    )


def provider_by_id(provider_id) -> Organisation | None:
    try:
        key = int(provider_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(Organisation).where(Organisation.id == key, Organisation.kind == "provider"))
