"""CPD money: financial years, department budgets, funding sources, and the ledger moves.

Every move of money (commit on approval, release on rejection or withdrawal, spend on
completion, adjustment for refunds and changed costs) goes through `_move`, which locks the
budget row and the funding-source-year row (SELECT ... FOR UPDATE on PostgreSQL, always in the
same order: budget first, then funding source, so two approvals cannot deadlock) and checks the
headroom while holding the lock. The CHECK constraints on both tables are the backstop.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select

from app.domain import DomainError, calendar
from app.domain.money import format_pounds
from app.extensions import db
from app.models.cpd import CpdBudget, FundingKind, FundingSource, FundingSourceYear
from app.services import audit


class CpdError(DomainError):
    """A CPD request or budget operation that cannot be done; the message is for the user."""


class NotEnoughBudget(CpdError):
    """Approving or spending would take a budget or a funding source past its limit."""


# -- financial years -------------------------------------------------------------------------
# The arithmetic is app.domain.calendar's; this deployment's start month is read here, once.


def start_month() -> int:
    return int(current_app.config.get("FINANCIAL_YEAR_START_MONTH", calendar.DEFAULT_FINANCIAL_YEAR_START_MONTH))


def financial_year_of(day: date) -> int:
    """The financial year (named by the calendar year it starts in) that `day` falls in."""
    return calendar.financial_year_of(day, start_month())


def this_financial_year() -> int:
    return financial_year_of(date.today())


def financial_year_label(year: int) -> str:
    """ "2026-27" for an April start; "2026" when the financial year is the calendar year."""
    return calendar.financial_year_label(year, start_month())


def financial_year_bounds(year: int) -> tuple[date, date]:
    """First day of the financial year and first day of the next one."""
    return calendar.financial_year_bounds(year, start_month())


# -- budgets and funding sources -------------------------------------------------------------


def save_budget(actor, org, department: str, financial_year: int, allocated_pence: int) -> CpdBudget:
    """Create or change a department's budget for a year; never below what is already used."""
    department = (department or "").strip()
    if not department:
        raise CpdError("Enter the department or cost centre")
    if allocated_pence < 0:
        raise CpdError("The budget cannot be negative")
    budget = _lock_one(
        select(CpdBudget).where(
            CpdBudget.organisation_id == org.id,
            CpdBudget.department == department,
            CpdBudget.financial_year == financial_year,
        )
    )
    used = 0 if budget is None else budget.committed_pence + budget.spent_pence
    if allocated_pence < used:
        raise CpdError(
            f"{department} has already committed or spent {format_pounds(used)} in "
            f"{financial_year_label(financial_year)}; the budget cannot be less than that"
        )
    before = None if budget is None else budget.allocated_pence
    if budget is None:
        budget = CpdBudget(
            organisation_id=org.id,
            department=department,
            financial_year=financial_year,
            committed_pence=0,
            spent_pence=0,
        )
        db.session.add(budget)
    budget.allocated_pence = allocated_pence
    db.session.flush()
    audit.record(
        actor,
        "cpd.budget_saved",
        budget,
        f"Set the {department} CPD budget for {financial_year_label(financial_year)} to "
        f"{format_pounds(allocated_pence)}",
        organisation=org,
        before_pence=before,
        after_pence=allocated_pence,
    )
    return budget


def save_funding_source(
    actor, org, name: str, kind: str, notes: str | None = None, source: FundingSource | None = None
) -> FundingSource:
    """Create a funding source, or rename/describe an existing one."""
    name = (name or "").strip()
    if not name:
        raise CpdError("Enter a name for the funding source")
    if kind not in {k.value for k in FundingKind}:
        raise CpdError("Choose the kind of funding source")
    clash = db.session.scalar(
        select(FundingSource).where(FundingSource.organisation_id == org.id, FundingSource.name == name)
    )
    if clash is not None and clash is not source:
        raise CpdError(f"There is already a funding source called {name}")
    created = source is None
    if source is None:
        source = FundingSource(organisation_id=org.id)
        db.session.add(source)
    source.name, source.kind, source.notes = name, kind, (notes or None)
    db.session.flush()
    audit.record(
        actor,
        "cpd.funding_source_saved",
        source,
        f"{'Added' if created else 'Changed'} the funding source {name}",
        organisation=org,
        kind=kind,
    )
    return source


