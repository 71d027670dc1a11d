"""Two HR managers approve at the same moment against a budget that only covers one request.

Needs PostgreSQL: SQLite serialises every writer on the whole database file, so it cannot show
row locks at work. Each approval runs in its own thread, app context, session and connection,
and really commits.
"""
from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import delete

from app.extensions import db
from app.models.cpd import (
    CpdBudget,
    FundingSource,
    FundingSourceYear,
    Sponsorship,
    SponsorshipEvent,
)
from app.models.cpd import SponsorshipStatus as S
from app.services import cpd, cpd_budgets
from app.services.cpd_budgets import NotEnoughBudget
from tests.factories_cpd import employer, request

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.no_transaction,
    pytest.mark.skipif(not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
                       reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL: set TEST_DATABASE_URL"),
]


@pytest.fixture
def two_requests(app):
    """Budget £500, two endorsed requests of £300 each, committed to the database."""
    with app.app_context():
        e = employer(allocated=50_000, cap=1_000_000)
        first = request(e, cost=30_000, state=S.ENDORSED)
        second = request(e, person=e.colleague, cost=30_000, state=S.ENDORSED)
        ids = {"first": first.id, "second": second.id, "budget": e.budget.id, "funding": e.funding.id,
               "hr": e.hr.id, "hr2": e.hr2.id, "org": e.org.id}
        db.session.commit()
    yield ids
    with app.app_context():
        db.session.execute(delete(SponsorshipEvent).where(SponsorshipEvent.organisation_id == ids["org"]))
        db.session.execute(delete(Sponsorship).where(Sponsorship.organisation_id == ids["org"]))
        db.session.execute(delete(CpdBudget).where(CpdBudget.organisation_id == ids["org"]))
        db.session.execute(delete(FundingSourceYear).where(FundingSourceYear.organisation_id == ids["org"]))
        db.session.execute(delete(FundingSource).where(FundingSource.organisation_id == ids["org"]))
        db.session.commit()


def test_only_one_of_two_simultaneous_approvals_fits_the_budget(app, two_requests, monkeypatch):
    ids = two_requests
    real_commit = cpd_budgets.commit

    def slow_commit(*args, **kwargs):
        # Hold the budget lock a little, so the other approval certainly arrives while it is held.
        result = real_commit(*args, **kwargs)
        time.sleep(0.4)
        return result

    monkeypatch.setattr(cpd_budgets, "commit", slow_commit)
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def approve(key: str, hr_key: str) -> None:
        from app.models import User

        with app.app_context():
            try:
                hr = db.session.get(User, ids[hr_key])
                sponsorship = db.session.get(Sponsorship, ids[key])
                start.wait(timeout=5)
                cpd.act(hr, sponsorship, "approve", budget_id=ids["budget"], funding_year_id=ids["funding"])
                db.session.commit()
                outcomes[key] = "approved"
            except NotEnoughBudget as exc:
                db.session.rollback()
                outcomes[key] = str(exc)
            except Exception as exc:  # noqa: BLE001 (reported in the assertion below)
                db.session.rollback()
                outcomes[key] = f"unexpected {type(exc).__name__}: {exc}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve, args=("first", "hr")),
               threading.Thread(target=approve, args=("second", "hr2"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["first", "second"], outcomes
    approved = [k for k, v in outcomes.items() if v == "approved"]
    refused = [v for v in outcomes.values() if v != "approved"]
    assert len(approved) == 1, outcomes
    assert refused[0].startswith("Not enough budget: Engineering has £200.00 left"), outcomes

    with app.app_context():
        budget = db.session.get(CpdBudget, ids["budget"])
        funding = db.session.get(FundingSourceYear, ids["funding"])
        assert (budget.committed_pence, budget.spent_pence) == (30_000, 0)
        assert funding.committed_pence == 30_000
        statuses = {k: db.session.get(Sponsorship, ids[k]).status for k in ("first", "second")}
        assert sorted(statuses.values()) == [S.APPROVED, S.ENDORSED]
        db.session.remove()
