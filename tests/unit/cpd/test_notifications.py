"""An email reaches whoever must act next, at every step."""

from __future__ import annotations

from app.models.cpd import SponsorshipStatus as S
from app.services import cpd
from tests.factories.cpd import employer, external, request


def _to(outbox, user) -> list[str]:
    return [m.subject for m in outbox if m.to == user.email]


def test_submission_goes_to_the_line_manager(outbox):
    e = employer()
    request(e, state=S.SUBMITTED)
    assert _to(outbox, e.manager) == ["CPD request to endorse: NEBOSH General Certificate"]
    assert not _to(outbox, e.hr)


def test_submission_without_a_line_manager_goes_to_hr(outbox):
    e = employer()
    request(e, person=e.loner, state=S.SUBMITTED)
    assert _to(outbox, e.hr) == _to(outbox, e.hr2) == ["CPD request to approve: NEBOSH General Certificate"]


def test_endorsement_goes_to_every_hr_manager(outbox):
    e = employer()
    s = request(e, state=S.SUBMITTED)
    outbox.clear()
    cpd.workflow.act(e.manager, s, "endorse")
    assert _to(outbox, e.hr) and _to(outbox, e.hr2) and not _to(outbox, e.employee)
    body = next(m.body for m in outbox if m.to == e.hr.email)
    assert "Moira Manager has endorsed Eilidh Employee" in body and f"/cpd/requests/{s.id}" in body


def test_decisions_go_to_the_requester_with_the_comment(outbox):
    e = employer()
    asked = request(e, state=S.ENDORSED)
    outbox.clear()
    cpd.workflow.act(e.hr, asked, "request_information", "Which exam board?")
    message = next(m for m in outbox if m.to == e.employee.email)
    assert message.subject.startswith("More information needed") and "Which exam board?" in message.body
    cpd.workflow.act(e.employee, asked, "resubmit", "City & Guilds")
    assert "City & Guilds" in next(m.body for m in outbox if m.to == e.manager.email and "endorse" in m.subject)

    rejected = request(e, person=e.colleague, state=S.ENDORSED)
    outbox.clear()
    cpd.workflow.act(e.hr, rejected, "reject", "Not this year")
    assert _to(outbox, e.colleague) == ["CPD request not approved: NEBOSH General Certificate"]

    approved = request(e, person=e.colleague, state=S.ENDORSED, details=external(title="First aid"))
    outbox.clear()
    cpd.workflow.act(
        e.hr,
        approved,
        "approve_with_conditions",
        "Share it with the team",
        budget_id=e.budget.id,
        funding_year_id=e.funding.id,
        agreement={"text": "Repay if you leave", "repayment_months": 6},
    )
    body = next(m.body for m in outbox if m.to == e.colleague.email)
    assert "approved" in body and "accept the learning agreement" in body and "Share it with the team" in body


def test_nomination_tells_hr_and_the_person(outbox):
    e = employer()
    cpd.requests.nominate(e.manager, e.org, e.membership(e.employee), external())
    assert _to(outbox, e.employee) == ["You have been nominated for CPD: NEBOSH General Certificate"]
    assert _to(outbox, e.hr) == ["CPD request to approve: NEBOSH General Certificate"]


def test_completion_by_the_employee_asks_hr_to_check_the_cost(outbox):
    e = employer()
    s = request(e, state=S.ENROLLED)
    outbox.clear()
    cpd.workflow.act(e.employee, s, "complete")
    assert _to(outbox, e.hr) == ["CPD completed: NEBOSH General Certificate"]
    outbox.clear()
    s2 = request(e, person=e.colleague, state=S.ENROLLED)
    outbox.clear()
    cpd.workflow.act(e.hr, s2, "complete")  # HR recorded it themselves: nobody else needs to act
    assert outbox == []
