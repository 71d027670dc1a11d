"""Programmes: a provider's apprenticeship programme, versioned like hub records.

draft -> published -> retired, one row per version. A published version never changes: "new
version" copies it into a draft, and publishing that draft retires the version it replaces.
Cohorts (and so apprentices) stay on the version they started with. "Copy" starts a separate
programme from an existing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from sqlalchemy import func, select

from app.domain.off_the_job import TargetBasis
from app.extensions import db
from app.models import (
    MicroCredential,
    Organisation,
    Programme,
    ProgrammeModule,
    ProgrammeOutcome,
    ProgrammeStatus,
    utcnow,
)
from app.models.programmes import OutcomeKind, ProgrammeType
from app.services import audit
from app.services.apprenticeships.errors import ApprenticeshipError

KIND_BY_PREFIX = {"K": OutcomeKind.KNOWLEDGE, "S": OutcomeKind.SKILL, "B": OutcomeKind.BEHAVIOUR}
_OUTCOME_LINE = re.compile(r"^\s*([A-Za-z]{1,4}\d{1,3}[a-z]?)\s*[:.\-–]?\s+(.+?)\s*$")


@dataclass
class ProgrammeDetails:
    """What a coordinator enters for a programme (the form and the seeds build one)."""

    type: str
    title: str
    duration_months: int
    otj_basis: str
    otj_percent: int | None = None
    otj_hours: int | None = None
    review_interval_weeks: int = 12
    scqf_level: int | None = None
    scqf_credits: int | None = None
    description: str | None = None
    otj_at_risk_percent: int = 90
    otj_off_track_percent: int = 70
    review_off_track_days: int = 28
    gateway_ksbs: bool = True
    gateway_otj: bool = True
    gateway_reviews: bool = True
    gateway_modules: bool = True

    def check(self) -> None:
        if self.type not in set(ProgrammeType):
            raise ApprenticeshipError("Choose the programme type.", field="type")
        if not self.title.strip():
            raise ApprenticeshipError("Enter the programme's title.", field="title")
        if not self.duration_months or not 1 <= self.duration_months <= 120:
            raise ApprenticeshipError("The planned duration is from 1 to 120 months.", field="duration_months")
        if not self.review_interval_weeks or not 1 <= self.review_interval_weeks <= 52:
            raise ApprenticeshipError("Reviews are from 1 to 52 weeks apart.", field="review_interval_weeks")
        if self.otj_basis not in set(TargetBasis):
            raise ApprenticeshipError("Choose how the off-the-job target is set.", field="otj_basis")
        if self.otj_basis == TargetBasis.PERCENT and self.otj_percent and not 1 <= self.otj_percent <= 100:
            raise ApprenticeshipError("The percentage is from 1 to 100.", field="otj_percent")
        if self.otj_basis == TargetBasis.HOURS and self.otj_hours is not None and self.otj_hours < 1:
            raise ApprenticeshipError("The minimum hours must be at least 1.", field="otj_hours")
        for name in ("otj_at_risk_percent", "otj_off_track_percent"):
            if not 0 <= getattr(self, name) <= 100:
                raise ApprenticeshipError("Thresholds are percentages from 0 to 100.", field=name)
        if self.otj_basis == TargetBasis.PERCENT and not self.otj_percent:
            raise ApprenticeshipError("Enter the off-the-job percentage of contracted hours.", field="otj_percent")
        if self.otj_basis == TargetBasis.HOURS and not self.otj_hours:
            raise ApprenticeshipError("Enter the minimum off-the-job hours.", field="otj_hours")
        if self.otj_off_track_percent > self.otj_at_risk_percent:
            raise ApprenticeshipError(
                "The off-track threshold must be at or below the at-risk threshold.", field="otj_off_track_percent"
            )

    def apply_to(self, programme: Programme) -> None:
        for f in fields(self):
            setattr(programme, f.name, getattr(self, f.name))
        programme.title = self.title.strip()
        if self.otj_basis == TargetBasis.PERCENT:
            programme.otj_hours = None
        else:
            programme.otj_percent = None

    @classmethod
    def of(cls, programme: Programme) -> ProgrammeDetails:
        return cls(**{f.name: getattr(programme, f.name) for f in fields(cls)})


def parse_outcomes(text: str) -> list[tuple[str, str, str]]:
    """KSBs typed one per line, "K1 Understands ..." -> [(code, kind, description)]. The code's
    letter gives the kind (K, S, B); any other code is a learning outcome (LO1, WBLO2)."""
    found: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _OUTCOME_LINE.match(line)
        if not match:
            raise ApprenticeshipError(
                f'Line {number}: start with a code such as K1, S2, B3 or LO1, then the description ("{line.strip()[:40]}").',
                field="outcomes",
            )
        code, description = match.group(1).upper(), match.group(2)
        if code in seen:
            raise ApprenticeshipError(f"Line {number}: the code {code} is used twice.", field="outcomes")
        seen.add(code)
        letters = re.match(r"[A-Z]+", code)
        kind = KIND_BY_PREFIX.get(letters.group(0) if letters else "", OutcomeKind.OUTCOME)
        found.append((code, kind, description[:1000]))
    return found


def _new_code(provider, title: str) -> str:
    stem = re.sub(r"[^A-Z0-9]+", "-", title.upper()).strip("-")[:30] or "PROGRAMME"
    taken = set(db.session.scalars(select(Programme.code).where(Programme.organisation_id == provider.id)))
    code, n = stem, 2
    while code in taken:
        code, n = f"{stem}-{n}", n + 1
    return code


def _editable(programme: Programme) -> None:
    if not programme.is_draft:
        raise ApprenticeshipError("A published programme cannot be changed. Make a new version to change it.")


def create(actor, provider, details: ProgrammeDetails, outcomes_text: str = "") -> Programme:
    """A new draft programme at `provider`."""
    details.check()
    programme = Programme(organisation_id=provider.id, code=_new_code(provider, details.title), version=1)
    details.apply_to(programme)
    db.session.add(programme)
    db.session.flush()
    if outcomes_text.strip():
        set_outcomes(actor, programme, outcomes_text, audited=False)
    audit.record(actor, "programme.create", programme, f"Created programme {programme.title}")
    return programme


def update(actor, programme: Programme, details: ProgrammeDetails, outcomes_text: str | None = None) -> None:
    _editable(programme)
    details.check()
    details.apply_to(programme)
    if outcomes_text is not None:
        set_outcomes(actor, programme, outcomes_text, audited=False)
    db.session.flush()
    audit.record(actor, "programme.update", programme, f"Changed draft programme {programme.title}")


def set_outcomes(actor, programme: Programme, text: str, *, audited: bool = True) -> None:
    """Replace the draft's KSBs or learning outcomes with those typed in `text`."""
    _editable(programme)
    parsed = parse_outcomes(text)
    programme.outcomes.clear()
    db.session.flush()
    for position, (code, kind, description) in enumerate(parsed):
        programme.outcomes.append(ProgrammeOutcome(code=code, kind=kind, description=description, position=position))
    db.session.flush()
    if audited:
        audit.record(actor, "programme.outcomes", programme, f"Set {len(parsed)} KSBs on {programme.title}")


