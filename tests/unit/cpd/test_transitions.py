"""Every transition in the table, tried by every kind of person: only the right role moves it."""

from __future__ import annotations

import pytest

from app.models import HeldCredential
from app.models.cpd import SponsorshipEvent
from app.models.cpd import SponsorshipStatus as S
from app.services import cpd
from app.services.cpd.budgets import CpdError
from tests.factories.cpd import employer, micro_credential, request

ROLES = ["requester", "line_manager", "hr_manager", "colleague"]
CASES = [(t, role) for t in cpd.workflow.TRANSITIONS for role in ROLES]


def _actor(e, role, person):
    return {"requester": person, "line_manager": e.manager, "hr_manager": e.hr2, "colleague": e.colleague}[role]


@pytest.mark.parametrize("transition,role", CASES, ids=[f"{t.from_status}-{t.action}-by-{r}" for t, r in CASES])
def test_only_the_named_roles_can_make_each_transition(transition, role):
    e = employer()
    person = e.loner if transition.needs == "no_line_manager" else e.employee
    s = request(e, person=person, state=transition.from_status)
    actor = _actor(e, role, person)
    expected = role.replace("requester", cpd.workflow.REQUESTER) in transition.who and not (
        role == "line_manager" and person is e.loner
    )
    kwargs = {"budget_id": e.budget.id, "funding_year_id": e.funding.id}
    if expected:
        cpd.workflow.act(actor, s, transition.action, "A reason", **kwargs)
        assert s.status == transition.to_status
        last = s.events[-1]
        assert (last.action, last.from_status, last.to_status, last.actor_id, last.comment) == (
            transition.action,
            transition.from_status,
            transition.to_status,
            actor.id,
            "A reason",
        )
    else:
        with pytest.raises(CpdError):
            cpd.workflow.act(actor, s, transition.action, "A reason", **kwargs)
        assert s.status == transition.from_status


def test_transition_not_in_the_table_is_refused():
    e = employer()
    s = request(e, state=S.SUBMITTED)
    with pytest.raises(CpdError, match="This request is submitted: “Record completion” is not possible now"):
        cpd.workflow.act(e.hr, s, "complete")
    with pytest.raises(CpdError):  # HR may not skip the line manager when there is one
        cpd.workflow.act(e.hr, s, "approve", budget_id=e.budget.id, funding_year_id=e.funding.id)


def test_every_transition_is_audited_with_who_and_comment():
    from sqlalchemy import select

    from app.extensions import db
    from app.models import AuditEvent

    e = employer()
    s = request(e, state=S.SUBMITTED)
    cpd.workflow.act(e.manager, s, "endorse", "Good fit for the team")
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "cpd.endorse", AuditEvent.organisation_id == e.org.id)
    ).one()
    assert event.actor_id == e.manager.id and event.organisation_id == e.org.id
    assert event.details["comment"] == "Good fit for the team"
    assert event.details["from_status"] == "submitted" and event.details["to_status"] == "endorsed"


def test_reject_and_information_requests_need_a_comment():
    e = employer()
    s = request(e, state=S.ENDORSED)
    with pytest.raises(CpdError, match="comment"):
        cpd.workflow.act(e.hr, s, "reject", "  ")
    with pytest.raises(CpdError, match="conditions"):
        cpd.workflow.act(e.hr, s, "approve_with_conditions", "", budget_id=e.budget.id, funding_year_id=e.funding.id)


# -- separation of duties --------------------------------------------------------------------


def test_nobody_approves_their_own_request():
    e = employer()
    s = request(e, person=e.hr, state=S.SUBMITTED)  # HR manager with no line manager asks for CPD
    with pytest.raises(CpdError, match="your own request"):
        cpd.workflow.act(e.hr, s, "approve", budget_id=e.budget.id, funding_year_id=e.funding.id)
    cpd.workflow.act(e.hr2, s, "approve", budget_id=e.budget.id, funding_year_id=e.funding.id)
    assert s.status == S.APPROVED and s.approved_by_id == e.hr2.id


def test_hr_manager_who_endorsed_may_not_also_approve():
    e = employer()
    from app.extensions import db
    from app.models import RoleGrant

    # The line manager is also an HR manager.
    manager_membership = e.membership(e.manager)
    manager_membership.role_grants.append(RoleGrant(role="hr_manager"))
    db.session.flush()
    s = request(e, state=S.SUBMITTED)
    cpd.workflow.act(e.manager, s, "endorse")
    assert "approve" not in {t.action for t in cpd.workflow.available_actions(e.manager, s)}
    with pytest.raises(CpdError, match="endorsed this request"):
        cpd.workflow.act(e.manager, s, "approve", budget_id=e.budget.id, funding_year_id=e.funding.id)
    cpd.workflow.act(e.hr, s, "approve", budget_id=e.budget.id, funding_year_id=e.funding.id)
    assert s.status == S.APPROVED


def test_nominator_may_not_approve_the_nomination():
    from tests.factories.cpd import external

    e = employer()
    s = cpd.requests.nominate(e.hr, e.org, e.membership(e.colleague), external())
    assert s.status == S.ENDORSED and s.nominated and s.person_id == e.colleague.id
    with pytest.raises(CpdError, match="nominated"):
        cpd.workflow.act(e.hr, s, "approve", budget_id=e.budget.id, funding_year_id=e.funding.id)
    cpd.workflow.act(e.hr2, s, "approve", budget_id=e.budget.id, funding_year_id=e.funding.id)


def test_line_manager_can_only_nominate_their_own_reports():
    from tests.factories.cpd import external

    e = employer()
    s = cpd.requests.nominate(e.manager, e.org, e.membership(e.employee), external())
    assert s.events[-1].action == "nominate" and s.endorsed_by_id == e.manager.id
    with pytest.raises(CpdError, match="line manage"):
        cpd.requests.nominate(e.manager, e.org, e.membership(e.loner), external())


