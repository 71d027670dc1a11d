"""Cohorts and enrolment: a coordinator starts a cohort on a published programme version and
adds apprentices from partner employers, one at a time or from a CSV file (all or nothing).

A provider never browses an employer's staff: the coordinator names the apprentice and their
line manager by email, and the employer must already be a partner.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Apprenticeship,
    Cohort,
    Membership,
    MembershipStatus,
    Organisation,
    Partnership,
    PartnershipStatus,
    Programme,
    Role,
    RoleGrant,
    User,
)
from app.services import audit
from app.services.apprenticeships import history
from app.services.apprenticeships.errors import ApprenticeshipError

MAX_WEEKLY_HOURS = 60
CSV_COLUMNS = ("apprentice_email", "employer", "line_manager_email", "assessor_email", "weekly_hours", "start_date")
MAX_CSV_ROWS = 500


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def planned_end(start: date, programme: Programme) -> date:
    """The planned last day: the programme's duration in months from the start."""
    return add_months(start, programme.duration_months) - timedelta(days=1)


# -- cohorts --


def create_cohort(actor, provider, programme: Programme, name: str, start_date: date, coordinator=None) -> Cohort:
    if programme.organisation_id != provider.id or not programme.is_published:
        raise ApprenticeshipError("Choose one of your published programmes.", field="programme_id")
    cohort = Cohort(
        organisation_id=provider.id,
        programme_id=programme.id,
        name=name.strip() or f"{programme.title} {start_date:%B %Y}",
        start_date=start_date,
        coordinator_id=getattr(coordinator, "id", None),
    )
    db.session.add(cohort)
    db.session.flush()
    audit.record(actor, "cohort.create", cohort, f"Created cohort {cohort.name} on {programme.title}")
    return cohort


