"""CPD pages through the real routes: the journey, isolation, htmx partials, exports."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from app.models.cpd import SponsorshipStatus as S
from tests.factories.cpd import employer, micro_credential, request


def _as(client_factory, login, user):
    c = client_factory()
    login(user, c=c)
    return c


@pytest.fixture
def new_client(app):
    return app.test_client


def test_request_endorse_approve_complete_journey(new_client, login, outbox):
    e = employer()
    mc = micro_credential(title="Data analysis with Python", price=45_000, hours=100, credits=10)
    employee = _as(new_client, login, e.employee)
    form = employee.get("/cpd/requests/new?q=python")
    assert form.status_code == 200 and "Data analysis with Python" in form.get_data(as_text=True)
    today = date.today()
    response = employee.post(
        "/cpd/requests/new",
        data={
            "course_kind": "hub",
            "micro_credential_id": str(mc.id),
            "cost": "",
            "reason": "Our team analyses trial data",
            "start_date": [str(today.day), str(today.month), str(today.year)],
            "submit": "Send request",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    sponsorship_url = response.headers["Location"]
    assert any(m.to == e.manager.email and "endorse" in m.subject for m in outbox)

    manager = _as(new_client, login, e.manager)
    page = manager.get(sponsorship_url).get_data(as_text=True)
    assert "Endorse" in page
    assert manager.post(sponsorship_url + "/act/endorse", data={"comment": "Yes"}).status_code == 303
    assert any(m.to == e.hr.email and "approve" in m.subject for m in outbox)

    hr = _as(new_client, login, e.hr)
    dashboard = hr.get("/cpd/").get_data(as_text=True)
    assert "Data analysis with Python" in dashboard and "<title>Engineering: remaining £5,000.00</title>" in dashboard
    response = hr.post(
        sponsorship_url + "/act/approve",
        data={
            "budget_id": e.budget.id,
            "funding_year_id": e.funding.id,
            "comment": "",
            "agreement_text": "Repay pro rata if you leave within a year.",
            "repayment_months": "12",
            "repayment_basis": "pro_rata",
        },
    )
    assert response.status_code == 303
    page = hr.get(sponsorship_url).get_data(as_text=True)
    assert "Approved" in page and "committed £450.00" in page
    assert "I accept this learning agreement" not in page  # only the employee accepts it
    assert any(m.to == e.employee.email and "approved" in m.subject for m in outbox)

    assert "I accept this learning agreement" in employee.get(sponsorship_url).get_data(as_text=True)
    assert employee.post(sponsorship_url + "/agreement").status_code == 303
    assert "I accept this learning agreement" not in employee.get(sponsorship_url).get_data(as_text=True)
    assert employee.post(sponsorship_url + "/act/enrol", data={}).status_code == 303
    assert employee.post(sponsorship_url + "/act/complete", data={"completed_on": today.isoformat()}).status_code == 303
    record = employee.get("/cpd/mine").get_data(as_text=True)
    assert "Completed" in record and ">100<" in record and ">10<" in record  # hours and SCQF credits
    from sqlalchemy import select

    from app.extensions import db
    from app.models import HeldCredential

    held = db.session.scalars(select(HeldCredential).where(HeldCredential.user_id == e.employee.id)).one()
    assert held.source == "cpd" and held.micro_credential_id == mc.id


def test_wrong_role_is_told_no_and_nothing_changes(new_client, login):
    e = employer()
    s = request(e, state=S.SUBMITTED)
    colleague = _as(new_client, login, e.colleague)
    assert colleague.get(f"/cpd/requests/{s.id}").status_code == 403  # not theirs, not their report
    employee = _as(new_client, login, e.employee)
    response = employee.post(f"/cpd/requests/{s.id}/act/endorse", data={}, follow_redirects=True)
    assert "Only their line manager can do that." in response.get_data(as_text=True)
    assert s.status == S.SUBMITTED


def test_another_employers_sponsorship_is_404(new_client, login):
    e, other = employer(), employer()
    theirs = request(other, state=S.ENDORSED)
    hr = _as(new_client, login, e.hr)
    for url in (
        f"/cpd/requests/{theirs.id}",
        f"/cpd/people/{other.membership(other.employee).id}",
        f"/cpd/people/{other.membership(other.employee).id}/record.pdf",
    ):
        assert hr.get(url).status_code == 404, url
    assert (
        hr.post(
            f"/cpd/requests/{theirs.id}/act/approve", data={"budget_id": e.budget.id, "funding_year_id": e.funding.id}
        ).status_code
        == 404
    )
    assert hr.get(f"/cpd/requests/bulk-approve?id={theirs.id}").status_code == 404
    assert theirs.status == S.ENDORSED


def test_filtered_list_is_a_partial_for_htmx_and_a_page_otherwise(new_client, login):
    e = employer()
    request(e, state=S.ENDORSED)
    request(e, person=e.colleague, state=S.REJECTED, details=None)
    hr = _as(new_client, login, e.hr)
    full = hr.get("/cpd/requests?status=endorsed")
    partial = hr.get("/cpd/requests?status=endorsed", headers={"HX-Request": "true"})
    assert "<html" in full.get_data(as_text=True) and "<html" not in partial.get_data(as_text=True)
    body = partial.get_data(as_text=True)
    assert "1 request." in body and "Eilidh Employee" in body and "Colin Colleague" not in body
    assert f'href="/cpd/people/{e.membership(e.employee).id}"' in body  # the name links to their CPD record
    assert "selected>Endorsed by line manager" in full.get_data(as_text=True)  # the form keeps the filter
    assert "Vary" in partial.headers and "HX-Request" in partial.headers["Vary"]


def test_learner_cannot_see_the_dashboard_or_list(new_client, login):
    e = employer()
    employee = _as(new_client, login, e.employee)
    assert employee.get("/cpd/").status_code == 403
    assert employee.get("/cpd/requests").status_code == 403
    assert employee.get("/cpd/budgets").status_code == 403


def test_bulk_approval_shows_impact_then_approves_all(new_client, login):
    e = employer(allocated=50_000)
    a = request(e, cost=20_000, state=S.ENDORSED)
    b = request(e, person=e.colleague, cost=25_000, state=S.ENDORSED)
    hr = _as(new_client, login, e.hr)
    source_id = e.funding.funding_source_id
    review = hr.get(f"/cpd/requests/bulk-approve?id={a.id}&id={b.id}&funding_source_id={source_id}")
    text = review.get_data(as_text=True)
    assert "£450.00" in text and "£50.00" in text and "Confirm and approve 2" in text  # total, remaining after
    assert a.status == S.ENDORSED  # looking changes nothing
    response = hr.post("/cpd/requests/bulk-approve", data={"id": [a.id, b.id], "funding_source_id": source_id})
    assert response.status_code == 303
    assert (a.status, b.status) == (S.APPROVED, S.APPROVED)


def test_bulk_approval_over_budget_approves_none(new_client, login):
    e = employer(allocated=40_000)
    a = request(e, cost=20_000, state=S.ENDORSED)
    b = request(e, person=e.colleague, cost=25_000, state=S.ENDORSED)
    hr = _as(new_client, login, e.hr)
    source_id = e.funding.funding_source_id
    review = hr.get(f"/cpd/requests/bulk-approve?id={a.id}&id={b.id}&funding_source_id={source_id}")
    assert "Over budget" in review.get_data(as_text=True)
    assert "Confirm and approve" not in review.get_data(as_text=True)
    response = hr.post(
        "/cpd/requests/bulk-approve", data={"id": [a.id, b.id], "funding_source_id": source_id}, follow_redirects=True
    )
    assert "Nothing was approved. Not enough budget" in response.get_data(as_text=True)
    from app.extensions import db

    db.session.refresh(a)
    assert (a.status, b.status) == (S.ENDORSED, S.ENDORSED)


def test_csv_exports(new_client, login):
    e = employer()
    request(e, cost=12_345, state=S.COMPLETED, details=None)
    hr = _as(new_client, login, e.hr)
    rows = list(csv.DictReader(io.StringIO(hr.get("/cpd/export/requests.csv").get_data(as_text=True))))
    assert rows[0]["person"] == "Eilidh Employee" and rows[0]["spent_gbp"] == "123.45"
    assert rows[0]["status"] == "completed"
    spend = list(csv.DictReader(io.StringIO(hr.get("/cpd/export/spend.csv").get_data(as_text=True))))
    assert spend[0]["funding_source"] == "Training budget" and spend[0]["spent_gbp"] == "123.45"


def test_budgets_page_saves_a_budget_and_refuses_shrinking(new_client, login):
    e = employer()
    request(e, cost=30_000, state=S.APPROVED)
    hr = _as(new_client, login, e.hr)
    year = e.budget.financial_year
    ok = hr.post(
        f"/cpd/budgets?year={year}",
        data={
            "form": "budget",
            "budget-department": "Sales",
            "budget-financial_year": year,
            "budget-allocated": "2,500",
        },
    )
    assert ok.status_code == 303
    bad = hr.post(
        f"/cpd/budgets?year={year}",
        data={
            "form": "budget",
            "budget-department": "Engineering",
            "budget-financial_year": year,
            "budget-allocated": "100",
        },
    )
    assert bad.status_code == 422 and "cannot be less than that" in bad.get_data(as_text=True)
    page = hr.get(f"/cpd/budgets?year={year}").get_data(as_text=True)
    assert "Sales" in page and "£2,500.00" in page


def test_one_approval_form_with_optional_conditions(new_client, login, outbox):
    e = employer()
    s = request(e, state=S.ENDORSED)
    hr = _as(new_client, login, e.hr)
    page = hr.get(f"/cpd/requests/{s.id}").get_data(as_text=True)
    assert page.count("<legend") == 3  # approve (with optional conditions), ask for information, reject
    response = hr.post(
        f"/cpd/requests/{s.id}/act/approve",
        data={"budget_id": e.budget.id, "funding_year_id": e.funding.id, "conditions": "Pass the exam first time"},
    )
    assert response.status_code == 303
    assert s.status == S.APPROVED_WITH_CONDITIONS and s.conditions == "Pass the exam first time"
    assert "Pass the exam first time" in next(m.body for m in outbox if m.to == e.employee.email)