def test_learner_cannot_nominate():
    from tests.factories.cpd import external

    e = employer()
    with pytest.raises(CpdError):
        cpd.requests.nominate(e.employee, e.org, e.membership(e.colleague), external())


# -- agreement and completion ----------------------------------------------------------------


def test_enrolment_waits_for_the_learning_agreement():
    e = employer()
    s = request(e, state=S.ENDORSED)
    cpd.workflow.act(
        e.hr,
        s,
        "approve",
        budget_id=e.budget.id,
        funding_year_id=e.funding.id,
        agreement={
            "repayment_months": 12,
            "repayment_basis": "pro_rata",
            "text": "Repay pro rata if you leave within 12 months.",
        },
    )
    with pytest.raises(CpdError, match="learning agreement"):
        cpd.workflow.act(e.employee, s, "enrol")
    assert "enrol" not in {t.action for t in cpd.workflow.available_actions(e.employee, s)}
    with pytest.raises(CpdError):
        cpd.requests.accept_agreement(e.manager, s)
    cpd.requests.accept_agreement(e.employee, s)
    assert s.agreement.accepted_at is not None and s.agreement.accepted_by_id == e.employee.id
    assert s.events[-1].action == "accept_agreement"
    cpd.workflow.act(e.employee, s, "enrol")
    assert s.status == S.ENROLLED


def test_completing_a_hub_micro_credential_makes_a_held_credential():
    from app.services.cpd.requests import CourseDetails

    e = employer()
    mc = micro_credential(price=45_000, hours=100, credits=10)
    s = request(e, state=S.ENROLLED, details=CourseDetails(reason="Team needs it", micro_credential_id=mc.id))
    assert (s.title, s.cost_pence, s.hours, s.scqf_credits) == (mc.title, 45_000, 100, 10)
    cpd.workflow.act(e.employee, s, "complete")
    from sqlalchemy import select

    from app.extensions import db

    held = db.session.scalars(select(HeldCredential).where(HeldCredential.sponsorship_id == s.id)).one()
    assert (held.user_id, held.micro_credential_id, held.source, held.organisation_id) == (
        e.employee.id,
        mc.id,
        "cpd",
        e.org.id,
    )


def test_a_draft_micro_credential_cannot_be_requested():
    from app.services.cpd.requests import CourseDetails

    e = employer()
    mc = micro_credential(status="draft")
    with pytest.raises(CpdError, match="published"):
        cpd.requests.create_request(e.employee, e.org, CourseDetails(reason="x", micro_credential_id=mc.id))


def test_issued_badge_completes_the_enrolled_request_automatically(outbox):
    from app.services.cpd.requests import CourseDetails

    e = employer()
    mc = micro_credential(code="UC-DATA1")
    newer = micro_credential(code="UC-DATA1", version=2, provider=mc.provider)
    s = request(e, state=S.ENROLLED, details=CourseDetails(reason="Needed", micro_credential_id=mc.id))
    assert cpd.workflow.link_issued_credential(e.colleague, newer, 77) is None  # not their request
    from datetime import date

    from app.extensions import db

    # Issuing has already put the badge in the employer's record before it calls us.
    issued_row = HeldCredential(
        user_id=e.employee.id,
        organisation_id=e.org.id,
        micro_credential_id=newer.id,
        achieved_on=date.today(),
        source="issued",
        issued_credential_id=77,
    )
    db.session.add(issued_row)
    db.session.flush()
    done = cpd.workflow.link_issued_credential(e.employee, newer, 77)
    assert done is s and s.status == S.COMPLETED and s.issued_credential_id == 77
    assert issued_row.sponsorship_id == s.id  # linked, not duplicated
    from sqlalchemy import func, select

    assert (
        db.session.scalar(
            select(func.count()).select_from(HeldCredential).where(HeldCredential.user_id == e.employee.id)
        )
        == 1
    )
    event = s.events[-1]
    assert event.actor_id is None and event.action == "complete"
    assert any("completed" in m.subject for m in outbox if m.to == e.hr.email)


def test_history_rows_are_kept_in_order():
    e = employer()
    s = request(e, state=S.COMPLETED)
    assert [ev.action for ev in s.events] == ["create", "submit", "endorse", "approve", "enrol", "complete"]
    assert all(isinstance(ev, SponsorshipEvent) for ev in s.events)


def test_each_action_says_how_its_button_looks_and_what_it_asks_for():
    by_action = {t.action: t for t in cpd.workflow.TRANSITIONS}
    assert by_action["reject"].style == by_action["withdraw"].style == "warning"
    assert by_action["approve"].style == by_action["endorse"].style == by_action["complete"].style == "primary"
    assert by_action["request_information"].style == by_action["enrol"].style == "secondary"
    assert by_action["approve"].is_approval and by_action["approve_with_conditions"].is_approval
    assert by_action["approve"].takes_conditions and not by_action["approve_with_conditions"].takes_conditions
    assert by_action["complete"].records_outcome and by_action["not_complete"].records_outcome
    assert by_action["reject"].comment_label("Eilidh") == "Comment for Eilidh"
    assert by_action["approve_with_conditions"].comment_label("Eilidh") == "Conditions"
    assert by_action["endorse"].comment_label("Eilidh") == "Comment (optional)"


def test_the_request_page_offers_one_approval_form_when_a_plain_approval_is_possible():
    endorsed = [t for t in cpd.workflow.TRANSITIONS if t.from_status == "endorsed" and t.who == {cpd.workflow.HR}]
    offered = [t.action for t in cpd.workflow.offered(endorsed)]
    assert "approve" in offered and "approve_with_conditions" not in offered
