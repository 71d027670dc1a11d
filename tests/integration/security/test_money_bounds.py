"""Amounts typed in pounds must fit the database's integer pence (PostgreSQL `integer`, up to
£21,474,836.47): a bigger number is a form error (422), not a 500 on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories.cpd import employer


def _client(app, login, user):
    client = app.test_client()
    login(user, c=client)
    return client


@pytest.mark.parametrize("cost", ["999999999", "£100,000,000.00", "21474837"])
def test_a_request_cost_too_big_to_store_is_a_form_error(app, login, cost):
    e = employer()
    today = date.today()
    response = _client(app, login, e.employee).post(
        "/cpd/requests/new",
        data={
            "course_kind": "external",
            "external_title": "Big course",
            "external_provider": "Dear Ltd",
            "cost": cost,
            "hours": "8",
            "reason": "Why not",
            "start_date": [str(today.day), str(today.month), str(today.year)],
            "submit": "Send request",
        },
    )
    assert response.status_code == 422
    assert "Enter cost in pounds" in response.get_data(as_text=True)


def test_a_budget_too_big_to_store_is_a_form_error_and_a_large_real_one_is_saved(app, login):
    e = employer()
    hr = _client(app, login, e.hr)
    year = e.budget.financial_year
    too_big = hr.post(
        f"/cpd/budgets?year={year}",
        data={
            "form": "budget",
            "budget-department": "Sales",
            "budget-financial_year": year,
            "budget-allocated": "999999999",
        },
    )
    assert too_big.status_code == 422
    ok = hr.post(
        f"/cpd/budgets?year={year}",
        data={
            "form": "budget",
            "budget-department": "Sales",
            "budget-financial_year": year,
            "budget-allocated": "9,999,999.99",
        },
    )
    assert ok.status_code == 303