def save_funding_cap(actor, source: FundingSource, financial_year: int, cap_pence: int) -> FundingSourceYear:
    """Set a funding source's cap for a year; never below what is already used."""
    if cap_pence < 0:
        raise CpdError("The cap cannot be negative")
    row = _lock_one(
        select(FundingSourceYear).where(
            FundingSourceYear.funding_source_id == source.id, FundingSourceYear.financial_year == financial_year
        )
    )
    used = 0 if row is None else row.committed_pence + row.spent_pence
    if cap_pence < used:
        raise CpdError(
            f"{source.name} has already committed or spent {format_pounds(used)} in "
            f"{financial_year_label(financial_year)}; the cap cannot be less than that"
        )
    if row is None:
        row = FundingSourceYear(
            funding_source_id=source.id,
            organisation_id=source.organisation_id,
            financial_year=financial_year,
            committed_pence=0,
            spent_pence=0,
        )
        db.session.add(row)
    row.cap_pence = cap_pence
    db.session.flush()
    audit.record(
        actor,
        "cpd.funding_cap_saved",
        source,
        f"Set the {source.name} cap for {financial_year_label(financial_year)} to {format_pounds(cap_pence)}",
        organisation=source.organisation_id,
        financial_year=financial_year,
        cap_pence=cap_pence,
    )
    return row


def budgets_for(org, financial_year: int) -> list[CpdBudget]:
    return list(
        db.session.scalars(
            select(CpdBudget)
            .where(CpdBudget.organisation_id == org.id, CpdBudget.financial_year == financial_year)
            .order_by(CpdBudget.department)
        )
    )


def funding_years_for(org, financial_year: int) -> list[FundingSourceYear]:
    return list(
        db.session.scalars(
            select(FundingSourceYear)
            .join(FundingSource)
            .where(
                FundingSourceYear.organisation_id == org.id,
                FundingSourceYear.financial_year == financial_year,
                FundingSource.active.is_(True),
            )
            .options(db.joinedload(FundingSourceYear.funding_source))
            .order_by(FundingSource.name)
        )
    )


def funding_sources_for(org) -> list[FundingSource]:
    return list(
        db.session.scalars(
            select(FundingSource).where(FundingSource.organisation_id == org.id).order_by(FundingSource.name)
        )
    )


def years_in_use(org) -> list[int]:
    """Financial years that have a budget, newest first, always including the current one."""
    years = set(db.session.scalars(select(CpdBudget.financial_year).where(CpdBudget.organisation_id == org.id)))
    years.add(financial_year_of(date.today()))
    return sorted(years, reverse=True)


# -- the ledger ------------------------------------------------------------------------------


def commit(budget_id: int, funding_year_id: int, amount: int) -> tuple[CpdBudget, FundingSourceYear]:
    """Reserve `amount` on both rows (approval); NotEnoughBudget if either would go over."""
    return _move(budget_id, funding_year_id, committed=amount, spent=0)


def release(budget_id: int, funding_year_id: int, amount: int) -> None:
    """Give back a commitment (rejection, withdrawal)."""
    _move(budget_id, funding_year_id, committed=-amount, spent=0)


def spend(budget_id: int, funding_year_id: int, committed_amount: int, actual: int) -> None:
    """Turn a commitment into spend at the actual cost, which may be more or less."""
    _move(budget_id, funding_year_id, committed=-committed_amount, spent=actual)


def adjust_spend(budget_id: int, funding_year_id: int, delta: int) -> None:
    """Record a refund (negative) or an extra charge (positive) after completion."""
    _move(budget_id, funding_year_id, committed=0, spent=delta)


def adjust_commitment(budget_id: int, funding_year_id: int, delta: int) -> None:
    """The provider changed the price before completion: move the commitment with it."""
    _move(budget_id, funding_year_id, committed=delta, spent=0)


def _move(budget_id: int, funding_year_id: int, *, committed: int, spent: int):
    budget = _lock_one(select(CpdBudget).where(CpdBudget.id == budget_id))
    funding = _lock_one(select(FundingSourceYear).where(FundingSourceYear.id == funding_year_id))
    if budget is None or funding is None:
        raise CpdError("Choose a budget and a funding source")
    growth = committed + spent
    if growth > 0 and growth > budget.remaining_pence:
        raise NotEnoughBudget(
            f"Not enough budget: {budget.department} has {format_pounds(budget.remaining_pence)} left in "
            f"{financial_year_label(budget.financial_year)} and this needs {format_pounds(growth)}"
        )
    if growth > 0 and growth > funding.remaining_pence:
        raise NotEnoughBudget(
            f"Not enough budget: {funding.funding_source.name} has {format_pounds(funding.remaining_pence)} "
            f"left of its {financial_year_label(funding.financial_year)} cap and this needs {format_pounds(growth)}"
        )
    for row in (budget, funding):
        row.committed_pence += committed
        row.spent_pence += spent
    db.session.flush()
    return budget, funding


def _lock_one(stmt):
    """Load one row for update, refreshed from the database (the lock makes the read current)."""
    return db.session.scalars(
        stmt.with_for_update(of=stmt.column_descriptions[0]["entity"]).execution_options(populate_existing=True)
    ).first()