def provider_staff(provider, role: Role) -> list[Membership]:
    """The provider's active people holding `role` (coordinators, assessors), by name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(User, Membership.user_id == User.id)
            .join(RoleGrant, RoleGrant.membership_id == Membership.id)
            .where(
                Membership.organisation_id == provider.id,
                Membership.status == MembershipStatus.ACTIVE,
                RoleGrant.role == role,
            )
            .options(db.joinedload(Membership.user))
            .order_by(User.name)
        ).unique()
    )


def set_team(actor, cohort: Cohort, coordinator_id: int | None, assessor_ids: list[int]) -> None:
    """The cohort's coordinator and assessors, chosen from the provider's own people."""
    provider = db.session.get(Organisation, cohort.organisation_id)
    coordinators = {m.id: m for m in provider_staff(provider, Role.PROVIDER_COORDINATOR)}
    assessors = {m.id: m for m in provider_staff(provider, Role.ASSESSOR)}
    if coordinator_id is not None and coordinator_id not in coordinators:
        raise ApprenticeshipError("Choose a coordinator from your organisation.", field="coordinator_id")
    unknown = [i for i in assessor_ids if i not in assessors]
    if unknown:
        raise ApprenticeshipError("Choose assessors from your organisation.", field="assessor_ids")
    cohort.coordinator_id = coordinator_id
    cohort.assessors = [assessors[i] for i in assessor_ids]
    db.session.flush()
    audit.record(actor, "cohort.team", cohort, f"Set the team of cohort {cohort.name}", assessors=len(assessor_ids))


def size(cohort: Cohort) -> int:
    """How many apprentices the cohort has (one query)."""
    return db.session.scalar(select(func.count(Apprenticeship.id)).where(Apprenticeship.cohort_id == cohort.id)) or 0


def cohorts_of(provider) -> list[Cohort]:
    return list(
        db.session.scalars(
            select(Cohort).where(Cohort.organisation_id == provider.id).order_by(Cohort.start_date.desc(), Cohort.name)
        )
    )


# -- enrolment --


@dataclass
class Enrolment:
    """One apprentice to add to a cohort, as the coordinator names them."""

    employer: Organisation | None
    apprentice_email: str
    line_manager_email: str
    weekly_hours: str
    assessor_id: int | None = None
    start_date: date | None = None
    planned_end_date: date | None = None


def partner_employers(provider) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .join(Partnership, Partnership.employer_id == Organisation.id)
            .where(Partnership.provider_id == provider.id, Partnership.status == PartnershipStatus.ACTIVE)
            .order_by(Organisation.name)
        )
    )


def _member_by_email(org: Organisation, email: str) -> Membership | None:
    return db.session.scalar(
        select(Membership)
        .join(User, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == org.id,
            Membership.status == MembershipStatus.ACTIVE,
            func.lower(User.email) == email.strip().lower(),
        )
    )


def weekly_minutes(text: str) -> int:
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ApprenticeshipError(
            "Enter contracted weekly hours as a number, like 37.5.", field="weekly_hours"
        ) from None
    minutes = int(value * 60) if value.is_finite() else 0
    if minutes < 1 or value > MAX_WEEKLY_HOURS:
        raise ApprenticeshipError(
            f"Contracted weekly hours must be more than 0 and at most {MAX_WEEKLY_HOURS}.", field="weekly_hours"
        )
    return minutes


def enrol(actor, cohort: Cohort, given: Enrolment) -> Apprenticeship:
    """Add one apprentice to the cohort, in the planned state (reviews are scheduled when it starts)."""
    provider = db.session.get(Organisation, cohort.organisation_id)
    employer = given.employer
    if employer is None or employer.id not in {e.id for e in partner_employers(provider)}:
        raise ApprenticeshipError("Choose an employer you are in partnership with.", field="employer_id")
    apprentice = _member_by_email(employer, given.apprentice_email)
    if apprentice is None:
        raise ApprenticeshipError(
            f"Nobody with the email {given.apprentice_email.strip()} works at {employer.name} in Credwork. "
            "Ask the employer to invite them first.",
            field="apprentice_email",
        )
    manager = _member_by_email(employer, given.line_manager_email)
    if manager is None:
        raise ApprenticeshipError(
            f"Nobody with the email {given.line_manager_email.strip()} works at {employer.name} in Credwork.",
            field="line_manager_email",
        )
    if manager.id == apprentice.id:
        raise ApprenticeshipError("The apprentice cannot be their own line manager.", field="line_manager_email")
    assessor_id = given.assessor_id or (cohort.assessors[0].id if cohort.assessors else None)
    if assessor_id is not None and assessor_id not in {m.id for m in provider_staff(provider, Role.ASSESSOR)}:
        raise ApprenticeshipError("Choose an assessor from your organisation.", field="assessor_id")
    minutes = weekly_minutes(given.weekly_hours)
    start = given.start_date or cohort.start_date
    end = given.planned_end_date or planned_end(start, cohort.programme)
    if end <= start:
        raise ApprenticeshipError("The planned end date must be after the start date.", field="planned_end_date")
    already = db.session.scalar(
        select(Apprenticeship.id).where(
            Apprenticeship.cohort_id == cohort.id, Apprenticeship.apprentice_id == apprentice.id
        )
    )
    if already is not None:
        raise ApprenticeshipError(
            f"{given.apprentice_email.strip()} is already in this cohort.", field="apprentice_email"
        )
    apprenticeship = Apprenticeship(
        employer_id=employer.id,
        provider_id=cohort.organisation_id,
        apprentice_id=apprentice.id,
        programme_id=cohort.programme_id,
        cohort_id=cohort.id,
        line_manager_id=manager.id,
        assessor_id=assessor_id,
        weekly_minutes=minutes,
        start_date=start,
        planned_end_date=end,
    )
    db.session.add(apprenticeship)
    db.session.flush()
    history.note(actor, apprenticeship, "enrol", f"Added to cohort {cohort.name}", to_status=apprenticeship.status)
    return apprenticeship


class CsvImportError(ApprenticeshipError):
    """The CSV had wrong rows; nothing was imported. `rows` is [(line number, message)]."""

    def __init__(self, rows: list[tuple[int, str]]):
        super().__init__(
            f"Nothing was imported: {len(rows)} {'row needs' if len(rows) == 1 else 'rows need'} correcting."
        )
        self.rows = rows


def import_csv(actor, cohort: Cohort, content: bytes) -> list[Apprenticeship]:
    """Enrol every row of the file, or none: any wrong row raises CsvImportError listing them all,
    and nothing from the file is kept."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvImportError([(1, "The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("apprentice_email", "employer", "line_manager_email", "weekly_hours") if c not in header]
    if missing:
        raise CsvImportError(
            [(1, f"The header row is missing: {', '.join(missing)}. Columns: {', '.join(CSV_COLUMNS)}.")]
        )
    reader.fieldnames = header
    provider = db.session.get(Organisation, cohort.organisation_id)
    employers = {e.name.strip().lower(): e for e in partner_employers(provider)}
    assessors = {m.user.email.lower(): m.id for m in provider_staff(provider, Role.ASSESSOR)}
    errors: list[tuple[int, str]] = []
    made: list[Apprenticeship] = []
    # All or nothing: the rows go in inside a savepoint, undone if any row is wrong.
    savepoint = db.session.begin_nested()
    for count, row in enumerate(reader, start=1):
        line = reader.line_num  # the file's own line (blank lines are skipped but counted)
        if count > MAX_CSV_ROWS:
            errors.append((line, f"A file can hold at most {MAX_CSV_ROWS} apprentices."))
            break
        row = {k: (v or "").strip() for k, v in row.items() if k}
        try:
            made.append(enrol(actor, cohort, _enrolment_from(row, employers, assessors)))
        except ApprenticeshipError as exc:
            errors.append((line, exc.message))
    if not made and not errors:
        errors.append((2, "The file has no apprentices in it."))
    if errors:
        savepoint.rollback()
        raise CsvImportError(errors)
    savepoint.commit()
    audit.record(actor, "cohort.import", cohort, f"Imported {len(made)} apprentices into {cohort.name}")
    return made


def _enrolment_from(row: dict, employers: dict, assessors: dict) -> Enrolment:
    employer = employers.get(row.get("employer", "").lower())
    if employer is None:
        raise ApprenticeshipError(f'"{row.get("employer", "")}" is not one of your partner employers.')
    assessor_email = row.get("assessor_email", "").lower()
    if assessor_email and assessor_email not in assessors:
        raise ApprenticeshipError(f"{assessor_email} is not an assessor in your organisation.")
    start = None
    if row.get("start_date"):
        try:
            start = date.fromisoformat(row["start_date"])
        except ValueError:
            raise ApprenticeshipError(f'"{row["start_date"]}" is not a date like 2026-09-01.') from None
    return Enrolment(
        employer=employer,
        apprentice_email=row.get("apprentice_email", ""),
        line_manager_email=row.get("line_manager_email", ""),
        weekly_hours=row.get("weekly_hours", ""),
        assessor_id=assessors.get(assessor_email),
        start_date=start,
    )
