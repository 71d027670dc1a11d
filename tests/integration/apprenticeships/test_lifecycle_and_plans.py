"""An apprenticeship's stages and its training plan: what may follow what, with whose reasons;
acceptance by all three parties; changes and prior learning that need them again."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import ApprenticeshipEvent, AuditEvent, Party
from app.services.apprenticeships import ApprenticeshipError, lifecycle, off_the_job, plans, reviews
from tests.factories.apprenticeships import accept_all, open_review, setting, start_it

TODAY = date.today()


def _events(s) -> list[ApprenticeshipEvent]:
    return list(
        db.session.query(ApprenticeshipEvent)
        .filter_by(apprenticeship_id=s.apprenticeship.id)
        .order_by(ApprenticeshipEvent.id)
    )


def test_it_cannot_start_until_all_three_parties_accept_the_plan():
    s = setting()
    plans.accept(s.apprentice.user, s.apprenticeship, Party.APPRENTICE, {Party.APPRENTICE})
    with pytest.raises(ApprenticeshipError, match="accepted by the apprentice, the employer and the provider"):
        lifecycle.change(s.coordinator.user, s.apprenticeship, "start", today=TODAY)
    plans.accept(s.line_manager.user, s.apprenticeship, Party.EMPLOYER, {Party.EMPLOYER})
    plans.accept(s.assessor.user, s.apprenticeship, Party.PROVIDER, {Party.PROVIDER})
    lifecycle.change(s.coordinator.user, s.apprenticeship, "start", today=TODAY)
    assert s.apprenticeship.status == "active"
    assert open_review(s).due_date == max(s.apprenticeship.start_date, TODAY) + timedelta(weeks=12)


def test_each_acceptance_names_the_person_and_time_and_one_person_accepts_for_one_party():
    s = setting()
    made = plans.accept(s.apprentice.user, s.apprenticeship, Party.APPRENTICE, {Party.APPRENTICE})
    assert made.user_id == s.apprentice.user.id and made.accepted_at is not None and made.plan_version == 1
    with pytest.raises(ApprenticeshipError, match="already accepted"):
        plans.accept(s.apprentice.user, s.apprenticeship, Party.APPRENTICE, {Party.APPRENTICE})
    with pytest.raises(ApprenticeshipError, match="cannot accept the plan for the employer"):
        plans.accept(s.apprentice.user, s.apprenticeship, Party.EMPLOYER, {Party.APPRENTICE})
    with pytest.raises(ApprenticeshipError, match="each party accepts for itself"):
        plans.accept(s.apprentice.user, s.apprenticeship, Party.EMPLOYER, {Party.APPRENTICE, Party.EMPLOYER})


def test_a_change_to_the_plan_needs_all_three_again():
    s = setting()
    accept_all(s)
    assert s.apprenticeship.plan_accepted
    plans.change_terms(
        s.coordinator.user, s.apprenticeship, plans.PlanTerms("30", s.apprenticeship.planned_end_date, "Part-time")
    )
    assert s.apprenticeship.plan_version == 2 and not s.apprenticeship.plan_accepted
    assert s.apprenticeship.weekly_minutes == 30 * 60
    assert "needs all three acceptances again" in _events(s)[-1].summary
    plans.change_terms(
        s.coordinator.user, s.apprenticeship, plans.PlanTerms("30", s.apprenticeship.planned_end_date, "Part-time")
    )
    assert s.apprenticeship.plan_version == 2  # nothing changed, no new version


def test_prior_learning_shortens_the_plan_pro_rata_with_its_reason():
    s = setting()
    before = s.apprenticeship.otj_plan()
    module = s.apprenticeship.programme.modules[0]
    plans.recognise_prior_learning(
        s.coordinator.user,
        s.apprenticeship,
        outcome_id=None,
        module_id=module.id,
        reason="Holds an HNC in marine engineering",
    )
    after = s.apprenticeship.otj_plan()
    # Three KSBs and one module: a quarter of the programme is recognised.
    assert after.planned_days == round(before.contract_days * 3 / 4)
    change = _events(s)[-1]
    assert change.reason.startswith(f"Duration {before.planned_days} to {after.planned_days} days")
    with pytest.raises(ApprenticeshipError, match="already recognised"):
        plans.recognise_prior_learning(
            s.coordinator.user, s.apprenticeship, outcome_id=None, module_id=module.id, reason="Again"
        )
    start_it(s)
    with pytest.raises(ApprenticeshipError, match="at the start"):
        plans.recognise_prior_learning(
            s.coordinator.user,
            s.apprenticeship,
            outcome_id=s.apprenticeship.programme.outcomes[0].id,
            module_id=None,
            reason="Late",
        )


def test_a_break_needs_a_reason_and_four_weeks_and_moves_the_reviews_and_the_end():
    s = setting(started=True, start=TODAY - timedelta(days=100))
    due = open_review(s).due_date
    with pytest.raises(ApprenticeshipError, match="reason"):
        lifecycle.change(s.hr.user, s.apprenticeship, "pause", on=TODAY - timedelta(days=40), today=TODAY)
    lifecycle.change(
        s.hr.user, s.apprenticeship, "pause", reason="Surgery and recovery", on=TODAY - timedelta(days=40), today=TODAY
    )
    assert s.apprenticeship.status == "break_in_learning"
    with pytest.raises(ApprenticeshipError, match="at least 4 weeks"):
        lifecycle.change(s.hr.user, s.apprenticeship, "resume", on=TODAY - timedelta(days=20), today=TODAY)
    lifecycle.change(s.hr.user, s.apprenticeship, "resume", on=TODAY - timedelta(days=5), today=TODAY)
    assert s.apprenticeship.status == "active"
    assert open_review(s).due_date == due + timedelta(days=36)
    assert s.apprenticeship.expected_end(TODAY) > s.apprenticeship.otj_plan().planned_end
    statuses = [(e.from_status, e.to_status, e.actor_id) for e in _events(s) if e.kind == "status"]
    assert statuses[-2:] == [
        ("active", "break_in_learning", s.hr.user.id),
        ("break_in_learning", "active", s.hr.user.id),
    ]


def test_withdrawal_needs_a_reason_and_is_recorded_for_both_organisations():
    s = setting(started=True)
    with pytest.raises(ApprenticeshipError, match="reason"):
        lifecycle.change(s.coordinator.user, s.apprenticeship, "withdraw", today=TODAY)
    lifecycle.change(s.coordinator.user, s.apprenticeship, "withdraw", reason="Left the company", today=TODAY)
    assert s.apprenticeship.status == "withdrawn"
    assert lifecycle.offered(s.apprenticeship) == []
    with pytest.raises(ApprenticeshipError, match="not possible at this stage"):
        lifecycle.change(s.coordinator.user, s.apprenticeship, "start", today=TODAY)
    orgs = {
        e.organisation_id
        for e in db.session.query(AuditEvent).filter(
            AuditEvent.action == "apprenticeship.status", AuditEvent.details["to_status"].as_string() == "withdrawn"
        )
    }
    assert orgs == {s.employer.id, s.provider.id}


def test_no_hours_after_the_planned_end():
    s = setting(started=True, start=TODAY - timedelta(days=90), duration_months=1)
    with pytest.raises(ApprenticeshipError, match="this date is after it"):
        off_the_job.log(
            s.apprentice.user,
            s.apprenticeship,
            off_the_job.EntryDetails(
                day=TODAY - timedelta(days=2), activity="mentoring", description="Mentor", duration_hours="1"
            ),
            TODAY,
        )


def test_gateway_and_completion_are_not_buttons_but_follow_from_what_decides_them():
    s = setting(started=True)
    assert [t.name for t in lifecycle.offered(s.apprenticeship)] == ["pause", "withdraw"]
    with pytest.raises(ApprenticeshipError, match="not possible"):
        lifecycle.change(s.coordinator.user, s.apprenticeship, "gateway", reason="Ready", today=TODAY)
    lifecycle.move(s.coordinator.user, s.apprenticeship, "gateway", reason="Both sides confirmed")
    lifecycle.move(s.coordinator.user, s.apprenticeship, "complete", reason="End-point assessment passed")
    assert s.apprenticeship.status == "completed"


def test_review_signatures_lock_the_review_and_schedule_the_next():
    s = setting(started=True)
    review = open_review(s)
    with pytest.raises(ApprenticeshipError, match="Record the review before signing"):
        reviews.sign(s.apprentice.user, review, Party.APPRENTICE, {Party.APPRENTICE}, TODAY)
    held = TODAY - timedelta(days=3)
    reviews.record(
        s.assessor.user,
        review,
        reviews.ReviewRecord(held, "Going well", ""),
        off_the_job.position_of(s.apprenticeship, TODAY),
        TODAY,
    )
    assert review.otj_snapshot["target_minutes"] == off_the_job.position_of(s.apprenticeship, TODAY).target
    reviews.sign(s.apprentice.user, review, Party.APPRENTICE, {Party.APPRENTICE}, TODAY)
    with pytest.raises(ApprenticeshipError, match="each party signs for itself"):
        reviews.sign(s.apprentice.user, review, Party.EMPLOYER, {Party.APPRENTICE}, TODAY)
    # A change after a signature clears it: everyone signs what the review now says.
    reviews.rate(
        s.assessor.user, review, Party.PROVIDER, {Party.PROVIDER}, {s.apprenticeship.programme.outcomes[0].id: 3}
    )
    assert review.signatures == []
    with pytest.raises(ApprenticeshipError, match="from 1 to 5"):
        reviews.rate(
            s.assessor.user, review, Party.PROVIDER, {Party.PROVIDER}, {s.apprenticeship.programme.outcomes[0].id: 6}
        )
    for party, member in (
        (Party.APPRENTICE, s.apprentice),
        (Party.EMPLOYER, s.line_manager),
        (Party.PROVIDER, s.assessor),
    ):
        reviews.sign(member.user, review, party, {party}, TODAY)
    assert review.is_locked
    with pytest.raises(ApprenticeshipError, match="locked"):
        reviews.record(
            s.assessor.user,
            review,
            reviews.ReviewRecord(held, "Rewritten", ""),
            off_the_job.position_of(s.apprenticeship, TODAY),
            TODAY,
        )
    following = open_review(s)
    assert (following.number, following.due_date) == (2, held + timedelta(weeks=12))


def test_actions_have_an_owner_and_a_due_date_that_is_not_past():
    s = setting(started=True)
    review = open_review(s)
    with pytest.raises(ApprenticeshipError, match="Choose who owns"):
        reviews.add_action(s.assessor.user, review, "Read the manual", "nobody", TODAY, TODAY)
    with pytest.raises(ApprenticeshipError, match="cannot be in the past"):
        reviews.add_action(s.assessor.user, review, "Read the manual", "apprentice", TODAY - timedelta(days=1), TODAY)
    action = reviews.add_action(s.assessor.user, review, "Read the manual", "apprentice", TODAY, TODAY)
    reviews.complete_action(s.apprentice.user, action, s.apprenticeship)
    assert action.done_at is not None
