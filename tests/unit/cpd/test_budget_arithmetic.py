"""Money: commitments, releases, spend at actual cost, refunds and changed costs, caps, years."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models.cpd import SponsorshipStatus as S
from app.services import cpd
from app.services.cpd.budgets import CpdError, NotEnoughBudget
from tests.factories.cpd import employer, request


def _totals(row):
    db.session.refresh(row)
    return row.committed_pence, row.spent_pence, row.remaining_pence


def test_approval_commits_and_rejection_is_free():
    e = employer(allocated=100_000, cap=80_000)
    s = request(e, cost=30_000, state=S.APPROVED)
    assert s.committed_pence == 30_000
    assert _totals(e.budget) == (30_000, 0, 70_000)
    assert _totals(e.funding) == (30_000, 0, 50_000)
    request(e, cost=20_000, state=S.REJECTED)
    assert _totals(e.budget) == (30_000, 0, 70_000)


def test_withdrawal_after_approval_releases_the_commitment():
    e = employer(allocated=100_000)
    s = request(e, cost=30_000, state=S.APPROVED)
    cpd.workflow.act(e.employee, s, "withdraw", "Changed my mind")
    assert s.committed_pence == 0 and s.events[-1].amount_pence == -30_000
    assert _totals(e.budget) == (0, 0, 100_000)
    assert _totals(e.funding)[:2] == (0, 0)


def test_completion_turns_commitment_into_spend_at_the_actual_cost():
    e = employer(allocated=100_000)
    s = request(e, cost=30_000, state=S.ENROLLED)
    cpd.workflow.act(e.hr, s, "complete", "Invoice was lower", actual_cost_pence=27_500)
    assert (s.committed_pence, s.spent_pence) == (0, 27_500)
    assert _totals(e.budget) == (0, 27_500, 72_500)
    assert _totals(e.funding)[:2] == (0, 27_500)


def test_only_hr_changes_the_actual_cost():
    e = employer(allocated=100_000)
    s = request(e, cost=30_000, state=S.ENROLLED)
    cpd.workflow.act(e.employee, s, "complete", actual_cost_pence=1)  # the employee's figure is ignored
    assert s.spent_pence == 30_000


def test_not_completed_still_spends_fees_paid_unless_refunded():
    e = employer(allocated=100_000)
    s = request(e, cost=30_000, state=S.NOT_COMPLETED)
    assert _totals(e.budget) == (0, 30_000, 70_000)
    cpd.requests.change_cost(e.hr, s, 10_000, "Provider refunded two thirds")
    assert s.spent_pence == 10_000 and s.events[-1].amount_pence == -20_000
    assert _totals(e.budget) == (0, 10_000, 90_000)
    assert _totals(e.funding)[:2] == (0, 10_000)


def test_refund_then_extra_charge_after_completion():
    e = employer(allocated=50_000)
    s = request(e, cost=30_000, state=S.COMPLETED)
    cpd.requests.change_cost(e.hr, s, 25_000, "Early-booking refund")
    cpd.requests.change_cost(e.hr, s, 26_000, "Exam resit fee")
    assert _totals(e.budget) == (0, 26_000, 24_000)
    with pytest.raises(NotEnoughBudget):
        cpd.requests.change_cost(e.hr, s, 60_000, "Huge surcharge")
    assert s.spent_pence == 26_000


def test_changed_price_before_completion_moves_the_commitment():
    e = employer(allocated=50_000)
    s = request(e, cost=30_000, state=S.ENROLLED)
    cpd.requests.change_cost(e.hr, s, 35_000, "Provider's new price")
    assert (s.cost_pence, s.committed_pence) == (35_000, 35_000)
    assert _totals(e.budget) == (35_000, 0, 15_000)
    with pytest.raises(NotEnoughBudget):
        cpd.requests.change_cost(e.hr, s, 55_000, "Even newer price")
    with pytest.raises(CpdError, match="why"):
        cpd.requests.change_cost(e.hr, s, 30_000, "")
    with pytest.raises(CpdError, match="HR"):
        cpd.requests.change_cost(e.employee, s, 30_000, "Cheaper")


def test_budget_cannot_be_overspent():
    e = employer(allocated=50_000, cap=1_000_000)
    request(e, cost=30_000, state=S.APPROVED)
    s = request(e, person=e.colleague, cost=30_000, state=S.ENDORSED)
    with pytest.raises(NotEnoughBudget, match=r"Not enough budget: Engineering has £200.00 left"):
        cpd.workflow.act(e.hr, s, "approve", budget_id=e.budget.id, funding_year_id=e.funding.id)
    assert s.status == S.ENDORSED and _totals(e.budget) == (30_000, 0, 20_000)


def test_funding_source_cap_cannot_be_exceeded():
    e = employer(allocated=1_000_000, cap=40_000)
    request(e, cost=30_000, state=S.APPROVED)
    s = request(e, person=e.colleague, cost=20_000, state=S.ENDORSED)
    with pytest.raises(NotEnoughBudget, match="Training budget has £100.00 left"):
        cpd.workflow.act(e.hr, s, "approve", budget_id=e.budget.id, funding_year_id=e.funding.id)


def test_database_refuses_overspending_even_without_the_service():
    e = employer(allocated=10_000)
    e.budget.committed_pence = 10_001
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.flush()


def test_budget_cannot_shrink_below_what_is_used():
    e = employer(allocated=100_000)
    request(e, cost=30_000, state=S.APPROVED)
    with pytest.raises(CpdError, match="cannot be less"):
        cpd.budgets.save_budget(e.hr, e.org, "Engineering", e.budget.financial_year, 29_999)
    assert cpd.budgets.save_budget(e.hr, e.org, "Engineering", e.budget.financial_year, 30_000) is e.budget


def test_budget_and_funding_year_must_match():
    e = employer()
    other_year = cpd.budgets.save_budget(e.hr, e.org, "Engineering", e.budget.financial_year + 1, 100_000)
    s = request(e, state=S.ENDORSED)
    with pytest.raises(CpdError, match="same financial year"):
        cpd.workflow.act(e.hr, s, "approve", budget_id=other_year.id, funding_year_id=e.funding.id)


def test_another_employers_budget_cannot_be_used():
    e, other = employer(), employer()
    s = request(e, state=S.ENDORSED)
    with pytest.raises(CpdError, match="Choose the budget"):
        cpd.workflow.act(e.hr, s, "approve", budget_id=other.budget.id, funding_year_id=other.funding.id)
    assert _totals(other.budget)[0] == 0


@pytest.mark.parametrize(
    "day,month,year,label",
    [
        (date(2026, 3, 31), 4, 2025, "2025-26"),
        (date(2026, 4, 1), 4, 2026, "2026-27"),
        (date(2026, 12, 31), 4, 2026, "2026-27"),
        (date(2026, 7, 31), 8, 2025, "2025-26"),
        (date(2026, 1, 1), 1, 2026, "2026"),
    ],
)
def test_financial_years(app, day, month, year, label):
    app.config["FINANCIAL_YEAR_START_MONTH"] = month
    try:
        assert cpd.budgets.financial_year_of(day) == year
        assert cpd.budgets.financial_year_label(year) == label
        start, end = cpd.budgets.financial_year_bounds(year)
        assert start <= day < end
    finally:
        app.config["FINANCIAL_YEAR_START_MONTH"] = 4


def test_financial_year_follows_configuration(app):
    app.config["FINANCIAL_YEAR_START_MONTH"] = 9
    try:
        assert cpd.budgets.financial_year_of(date(2026, 8, 31)) == 2025
        assert cpd.budgets.financial_year_of(date(2026, 9, 1)) == 2026
    finally:
        app.config["FINANCIAL_YEAR_START_MONTH"] = 4