def outcomes_text(programme: Programme) -> str:
    return "\n".join(f"{o.code} {o.description}" for o in programme.outcomes)


def add_module(actor, programme: Programme, micro_credential_id: int) -> None:
    """Add a published hub micro-credential to the draft as a module."""
    _editable(programme)
    record = db.session.get(MicroCredential, micro_credential_id)
    if record is None or record.status != "published":
        raise ApprenticeshipError("Choose a published micro-credential from the hub.", field="micro_credential_id")
    if any(m.micro_credential_id == record.id for m in programme.modules):
        raise ApprenticeshipError(f"{record.title} is already a module.", field="micro_credential_id")
    programme.modules.append(ProgrammeModule(micro_credential_id=record.id, position=len(programme.modules)))
    db.session.flush()
    audit.record(actor, "programme.module_add", programme, f"Added module {record.title} to {programme.title}")


def remove_module(actor, programme: Programme, module_id: int) -> None:
    _editable(programme)
    module = next((m for m in programme.modules if m.id == module_id), None)
    if module is None:
        raise ApprenticeshipError("That module is not part of this programme.")
    programme.modules.remove(module)
    db.session.flush()
    audit.record(actor, "programme.module_remove", programme, f"Removed a module from {programme.title}")


def publish(actor, programme: Programme) -> None:
    """Publish the draft; the version it replaces is retired (its apprentices keep it)."""
    _editable(programme)
    if not programme.outcomes:
        raise ApprenticeshipError("Add the programme's KSBs or learning outcomes before publishing it.")
    for older in db.session.scalars(
        select(Programme).where(
            Programme.organisation_id == programme.organisation_id,
            Programme.code == programme.code,
            Programme.status == ProgrammeStatus.PUBLISHED,
        )
    ):
        older.status = ProgrammeStatus.RETIRED
    programme.status = ProgrammeStatus.PUBLISHED
    programme.published_at = utcnow()
    db.session.flush()
    audit.record(actor, "programme.publish", programme, f"Published {programme.title} version {programme.version}")


