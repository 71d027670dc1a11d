"""The training plan: each party's acceptance with who and when, changes that make a new version
needing all three again, one person never accepting for two parties, prior learning that
shortens the plan pro rata with its reason, and module results."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain import off_the_job as otj
from app.extensions import db
from app.models import ApprenticeshipEvent, AuditEvent, ModuleResult, Party, PlanAcceptance, PriorLearning
from app.models.people import Role
from app.security import policy
from app.services.apprenticeships import ApprenticeshipError, lifecycle, plans
from tests.factories.accounts import MembershipFactory
from tests.factories.apprenticeships import accept_all, setting

START = date(2026, 9, 1)  # 24 months: 731 days to 31 August 2028
TODAY = date(2026, 12, 1)


def refused(call, *, field: str | None = None) -> ApprenticeshipError:
    with pytest.raises(ApprenticeshipError) as caught:
        call()
    assert caught.value.field == field
    return caught.value


def acceptances(a) -> int:
    return db.session.scalar(select(func.count(PlanAcceptance.id)).where(PlanAcceptance.apprenticeship_id == a.id))


def last_event(a) -> ApprenticeshipEvent:
    return db.session.scalars(
        select(ApprenticeshipEvent)
        .where(ApprenticeshipEvent.apprenticeship_id == a.id)
        .order_by(ApprenticeshipEvent.id.desc())
    ).first()


# -- acceptance --


def test_each_acceptance_records_the_party_the_person_and_the_time():
    s = setting(start=START)
    a = s.apprenticeship
    before = datetime.now(UTC)
    for party in Party:
        who = s.member_for(party)
        made = plans.accept(who.user, a, party, policy.parties_of(who, a))
        assert (made.party, made.user_id, made.plan_version) == (party, who.user_id, 1)
    after = datetime.now(UTC)
    done = plans.accepted_by(a)
    assert [party for party, _ in done] == [Party.APPRENTICE, Party.EMPLOYER, Party.PROVIDER]
    assert [acc.user_id for _, acc in done] == [s.apprentice.user_id, s.line_manager.user_id, s.assessor.user_id]
    for _, acc in done:
        assert before - timedelta(seconds=1) <= acc.accepted_at <= after + timedelta(seconds=1)
    assert a.plan_accepted
    assert last_event(a).summary == "Accepted version 1 of the training plan as the provider"


def test_acceptance_is_written_to_both_organisations_audit_logs():
    s = setting(start=START)
    plans.accept(s.apprentice.user, s.apprenticeship, Party.APPRENTICE, {Party.APPRENTICE})
    logged = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "apprenticeship.plan_accept", AuditEvent.subject_id == str(s.apprenticeship.id)
        )
    ).all()
    assert sorted(e.organisation_id for e in logged) == sorted([s.employer.id, s.provider.id])
    assert {e.actor_id for e in logged} == {s.apprentice.user_id}


def test_waiting_parties_show_as_waiting():
    s = setting(start=START)
    plans.accept(s.line_manager.user, s.apprenticeship, Party.EMPLOYER, {Party.EMPLOYER})
    assert [(p, acc is not None) for p, acc in plans.accepted_by(s.apprenticeship)] == [
        (Party.APPRENTICE, False),
        (Party.EMPLOYER, True),
        (Party.PROVIDER, False),
    ]
    assert not s.apprenticeship.plan_accepted


def test_nobody_accepts_for_a_party_they_do_not_act_for():
    s = setting(start=START)
    a = s.apprenticeship
    for who, party in (
        (s.apprentice, Party.EMPLOYER),
        (s.line_manager, Party.PROVIDER),
        (s.assessor, Party.APPRENTICE),
    ):
        error = refused(lambda who=who, party=party: plans.accept(who.user, a, party, policy.parties_of(who, a)))
        assert error.message == f"You cannot accept the plan for the {party.label.lower()}."
    assert acceptances(a) == 0


def test_a_party_accepts_a_version_once():
    s = setting(start=START)
    a = s.apprenticeship
    plans.accept(s.line_manager.user, a, Party.EMPLOYER, {Party.EMPLOYER})
    error = refused(lambda: plans.accept(s.hr.user, a, Party.EMPLOYER, policy.parties_of(s.hr, a)))
    assert error.message == "The employer has already accepted this version of the plan."
    assert acceptances(a) == 1


def test_one_person_cannot_accept_for_two_parties():
    s = setting(start=START)
    a = s.apprenticeship
    # HR at the employer is also a coordinator at the provider: two memberships, one person.
    at_provider = MembershipFactory(organisation=s.provider, user=s.hr.user, roles=[Role.PROVIDER_COORDINATOR])
    assert policy.parties_of(s.hr, a) == {Party.EMPLOYER}
    assert policy.parties_of(at_provider, a) == {Party.PROVIDER}
    plans.accept(s.hr.user, a, Party.EMPLOYER, policy.parties_of(s.hr, a))
    error = refused(lambda: plans.accept(s.hr.user, a, Party.PROVIDER, policy.parties_of(at_provider, a)))
    assert error.message == "You have already accepted this plan for another party; each party accepts for itself."
    assert acceptances(a) == 1
    plans.accept(s.assessor.user, a, Party.PROVIDER, {Party.PROVIDER})
    assert acceptances(a) == 2


def test_a_finished_apprenticeships_plan_is_not_accepted():
    s = setting(start=START)
    lifecycle.change(s.coordinator.user, s.apprenticeship, "withdraw", reason="Left", today=TODAY)
    error = refused(lambda: plans.accept(s.apprentice.user, s.apprenticeship, Party.APPRENTICE, {Party.APPRENTICE}))
    assert error.message == "The plan of a finished apprenticeship cannot be accepted."
    assert acceptances(s.apprenticeship) == 0


# -- changes to the plan --


def test_a_change_makes_a_new_version_that_needs_all_three_again():
    s = setting(start=START)
    a = s.apprenticeship
    accept_all(s)
    assert a.plan_accepted and a.plan_version == 1
    plans.change_terms(s.coordinator.user, a, plans.PlanTerms("30", date(2028, 12, 31), "  Day release on Mondays "))
    assert a.plan_version == 2
    assert (a.weekly_minutes, a.planned_end_date, a.plan_notes) == (1800, date(2028, 12, 31), "Day release on Mondays")
    assert not a.plan_accepted
    assert all(acc is None for _, acc in plans.accepted_by(a))
    assert acceptances(a) == 3  # the acceptances of version 1 are kept
    assert last_event(a).summary == (
        "Training plan changed (contracted hours, planned end date, notes): version 2 needs all three acceptances again"
    )
    # The same people accept again, now of version 2.
    accept_all(s)
    assert a.plan_accepted
    assert {acc.plan_version for _, acc in plans.accepted_by(a)} == {2}


def test_changing_nothing_makes_no_new_version():
    s = setting(start=START)
    a = s.apprenticeship
    accept_all(s)
    plans.change_terms(s.coordinator.user, a, plans.PlanTerms("37.5", a.planned_end_date, ""))
    assert a.plan_version == 1 and a.plan_accepted


def test_a_change_to_the_plan_is_checked():
    s = setting(start=START)
    a = s.apprenticeship
    error = refused(
        lambda: plans.change_terms(s.coordinator.user, a, plans.PlanTerms("lots", date(2028, 1, 1), None)),
        field="weekly_hours",
    )
    assert error.message == "Enter contracted weekly hours as a number, like 37.5."
    error = refused(
        lambda: plans.change_terms(s.coordinator.user, a, plans.PlanTerms("30", START, None)),
        field="planned_end_date",
    )
    assert error.message == "The planned end date must be after the start date."
    assert (a.plan_version, a.weekly_minutes) == (1, 2250)
    lifecycle.change(s.coordinator.user, a, "withdraw", reason="Left", today=TODAY)
    error = refused(lambda: plans.change_terms(s.coordinator.user, a, plans.PlanTerms("30", date(2028, 1, 1), None)))
    assert error.message == "The plan of a finished apprenticeship cannot change."


# -- prior learning --


def _ksb(a, code: str) -> int:
    return next(o.id for o in a.programme.outcomes if o.code == code)


def test_prior_learning_reduces_the_duration_and_target_pro_rata_and_keeps_its_reason():
    s = setting(start=START)
    a = s.apprenticeship
    accept_all(s)
    plan = a.otj_plan()
    assert (plan.planned_days, otj.target_minutes(plan)) == (731, 46992)
    recognised = plans.recognise_prior_learning(
        s.coordinator.user,
        a,
        outcome_id=_ksb(a, "K1"),
        module_id=None,
        reason=" HNC in marine engineering ",
        evidence=" Certificate HN-123 ",
    )
    assert (recognised.reason, recognised.evidence) == ("HNC in marine engineering", "Certificate HN-123")
    assert recognised.recorded_by_id == s.coordinator.user_id
    assert recognised.what == "K1: Understands marine engineering principles"
    # One of four (three KSBs and one module): 731 x 3/4 = 548.25 -> 548 days;
    # 2,250 x 548 / 7 x 20% = 35,228.57 -> 35,228 minutes (587.1 hours).
    assert a.otj_plan().prior_learning == 0.25
    plan = a.otj_plan()
    assert (plan.planned_days, otj.target_minutes(plan)) == (548, 35228)
    assert otj.expected_end(plan, [], TODAY) == date(2028, 3, 1)
    event = last_event(a)
    assert event.kind == "plan_change"
    assert event.summary.startswith("Training plan changed (prior learning: K1: Understands marine")
    assert event.reason == "Duration 731 to 548 days, off-the-job target 783.2 to 587.1 hours"
    # A change to the plan: all three accept again.
    assert a.plan_version == 2 and not a.plan_accepted


def test_a_module_recognised_as_well_halves_the_plan():
    s = setting(start=START)
    a = s.apprenticeship
    plans.recognise_prior_learning(s.coordinator.user, a, outcome_id=_ksb(a, "S1"), module_id=None, reason="Trade")
    plans.recognise_prior_learning(
        s.coordinator.user, a, outcome_id=None, module_id=a.programme.modules[0].id, reason="Module passed elsewhere"
    )
    # Two of four: 731 / 2 = 365.5 -> 366 days; 2,250 x 366 / 7 x 20% = 23,528.57 -> 23,528 (392.1 hours).
    assert last_event(a).reason == "Duration 548 to 366 days, off-the-job target 587.1 to 392.1 hours"
    assert [p.what for p in a.prior_learning] == [
        "S1: Maintains diesel engines safely",
        f"Module: {a.programme.modules[0].micro_credential.title}",
    ]
    assert a.plan_version == 3


def test_prior_learning_is_refused_without_a_reason_or_a_single_target_of_this_programme():
    s = setting(start=START)
    a = s.apprenticeship
    other = setting(start=START, label="Other ").apprenticeship

    def recognise(**given):
        given.setdefault("reason", "Prior study")
        given.setdefault("outcome_id", None)
        given.setdefault("module_id", None)
        return plans.recognise_prior_learning(s.coordinator.user, a, **given)

    assert refused(lambda: recognise(outcome_id=_ksb(a, "K1"), reason="  "), field="reason").message == (
        "Give the reason the prior learning is recognised."
    )
    assert refused(lambda: recognise(), field="target").message == "Choose one KSB or one module."
    both = {"outcome_id": _ksb(a, "K1"), "module_id": a.programme.modules[0].id}
    assert refused(lambda: recognise(**both), field="target").message == "Choose one KSB or one module."
    assert refused(lambda: recognise(outcome_id=_ksb(other, "K1")), field="target").message == (
        "Choose a KSB of this programme."
    )
    assert refused(lambda: recognise(module_id=other.programme.modules[0].id), field="target").message == (
        "Choose a module of this programme."
    )
    recognise(outcome_id=_ksb(a, "K1"))
    assert refused(lambda: recognise(outcome_id=_ksb(a, "K1")), field="target").message == "That is already recognised."
    assert len(a.prior_learning) == 1 and a.plan_version == 2


def test_prior_learning_is_recognised_only_before_the_start():
    s = setting(start=START, started=True)
    a = s.apprenticeship
    error = refused(
        lambda: plans.recognise_prior_learning(
            s.coordinator.user, a, outcome_id=_ksb(a, "K1"), module_id=None, reason="Prior study"
        )
    )
    assert error.message == "Prior learning is recognised at the start, before the apprenticeship begins."
    assert db.session.scalar(select(func.count(PriorLearning.id)).where(PriorLearning.apprenticeship_id == a.id)) == 0


# -- module results --


def test_a_module_result_and_a_resit_that_replaces_it():
    s = setting(start=START, started=True)
    a = s.apprenticeship
    module = a.programme.modules[0]
    first = plans.record_module_result(s.coordinator.user, a, module.id, "failed", date(2026, 11, 1), TODAY)
    assert (first.result, first.result_date, first.recorded_by_id) == (
        "failed",
        date(2026, 11, 1),
        s.coordinator.user_id,
    )
    resit = plans.record_module_result(s.assessor.user, a, module.id, "passed", date(2026, 11, 30), TODAY)
    assert resit.id == first.id
    rows = db.session.scalars(select(ModuleResult).where(ModuleResult.apprenticeship_id == a.id)).all()
    assert [(r.result, r.result_date) for r in rows] == [("passed", date(2026, 11, 30))]
    summaries = [
        e.summary
        for e in db.session.scalars(
            select(ApprenticeshipEvent)
            .where(ApprenticeshipEvent.apprenticeship_id == a.id, ApprenticeshipEvent.kind == "module_result")
            .order_by(ApprenticeshipEvent.id)
        )
    ]
    title = module.micro_credential.title
    assert summaries == [f"{title}: failed on 1 November 2026", f"{title}: passed on 30 November 2026"]


def test_a_module_result_is_checked():
    s = setting(start=START, started=True)
    a = s.apprenticeship
    other = setting(start=START, label="Other ").apprenticeship
    module_id = a.programme.modules[0].id
    record = plans.record_module_result
    assert refused(
        lambda: record(s.coordinator.user, a, other.programme.modules[0].id, "passed", TODAY, TODAY), field="module_id"
    )
    assert refused(lambda: record(s.coordinator.user, a, module_id, "merit", TODAY, TODAY), field="result")
    error = refused(
        lambda: record(s.coordinator.user, a, module_id, "passed", TODAY + timedelta(days=1), TODAY), field="on"
    )
    assert error.message == "The result date cannot be in the future."
    assert db.session.scalar(select(func.count(ModuleResult.id)).where(ModuleResult.apprenticeship_id == a.id)) == 0
