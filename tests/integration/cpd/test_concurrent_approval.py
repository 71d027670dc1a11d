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
from app.services import cpd
from app.services.cpd.budgets import CpdError
from tests.factories.cpd import employer, request

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.no_transaction,
    pytest.mark.skipif(
        not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
        reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL: set TEST_DATABASE_URL",
    ),
]


def _cleanup(app, org_id: int) -> None:
    with app.app_context():
        db.session.execute(delete(SponsorshipEvent).where(SponsorshipEvent.organisation_id == org_id))
        db.session.execute(delete(Sponsorship).where(Sponsorship.organisation_id == org_id))
        db.session.execute(delete(CpdBudget).where(CpdBudget.organisation_id == org_id))
        db.session.execute(delete(FundingSourceYear).where(FundingSourceYear.organisation_id == org_id))
        db.session.execute(delete(FundingSource).where(FundingSource.organisation_id == org_id))
        db.session.commit()


@pytest.fixture
def two_requests(app):
    """Budget £500, two endorsed requests of £300 each, committed to the database."""
    with app.app_context():
        e = employer(allocated=50_000, cap=1_000_000)
        first = request(e, cost=30_000, state=S.ENDORSED)
        second = request(e, person=e.colleague, cost=30_000, state=S.ENDORSED)
        ids = {
            "first": first.id,
            "second": second.id,
            "budget": e.budget.id,
            "funding": e.funding.id,
            "hr": e.hr.id,
            "hr2": e.hr2.id,
            "org": e.org.id,
        }
        db.session.commit()
    yield ids
    _cleanup(app, ids["org"])


def _race(app, monkeypatch, jobs: list[tuple[int, int, int, int]]) -> list[str]:
    """Run approvals (sponsorship id, HR user id, budget id, funding year id) at the same moment,
    each in its own thread, session and connection; return what happened to each."""
    real_commit = cpd.budgets.commit

    def slow_commit(*args, **kwargs):
        # Hold the locks a little, so the other approval certainly arrives while they are held.
        result = real_commit(*args, **kwargs)
        time.sleep(0.4)
        return result

    monkeypatch.setattr(cpd.budgets, "commit", slow_commit)
    start = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

    def approve(i: int) -> None:
        from app.models import User

        sponsorship_id, hr_id, budget_id, funding_id = jobs[i]
        with app.app_context():
            try:
                hr = db.session.get(User, hr_id)
                sponsorship = db.session.get(Sponsorship, sponsorship_id)
                start.wait(timeout=5)
                cpd.workflow.act(hr, sponsorship, "approve", budget_id=budget_id, funding_year_id=funding_id)
                db.session.commit()
                outcomes[i] = "approved"
            except CpdError as exc:
                db.session.rollback()
                outcomes[i] = str(exc)
            except Exception as exc:  # noqa: BLE001 (reported in the assertions)
                db.session.rollback()
                outcomes[i] = f"unexpected {type(exc).__name__}: {exc}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_only_one_of_two_simultaneous_approvals_fits_the_budget(app, two_requests, monkeypatch):
    ids = two_requests
    outcomes = _race(
        app,
        monkeypatch,
        [
            (ids["first"], ids["hr"], ids["budget"], ids["funding"]),
            (ids["second"], ids["hr2"], ids["budget"], ids["funding"]),
        ],
    )
    assert sorted(o == "approved" for o in outcomes) == [False, True], outcomes
    refused = next(o for o in outcomes if o != "approved")
    assert refused.startswith("Not enough budget: Engineering has £200.00 left"), outcomes

    with app.app_context():
        budget = db.session.get(CpdBudget, ids["budget"])
        funding = db.session.get(FundingSourceYear, ids["funding"])
        assert (budget.committed_pence, budget.spent_pence) == (30_000, 0)
        assert funding.committed_pence == 30_000
        statuses = {k: db.session.get(Sponsorship, ids[k]).status for k in ("first", "second")}
        assert sorted(statuses.values()) == [S.APPROVED, S.ENDORSED]
        db.session.remove()


def test_the_funding_source_cap_holds_across_departments(app, monkeypatch):
    """Two departments, each with room, draw on one FWDF cap that covers only one request."""
    with app.app_context():
        e = employer(allocated=100_000, cap=40_000)
        other_budget = cpd.budgets.save_budget(e.hr, e.org, "Production", e.budget.financial_year, 100_000)
        e.membership(e.colleague).department = "Production"
        first = request(e, cost=30_000, state=S.ENDORSED)
        second = request(e, person=e.colleague, cost=30_000, state=S.ENDORSED)
        jobs = [(first.id, e.hr.id, e.budget.id, e.funding.id), (second.id, e.hr2.id, other_budget.id, e.funding.id)]
        org_id, funding_id = e.org.id, e.funding.id
        db.session.commit()
    try:
        outcomes = _race(app, monkeypatch, jobs)
        assert sorted(o == "approved" for o in outcomes) == [False, True], outcomes
        assert "Training budget has £100.00 left of its" in next(o for o in outcomes if o != "approved")
        with app.app_context():
            assert db.session.get(FundingSourceYear, funding_id).committed_pence == 30_000
            db.session.remove()
    finally:
        _cleanup(app, org_id)


def test_the_same_request_approved_twice_at_once_commits_once(app, two_requests, monkeypatch):
    ids = two_requests
    outcomes = _race(
        app,
        monkeypatch,
        [
            (ids["first"], ids["hr"], ids["budget"], ids["funding"]),
            (ids["first"], ids["hr2"], ids["budget"], ids["funding"]),
        ],
    )
    assert sorted(o == "approved" for o in outcomes) == [False, True], outcomes
    assert "This request is approved: “Approve” is not possible now." in outcomes
    with app.app_context():
        assert db.session.get(CpdBudget, ids["budget"]).committed_pence == 30_000
        db.session.remove()