def _copy(programme: Programme, **overrides) -> Programme:
    clone = Programme(organisation_id=programme.organisation_id, status=ProgrammeStatus.DRAFT, **overrides)
    ProgrammeDetails.of(programme).apply_to(clone)
    for key, value in overrides.items():
        setattr(clone, key, value)
    for o in programme.outcomes:
        clone.outcomes.append(
            ProgrammeOutcome(code=o.code, kind=o.kind, description=o.description, position=o.position)
        )
    for m in programme.modules:
        clone.modules.append(ProgrammeModule(micro_credential_id=m.micro_credential_id, position=m.position))
    db.session.add(clone)
    db.session.flush()
    return clone


def new_version(actor, programme: Programme) -> Programme:
    """A draft copy of a published programme, numbered after its latest version."""
    if programme.is_draft:
        raise ApprenticeshipError("This version is still a draft: change it directly.")
    existing = db.session.scalar(
        select(Programme).where(
            Programme.organisation_id == programme.organisation_id,
            Programme.code == programme.code,
            Programme.status == ProgrammeStatus.DRAFT,
        )
    )
    if existing is not None:
        return existing
    latest = db.session.scalar(
        select(func.max(Programme.version)).where(
            Programme.organisation_id == programme.organisation_id, Programme.code == programme.code
        )
    )
    clone = _copy(programme, code=programme.code, version=(latest or 0) + 1)
    audit.record(actor, "programme.new_version", clone, f"Started version {clone.version} of {clone.title}")
    return clone


def copy(actor, programme: Programme, title: str) -> Programme:
    """A separate new programme (version 1, draft) starting from this one's content."""
    title = title.strip() or f"Copy of {programme.title}"
    provider = programme.organisation
    clone = _copy(programme, code=_new_code(provider, title), version=1, title=title)
    audit.record(actor, "programme.copy", clone, f"Copied {programme.title} to {title}")
    return clone


def listing(provider) -> list[Programme]:
    """Each programme's newest version, newest first (a provider has tens, not thousands)."""
    newest = (
        select(Programme.code, func.max(Programme.version).label("v"))
        .where(Programme.organisation_id == provider.id)
        .group_by(Programme.code)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Programme)
            .join(newest, (Programme.code == newest.c.code) & (Programme.version == newest.c.v))
            .where(Programme.organisation_id == provider.id)
            .order_by(Programme.title)
        )
    )


def versions_of(programme: Programme) -> list[Programme]:
    return list(
        db.session.scalars(
            select(Programme)
            .where(Programme.organisation_id == programme.organisation_id, Programme.code == programme.code)
            .order_by(Programme.version.desc())
        )
    )


def published_of(provider) -> list[Programme]:
    return list(
        db.session.scalars(
            select(Programme)
            .where(Programme.organisation_id == provider.id, Programme.status == ProgrammeStatus.PUBLISHED)
            .order_by(Programme.title)
        )
    )


def hub_modules_choices(provider) -> list[MicroCredential]:
    """Published hub records a programme can take as modules: the provider's own first, then
    the rest of the hub, bounded."""
    return list(
        db.session.scalars(
            select(MicroCredential)
            .where(MicroCredential.status == "published")
            .order_by((MicroCredential.provider_id != provider.id), MicroCredential.title)
            .limit(300)
        )
    )


def published_version(provider_slug: str, code: str, version: int) -> Programme | None:
    """A published (or since replaced) version, as public documents show it; never a draft."""
    return db.session.scalar(
        select(Programme)
        .join(Organisation, Programme.organisation_id == Organisation.id)
        .where(
            Organisation.slug == provider_slug,
            Programme.code == code,
            Programme.version == version,
            Programme.status != ProgrammeStatus.DRAFT,
        )
    )
