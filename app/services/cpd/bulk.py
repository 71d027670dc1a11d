"""Bulk approval: a plan to show before confirming (what, against which budget, the impact),
then all-or-nothing approval through the same workflow as one request at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models.cpd import CpdBudget, FundingSource, FundingSourceYear, Sponsorship
from app.services.cpd import budgets, workflow
from app.services.cpd.budgets import CpdError


@dataclass
class PlanLine:
    sponsorship: Sponsorship
    budget: CpdBudget | None
    funding: FundingSourceYear | None
    problem: str | None = None


@dataclass
class Impact:
    name: str
    year: int
    remaining: int
    needed: int = 0

    @property
    def after(self) -> int:
        return self.remaining - self.needed

    @property
    def fits(self) -> bool:
        return self.after >= 0


@dataclass
class Plan:
    lines: list[PlanLine]
    funding_source: FundingSource | None
    budgets: list[Impact] = field(default_factory=list)
    funding: list[Impact] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.sponsorship.cost_pence for line in self.lines if not line.problem)

    @property
    def ready(self) -> bool:
        return (
            bool(self.lines)
            and all(not line.problem for line in self.lines)
            and all(i.fits for i in self.budgets + self.funding)
        )


def _year(s: Sponsorship) -> int:
    return budgets.financial_year_of(s.start_date or date.today())


def plan(actor, org, sponsorships: list[Sponsorship], funding_source_id: int | None) -> Plan:
    """What approving these requests would do: each request's budget, and the totals per budget."""
    source = db.session.get(FundingSource, funding_source_id) if funding_source_id else None
    if source is not None and source.organisation_id != org.id:
        source = None
    lines: list[PlanLine] = []
    budget_impacts: dict[int, Impact] = {}
    funding_impacts: dict[int, Impact] = {}
    for s in sponsorships:
        year = _year(s)
        budget = db.session.scalar(
            select(CpdBudget).where(
                CpdBudget.organisation_id == org.id,
                CpdBudget.department == s.department,
                CpdBudget.financial_year == year,
            )
        )
        funding = (
            None
            if source is None
            else db.session.scalar(
                select(FundingSourceYear).where(
                    FundingSourceYear.funding_source_id == source.id, FundingSourceYear.financial_year == year
                )
            )
        )
        line = PlanLine(s, budget, funding)
        try:
            workflow.check(actor, s, "approve")
        except CpdError as exc:
            line.problem = str(exc)
        if not line.problem and budget is None:
            line.problem = (
                f"There is no {s.department or 'department'} budget for {budgets.financial_year_label(year)}."
            )
        if not line.problem and source is not None and funding is None:
            line.problem = f"{source.name} has no cap for {budgets.financial_year_label(year)}."
        if not line.problem and budget is not None:
            b = budget_impacts.setdefault(budget.id, Impact(budget.department, year, budget.remaining_pence))
            b.needed += s.cost_pence
            if funding is not None and source is not None:
                f = funding_impacts.setdefault(funding.id, Impact(source.name, year, funding.remaining_pence))
                f.needed += s.cost_pence
        lines.append(line)
    return Plan(lines, source, list(budget_impacts.values()), list(funding_impacts.values()))


def approve_all(
    actor, org, sponsorships: list[Sponsorship], funding_source_id: int | None, comment: str | None = None
) -> list[Sponsorship]:
    """Approve every request or none: the first refusal raises, and the caller rolls back."""
    the_plan = plan(actor, org, sponsorships, funding_source_id)
    if the_plan.funding_source is None:
        raise CpdError("Choose the funding source to approve against")
    if not the_plan.lines:
        raise CpdError("Select at least one request to approve")
    for line in the_plan.lines:
        if line.problem or line.budget is None or line.funding is None:
            raise CpdError(
                f"{line.sponsorship.person.name}, {line.sponsorship.title}: "
                f"{line.problem or 'no budget or funding cap to approve against'}"
            )
        workflow.act(
            actor,
            line.sponsorship,
            "approve",
            comment or "Approved in a batch",
            budget_id=line.budget.id,
            funding_year_id=line.funding.id,
        )
    return [line.sponsorship for line in the_plan.lines]
