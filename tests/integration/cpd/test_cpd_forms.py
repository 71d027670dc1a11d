"""Request, nomination and budget forms; who sees which lists; the hub search partial."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.models.cpd import FundingSource
from app.models.cpd import SponsorshipStatus as S
from app.services import cpd
from tests.factories.cpd import employer, micro_credential, request


@pytest.fixture
def as_user(app, login):
    def _as(user):
        c = app.test_client()
        login(user, c=c)
        return c

    return _as


def _external_form(**changes) -> dict:
    today = date.today()
    data = {
        "course_kind": "external",
        "external_title": "Confined Space Entry",
        "external_provider": "SafeWork Ltd",
        "cost": "£1,250.50",
        "hours": "8",
        "scqf_credits": "",
        "reason": "Tank inspections",
        "start_date": [str(today.day), str(today.month), str(today.year)],
        "submit": "Send request",
    }
    data.update(changes)
    return data


def test_external_course_request_parses_pounds_and_dates(as_user):
    e = employer()
    client = as_user(e.employee)
    response = client.post("/cpd/requests/new", data=_external_form())
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Confined Space Entry" in page and "£1,250.50" in page and "Submitted" in page


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"reason": ""}, "Say why this learning would help in your work"),
        ({"cost": "twelve pounds"}, "Enter cost in pounds"),
        ({"external_title": ""}, "Enter the course title and the provider"),
        ({"start_date": ["31", "2", "2027"]}, "Enter a real start date"),
        ({"course_kind": "hub", "micro_credential_id": ""}, "Enter the course title and the provider, or choose"),
    ],
)
def test_request_form_errors_are_shown_with_422(as_user, changes, message):
    e = employer()
    response = as_user(e.employee).post("/cpd/requests/new", data=_external_form(**changes))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and message in body


def test_saving_a_draft_then_submitting_it_after_an_edit(as_user, outbox):
    e = employer()
    client = as_user(e.employee)
    response = client.post("/cpd/requests/new", data=_external_form(submit="", save_draft="Save as draft"))
    url = response.headers["Location"]
    assert "Draft" in client.get(url).get_data(as_text=True) and not outbox
    edit = client.post(url + "/edit", data=_external_form(cost="900"))
    assert edit.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "£900.00" in page and "Submitted" in page
    assert any(m.to == e.manager.email for m in outbox)
    assert as_user(e.colleague).get(url + "/edit").status_code == 403


def test_hub_search_returns_only_the_choices_for_htmx(as_user):
    e = employer()
    micro_credential(title="Welding Techniques")
    micro_credential(title="Statistics for Decision Making")
    micro_credential(title="Welding Draft Only", status="draft")
    client = as_user(e.employee)
    partial = client.get("/cpd/requests/new?q=weld", headers={"HX-Request": "true", "HX-Target": "hub-choices"})
    body = partial.get_data(as_text=True)
    assert "<html" not in body and 'id="hub-choices"' in body
    assert "Welding Techniques" in body and "Statistics" not in body and "Draft Only" not in body
    full = client.get("/cpd/requests/new?q=weld").get_data(as_text=True)
    assert "<html" in full and 'value="weld"' in full


def test_line_manager_nominates_a_report_through_the_form(as_user, outbox):
    e = employer()
    mc = micro_credential(title="Statistics for Decision Making", price=82_000)
    client = as_user(e.manager)
    form = client.get("/cpd/nominate").get_data(as_text=True)
    assert "Eilidh Employee" in form and "Lorne Loner" not in form  # only their own reports
    response = client.post(
        "/cpd/nominate",
        data={
            "person": e.membership(e.employee).id,
            "course_kind": "hub",
            "micro_credential_id": str(mc.id),
            "cost": "",
            "reason": "Our reporting needs it",
            "start_date": ["", "", ""],
            "submit": "Send",
        },
    )
    assert response.status_code == 303
    page = as_user(e.hr).get(response.headers["Location"]).get_data(as_text=True)
    assert "Endorsed by line manager" in page and "Nominated by" in page and "£820.00" in page
    # A report of someone else cannot be slipped in.
    bad = client.post(
        "/cpd/nominate",
        data={
            "person": e.membership(e.loner).id,
            "course_kind": "hub",
            "micro_credential_id": str(mc.id),
            "reason": "x",
            "start_date": ["", "", ""],
        },
    )
    assert bad.status_code == 422


def test_line_manager_sees_their_team_not_everyone(as_user):
    e = employer()
    request(e, state=S.SUBMITTED)
    request(e, person=e.loner, state=S.SUBMITTED, details=None)
    body = as_user(e.manager).get("/cpd/requests").get_data(as_text=True)
    assert "Eilidh Employee" in body and "Lorne Loner" not in body
    mine = as_user(e.manager).get("/cpd/mine").get_data(as_text=True)
    assert "Waiting for you to endorse" in mine and "NEBOSH" in mine


def test_person_record_for_hr_and_line_manager_only(as_user):
    e = employer()
    s = request(e, state=S.COMPLETED)
    url = f"/cpd/people/{e.membership(e.employee).id}"
    for viewer in (e.hr, e.manager, e.employee):
        page = as_user(viewer).get(url)
        assert page.status_code == 200 and s.title in page.get_data(as_text=True)
    assert as_user(e.colleague).get(url).status_code == 403


def test_dashboard_waiting_list_and_month_approvals(as_user):
    e = employer()
    waiting = request(e, state=S.ENDORSED, details=None)
    approved = request(e, person=e.colleague, state=S.APPROVED, details=None)
    page = as_user(e.hr).get("/cpd/").get_data(as_text=True)
    waiting_part, _, month_part = page.partition("Approved this month")
    assert f'value="{waiting.id}"' in waiting_part and f'value="{approved.id}"' not in waiting_part
    assert "Colin Colleague" in month_part
    assert "<title>Engineering: committed £300.00</title>" in page  # chart segment with its own title


def test_funding_source_and_cap_through_the_budgets_page(as_user):
    e = employer()
    client = as_user(e.hr)
    year = e.budget.financial_year
    assert (
        client.post(
            f"/cpd/budgets?year={year}",
            data={
                "form": "source",
                "source-name": "Flexible Workforce Development Fund",
                "source-kind": "fwdf",
                "source-notes": "Levy payer",
            },
        ).status_code
        == 303
    )
    from sqlalchemy import select

    from app.extensions import db

    source = db.session.scalar(select(FundingSource).where(FundingSource.name == "Flexible Workforce Development Fund"))
    assert (
        client.post(
            f"/cpd/budgets?year={year}",
            data={"form": "cap", "cap-funding_source_id": source.id, "cap-financial_year": year, "cap-cap": "15000"},
        ).status_code
        == 303
    )
    page = client.get(f"/cpd/budgets?year={year}").get_data(as_text=True)
    assert "£15,000.00" in page
    s = request(e, state=S.ENDORSED)
    cpd.workflow.act(e.hr, s, "approve", budget_id=e.budget.id, funding_year_id=source.years[0].id)
    assert source.years[0].committed_pence == 30_000
    assert as_user(e.manager).get("/cpd/budgets").status_code == 403


def test_a_busy_dashboard_lists_the_oldest_twenty_waiting_and_links_to_the_rest(as_user):
    e = employer(allocated=5_000_000, cap=5_000_000)
    made = [request(e, cost=1_000, state=S.ENDORSED) for _ in range(23)]
    for _ in range(22):
        request(e, person=e.colleague, cost=1_000, state=S.APPROVED)
    db.session.commit()
    client = as_user(e.hr)
    page = client.get("/cpd/").get_data(as_text=True)
    waiting_part, _, month_part = page.partition("Approved this month")
    assert "The 20 waiting longest of 23." in waiting_part
    assert all(f'value="{s.id}"' in waiting_part for s in made[:20])
    assert not any(f'value="{s.id}"' in waiting_part for s in made[20:])
    assert 'href="/cpd/requests?status=endorsed"' in waiting_part
    assert "The latest 20 of 22 approved this month." in month_part
    assert month_part.count("Colin Colleague") == 20
