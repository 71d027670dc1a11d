"""How an apprenticeship moves: the TRANSITIONS table, starting only once all three parties have
accepted the plan, breaks in learning that stop the clock and move the end and the reviews, a
withdrawal that needs its reason, and the history and audit trail both organisations see."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.domain import off_the_job as otj
from app.extensions import db
from app.models import ApprenticeshipEvent, ApprenticeshipStatus, AuditEvent, BreakInLearning, Party
from app.services.apprenticeships import ApprenticeshipError, lifecycle, plans
from tests.factories.apprenticeships import accept_all, open_review, setting

S = ApprenticeshipStatus
START = date(2026, 9, 1)  # 24 months: the planned last day is 31 August 2028
TODAY = date(2026, 12, 1)
FIRST_REVIEW_DUE = date(2026, 11, 24)  # 1 September + 12 weeks


def refused(call, *, field: str | None = None) -> ApprenticeshipError:
    with pytest.raises(ApprenticeshipError) as caught:
        call()
    assert caught.value.field == field
    return caught.value


def change(s, name, *, reason="", on=None, today=TODAY, actor=None):
    lifecycle.change((actor or s.coordinator).user, s.apprenticeship, name, reason=reason, on=on, today=today)


def events(s) -> list[ApprenticeshipEvent]:
    return list(
        db.session.scalars(
            select(ApprenticeshipEvent)
            .where(ApprenticeshipEvent.apprenticeship_id == s.apprenticeship.id)
            .order_by(ApprenticeshipEvent.id)
        )
    )


def audited(s, action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.action == action,
                AuditEvent.subject_type == "Apprenticeship",
                AuditEvent.subject_id == str(s.apprenticeship.id),
            )
            .order_by(AuditEvent.id)
        )
    )


# -- the table --


def _at(status: S):
    s = setting(start=START, started=status != S.PLANNED)
    if status == S.BREAK_IN_LEARNING:
        change(s, "pause", reason="Caring for a relative", on=date(2026, 11, 2))
    elif status in (S.AT_GATEWAY, S.COMPLETED):
        # Gateway and completion follow from the confirmations and the result (lifecycle.move).
        lifecycle.move(s.coordinator.user, s.apprenticeship, "gateway", reason="Both sides confirmed")
        if status == S.COMPLETED:
            lifecycle.move(s.coordinator.user, s.apprenticeship, "complete", reason="End-point assessment passed")
    elif status == S.WITHDRAWN:
        change(s, "withdraw", reason="Left the company")
    assert s.apprenticeship.status == status
    return s


OFFERED = {
    S.PLANNED: ["start", "withdraw"],
    S.ACTIVE: ["pause", "withdraw"],
    S.BREAK_IN_LEARNING: ["resume", "withdraw"],
    S.AT_GATEWAY: ["withdraw"],
    S.COMPLETED: [],
    S.WITHDRAWN: [],
}


@pytest.mark.parametrize("status", list(OFFERED))
def test_each_status_offers_its_steps_and_refuses_every_other(status):
    s = _at(status)
    assert [t.name for t in lifecycle.offered(s.apprenticeship)] == OFFERED[status]
    for name in set(lifecycle.TRANSITIONS) - set(OFFERED[status]) | {"no-such-step"}:
        error = refused(lambda name=name: change(s, name, reason="Because", on=TODAY))
        assert error.message == "That change is not possible at this stage."
        assert s.apprenticeship.status == status


def test_the_table_names_what_each_step_asks_for():
    t = lifecycle.TRANSITIONS
    assert {name: (step.needs_reason, step.needs_date) for name, step in t.items()} == {
        "start": (False, False),
        "pause": (True, True),
        "resume": (False, True),
        "gateway": (True, False),
        "complete": (True, False),
        "resit": (True, False),
        "withdraw": (True, False),
    }
    assert [name for name, step in t.items() if not step.manual] == ["gateway", "complete", "resit"]
    assert {name: step.target for name, step in t.items()} == {
        "start": S.ACTIVE,
        "pause": S.BREAK_IN_LEARNING,
        "resume": S.ACTIVE,
        "gateway": S.AT_GATEWAY,
        "complete": S.COMPLETED,
        "resit": S.ACTIVE,
        "withdraw": S.WITHDRAWN,
    }


# -- starting --


def test_start_needs_the_plan_accepted_by_all_three_parties():
    s = setting(start=START)
    for party in (Party.APPRENTICE, Party.EMPLOYER):
        plans.accept(s.member_for(party).user, s.apprenticeship, party, {party})
    error = refused(lambda: change(s, "start"))
    assert error.message == (
        "The training plan must be accepted by the apprentice, the employer and the provider first."
    )
    assert s.apprenticeship.status == S.PLANNED
    plans.accept(s.assessor.user, s.apprenticeship, Party.PROVIDER, {Party.PROVIDER})
    change(s, "start")
    assert s.apprenticeship.status == S.ACTIVE


def test_acceptances_of_an_earlier_version_of_the_plan_do_not_start_it():
    s = setting(start=START)
    accept_all(s)
    plans.change_terms(
        s.coordinator.user, s.apprenticeship, plans.PlanTerms("30", s.apprenticeship.planned_end_date, None)
    )
    assert refused(lambda: change(s, "start")).message.startswith("The training plan must be accepted")
    accept_all(s)
    change(s, "start")
    assert s.apprenticeship.status == S.ACTIVE


def test_starting_is_written_to_the_history_and_to_both_organisations_audit_logs():
    s = setting(start=START)
    accept_all(s)
    change(s, "start")
    last = events(s)[-1]
    assert (last.kind, last.from_status, last.to_status) == ("status", "planned", "active")
    assert last.summary == "Start the apprenticeship: Planned to Active"
    assert last.actor_id == s.coordinator.user_id and last.reason is None
    logged = audited(s, "apprenticeship.status")
    assert sorted(e.organisation_id for e in logged) == sorted([s.employer.id, s.provider.id])
    assert {e.actor_id for e in logged} == {s.coordinator.user_id}
    assert {e.details["to_status"] for e in logged} == {"active"}


# -- breaks in learning --


def test_a_break_needs_its_reason_and_first_day():
    s = setting(start=START, started=True)
    assert refused(lambda: change(s, "pause", on=date(2026, 11, 2)), field="reason").message == (
        "Give the reason for this change."
    )
    assert refused(lambda: change(s, "pause", reason="Illness"), field="on").message == (
        "Enter the first day of the break."
    )
    assert refused(lambda: change(s, "pause", reason="   ", on=date(2026, 11, 2)), field="reason")
    assert s.apprenticeship.status == S.ACTIVE and s.apprenticeship.breaks == []


def test_a_break_cannot_start_before_the_apprenticeship_or_in_advance():
    s = setting(start=START, started=True)
    error = refused(lambda: change(s, "pause", reason="Illness", on=date(2026, 8, 31)), field="on")
    assert error.message == "A break cannot start before the apprenticeship."
    error = refused(lambda: change(s, "pause", reason="Illness", on=TODAY + timedelta(days=1)), field="on")
    assert error.message == "Record a break from the day it starts, not in advance."
    assert s.apprenticeship.status == S.ACTIVE and s.apprenticeship.breaks == []


def test_a_break_is_recorded_with_its_first_day_and_reason_and_holds_the_clock():
    s = setting(start=START, started=True)
    a = s.apprenticeship
    plan = a.otj_plan()
    held = otj.expected_minutes(plan, [], date(2026, 11, 1))
    change(s, "pause", reason="  Caring for a relative ", on=date(2026, 11, 2))
    assert a.status == S.BREAK_IN_LEARNING
    (pause,) = db.session.scalars(select(BreakInLearning).where(BreakInLearning.apprenticeship_id == a.id))
    assert (pause.start_date, pause.end_date, pause.reason) == (date(2026, 11, 2), None, "Caring for a relative")
    assert pause.recorded_by_id == s.coordinator.user_id
    assert a.open_break is pause
    # The clock stands still from the first day of the break, and the end moves day by day.
    for day in (date(2026, 11, 2), date(2026, 11, 20), TODAY):
        assert otj.expected_minutes(a.otj_plan(), a.otj_breaks(), day) == held
    assert otj.expected_end(a.otj_plan(), a.otj_breaks(), TODAY) == date(2028, 8, 31) + timedelta(days=30)
    last = events(s)[-1]
    assert (last.from_status, last.to_status, last.reason) == ("active", "break_in_learning", "Caring for a relative")


def test_returning_needs_the_last_day_and_a_break_lasts_at_least_four_weeks():
    s = setting(start=START, started=True)
    change(s, "pause", reason="Illness", on=date(2026, 11, 2))
    assert refused(lambda: change(s, "resume"), field="on").message == "Enter the last day of the break."
    error = refused(lambda: change(s, "resume", on=date(2026, 11, 1)), field="on")
    assert error.message == "The break cannot end before it started."
    error = refused(lambda: change(s, "resume", on=date(2026, 11, 28)), field="on")
    assert error.message == "A break in learning lasts at least 4 weeks; this one would be 27 days."
    assert s.apprenticeship.status == S.BREAK_IN_LEARNING
    assert s.apprenticeship.open_break is not None


def test_returning_from_a_break_moves_the_end_date_and_open_review_due_dates_by_its_length():
    s = setting(start=START, started=True)
    a = s.apprenticeship
    assert open_review(s).due_date == FIRST_REVIEW_DUE
    assert otj.expected_end(a.otj_plan(), a.otj_breaks(), TODAY) == date(2028, 8, 31)
    change(s, "pause", reason="Illness", on=date(2026, 11, 2))
    change(s, "resume", on=date(2026, 11, 29))  # 2 to 29 November: 28 days
    assert a.status == S.ACTIVE and a.open_break is None
    assert [(b.start_date, b.end_date) for b in a.breaks] == [(date(2026, 11, 2), date(2026, 11, 29))]
    assert otj.expected_end(a.otj_plan(), a.otj_breaks(), TODAY) == date(2028, 9, 28)
    assert open_review(s).due_date == date(2026, 12, 22)
    last = events(s)[-1]
    assert (last.from_status, last.to_status) == ("break_in_learning", "active")
    assert last.reason == ("Break of 28 days (2 November 2026 to 29 November 2026); the planned end moves by 28 days")


def test_a_second_break_starts_after_the_first_one_ended():
    s = setting(start=START, started=True)
    change(s, "pause", reason="Illness", on=date(2026, 10, 1))
    change(s, "resume", on=date(2026, 10, 28))
    for on in (date(2026, 10, 1), date(2026, 10, 28)):
        error = refused(lambda on=on: change(s, "pause", reason="Again", on=on), field="on")
        assert error.message == "The break must start after the last one ended (28 October 2026)."
    change(s, "pause", reason="Again", on=date(2026, 10, 29))
    assert s.apprenticeship.status == S.BREAK_IN_LEARNING and len(s.apprenticeship.breaks) == 2


# -- gateway, completion, withdrawal --


@pytest.mark.parametrize("status", [S.PLANNED, S.ACTIVE, S.BREAK_IN_LEARNING, S.AT_GATEWAY])
def test_withdrawal_needs_its_reason_from_every_stage(status):
    s = _at(status)
    error = refused(lambda: change(s, "withdraw"), field="reason")
    assert error.message == "Give the reason for this change."
    assert s.apprenticeship.status == status
    change(s, "withdraw", reason="  Moved to another employer  ", actor=s.hr)
    assert s.apprenticeship.status == S.WITHDRAWN
    assert lifecycle.offered(s.apprenticeship) == []
    last = events(s)[-1]
    assert (last.from_status, last.to_status) == (status, "withdrawn")
    assert last.reason == "Moved to another employer"
    assert last.actor_id == s.hr.user_id
    logged = audited(s, "apprenticeship.status")[-2:]
    assert sorted(e.organisation_id for e in logged) == sorted([s.employer.id, s.provider.id])
    assert {e.details["reason"] for e in logged} == {"Moved to another employer"}


def test_every_change_is_in_the_history_and_in_both_audit_logs():
    s = setting(start=START, started=True)
    change(s, "pause", reason="Illness", on=date(2026, 10, 1))
    change(s, "resume", on=date(2026, 10, 28))
    change(s, "withdraw", reason="Left")
    kinds = [(e.kind, e.from_status, e.to_status) for e in events(s)]
    assert kinds[0] == ("enrol", None, "planned")
    assert [k for k in kinds if k[0] == "status"] == [
        ("status", "planned", "active"),
        ("status", "active", "break_in_learning"),
        ("status", "break_in_learning", "active"),
        ("status", "active", "withdrawn"),
    ]
    for action in ("apprenticeship.enrol", "apprenticeship.plan_accept", "apprenticeship.status"):
        logged = audited(s, action)
        assert logged, action
        # Every event is written once for each organisation.
        assert [e.organisation_id for e in logged].count(s.employer.id) == len(logged) // 2
        assert [e.organisation_id for e in logged].count(s.provider.id) == len(logged) // 2
    assert len(audited(s, "apprenticeship.status")) == 8
