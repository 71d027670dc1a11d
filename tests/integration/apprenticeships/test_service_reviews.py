"""Tripartite progress reviews: recording captures the off-the-job position of the day; each
party rates and signs for itself only; the third signature locks the review and schedules the
next one interval later; a locked review refuses every change; changing a recorded review clears
the signatures already on it."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Party, ProgressReview
from app.models.people import Role
from app.security import policy
from app.services.apprenticeships import ApprenticeshipError, lifecycle, off_the_job, reviews
from tests.factories.accounts import MembershipFactory
from tests.factories.apprenticeships import open_review, setting

START = date(2026, 9, 1)  # 24 months, 37.5 hours a week: target 46,992 minutes, 12-weekly reviews
TODAY = date(2026, 12, 1)  # day 92: 5,914 minutes expected
HELD = date(2026, 11, 26)


def refused(call, *, field: str | None = None) -> ApprenticeshipError:
    with pytest.raises(ApprenticeshipError) as caught:
        call()
    assert caught.value.field == field
    return caught.value


@pytest.fixture
def s():
    return setting(start=START, started=True)


def position(s, today=TODAY):
    return off_the_job.position_of(s.apprenticeship, today)


def record(s, review, *, held=HELD, progress="Engines module going well", wellbeing="Settled in", today=TODAY):
    reviews.record(s.assessor.user, review, reviews.ReviewRecord(held, progress, wellbeing), position(s, today), today)


def sign(s, review, party: Party, today=TODAY, who=None):
    who = who or s.member_for(party)
    reviews.sign(who.user, review, party, policy.parties_of(who, s.apprenticeship), today)


def ksb(s, code: str) -> int:
    return next(o.id for o in s.apprenticeship.programme.outcomes if o.code == code)


def audited(s, action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == action, AuditEvent.organisation_id.in_([s.employer.id, s.provider.id]))
            .order_by(AuditEvent.id)
        )
    )


# -- scheduling and recording --


def test_the_first_review_is_scheduled_one_interval_after_the_start(s):
    (first,) = reviews.reviews_of(s.apprenticeship)
    assert (first.number, first.due_date) == (1, date(2026, 11, 24))  # 1 September + 12 weeks
    assert (first.status_label, first.status_colour) == ("Scheduled", "grey")
    assert first.overdue_days(date(2026, 11, 24)) == 0
    assert first.overdue_days(TODAY) == 7


def test_recording_captures_the_off_the_job_position_of_the_day(s):
    entry = off_the_job.EntryDetails(
        day=date(2026, 11, 2), activity="taught_learning", description="College", starts_at=time(9), ends_at=time(12)
    )
    off_the_job.log(s.apprentice.user, s.apprenticeship, entry, TODAY)
    review = open_review(s)
    record(s, review, progress="  Engines module going well ", wellbeing="  ")
    assert (review.held_on, review.progress, review.wellbeing) == (HELD, "Engines module going well", None)
    assert review.otj_snapshot == {
        "target_minutes": 46992,
        "logged_minutes": 180,
        "expected_minutes": 5914,
        "on": "2026-12-01",
    }
    assert reviews.snapshot_words(review) == "3 hours logged of 98.6 expected by 1 December 2026 (target 783.2)"
    assert (review.status_label, review.status_colour) == ("Recorded", "blue")
    # Later entries do not change what the review recorded.
    off_the_job.log(
        s.apprentice.user,
        s.apprenticeship,
        off_the_job.EntryDetails(day=TODAY, activity="mentoring", description="Mentor", duration_hours="2"),
        TODAY,
    )
    db.session.refresh(review)
    assert review.otj_snapshot["logged_minutes"] == 180
    assert sorted(e.organisation_id for e in audited(s, "review.record")) == sorted([s.employer.id, s.provider.id])


def test_recording_is_checked(s):
    review = open_review(s)
    error = refused(lambda: record(s, review, held=TODAY + timedelta(days=1)), field="held_on")
    assert error.message == "The review date cannot be in the future."
    error = refused(lambda: record(s, review, held=date(2026, 8, 31)), field="held_on")
    assert error.message == "The review date is before the apprenticeship started."
    error = refused(lambda: record(s, review, progress="   "), field="progress")
    assert error.message == "Describe the progress since the last review."
    db.session.refresh(review)
    assert (review.held_on, review.progress, review.otj_snapshot) == (None, None, None)


# -- ratings --


def test_each_party_rates_the_ksbs_from_1_to_5(s):
    review = open_review(s)
    k1, s1, b1 = ksb(s, "K1"), ksb(s, "S1"), ksb(s, "B1")
    reviews.rate(s.apprentice.user, review, Party.APPRENTICE, {Party.APPRENTICE}, {k1: 3, s1: 2, b1: 5})
    reviews.rate(s.assessor.user, review, Party.PROVIDER, {Party.PROVIDER}, {k1: 4, s1: 1})
    reviews.rate(s.line_manager.user, review, Party.EMPLOYER, {Party.EMPLOYER}, {k1: 5})
    # Rating again replaces that party's score only.
    reviews.rate(s.apprentice.user, review, Party.APPRENTICE, {Party.APPRENTICE}, {k1: 4})
    assert reviews.ratings_by_outcome(review) == {
        k1: {"apprentice": 4, "provider": 4, "employer": 5},
        s1: {"apprentice": 2, "provider": 1},
        b1: {"apprentice": 5},
    }
    assert len(review.ratings) == 6
    assert {e.summary for e in audited(s, "review.rate")} == {
        "Rated KSBs at review 1 as the apprentice",
        "Rated KSBs at review 1 as the provider",
        "Rated KSBs at review 1 as the employer",
    }


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_rating_outside_1_to_5_is_refused_and_nothing_is_stored(s, score):
    review = open_review(s)
    scores = {ksb(s, "K1"): 3, ksb(s, "S1"): score}
    error = refused(lambda: reviews.rate(s.apprentice.user, review, Party.APPRENTICE, {Party.APPRENTICE}, scores))
    assert error.message == "Rate each KSB from 1 to 5."
    db.session.refresh(review)
    assert review.ratings == []


def test_a_rating_of_another_programmes_ksb_is_refused(s):
    other = setting(start=START, label="Other ")
    review = open_review(s)
    foreign = {ksb(other, "K1"): 3}
    error = refused(lambda: reviews.rate(s.apprentice.user, review, Party.APPRENTICE, {Party.APPRENTICE}, foreign))
    assert error.message == "Rate each KSB from 1 to 5."
    assert review.ratings == []


def test_nobody_rates_for_a_party_they_do_not_act_for(s):
    review = open_review(s)
    parties = policy.parties_of(s.apprentice, s.apprenticeship)
    error = refused(lambda: reviews.rate(s.apprentice.user, review, Party.EMPLOYER, parties, {ksb(s, "K1"): 5}))
    assert error.message == "You cannot rate for the employer."
    assert review.ratings == []


# -- actions --


def test_an_action_has_an_owner_and_a_due_date(s):
    review = open_review(s)
    action = reviews.add_action(
        s.assessor.user, review, "  Finish the hydraulics log ", "apprentice", date(2026, 12, 15), TODAY
    )
    assert (action.description, action.owner, action.due_date) == (
        "Finish the hydraulics log",
        "apprentice",
        date(2026, 12, 15),
    )
    assert action.apprenticeship_id == s.apprenticeship.id and review.actions == [action]
    assert not action.is_overdue(date(2026, 12, 15)) and action.is_overdue(date(2026, 12, 16))
    reviews.complete_action(s.apprentice.user, action, s.apprenticeship)
    assert action.done_at is not None and not action.is_overdue(date(2027, 1, 1))
    assert refused(lambda: reviews.complete_action(s.apprentice.user, action, s.apprenticeship)).message == (
        "That action is already done."
    )


def test_an_action_is_checked(s):
    review = open_review(s)
    add = reviews.add_action
    assert refused(lambda: add(s.assessor.user, review, "  ", "apprentice", TODAY, TODAY), field="description")
    error = refused(lambda: add(s.assessor.user, review, "Read", "mentor", TODAY, TODAY), field="owner")
    assert error.message == "Choose who owns the action."
    error = refused(
        lambda: add(s.assessor.user, review, "Read", "employer", TODAY - timedelta(days=1), TODAY), field="due_date"
    )
    assert error.message == "The due date cannot be in the past."
    db.session.refresh(review)
    assert review.actions == []


# -- signatures --


def test_each_party_signs_for_itself_only(s):
    review = open_review(s)
    record(s, review)
    for who, party in (
        (s.apprentice, Party.EMPLOYER),
        (s.line_manager, Party.PROVIDER),
        (s.assessor, Party.APPRENTICE),
    ):
        error = refused(lambda who=who, party=party: sign(s, review, party, who=who))
        assert error.message == f"You cannot sign for the {party.label.lower()}: each party signs for itself."
    assert review.signatures == []
    sign(s, review, Party.APPRENTICE)
    (signature,) = review.signatures
    assert (signature.party, signature.user_id) == ("apprentice", s.apprentice.user_id)
    assert signature.signed_at is not None
    error = refused(lambda: sign(s, review, Party.APPRENTICE))
    assert error.message == "The apprentice has already signed this review."
    # HR signs for the employer just as the line manager would.
    sign(s, review, Party.EMPLOYER, who=s.hr)
    assert [x.user_id for x in review.signatures] == [s.apprentice.user_id, s.hr.user_id]
    assert len(audited(s, "review.sign")) == 4  # two signatures, each in both audit logs


def test_a_review_is_recorded_before_it_is_signed(s):
    review = open_review(s)
    error = refused(lambda: sign(s, review, Party.APPRENTICE))
    assert error.message == "Record the review before signing it."
    assert review.signatures == []


def test_one_person_cannot_sign_for_two_parties(s):
    review = open_review(s)
    record(s, review)
    at_provider = MembershipFactory(organisation=s.provider, user=s.hr.user, roles=[Role.PROVIDER_COORDINATOR])
    sign(s, review, Party.EMPLOYER, who=s.hr)
    error = refused(lambda: sign(s, review, Party.PROVIDER, who=at_provider))
    assert error.message == "You have already signed this review for another party."
    assert [x.party for x in review.signatures] == ["employer"]


def test_the_third_signature_locks_the_review_and_schedules_the_next_one_interval_later(s):
    review = open_review(s)
    record(s, review)
    sign(s, review, Party.APPRENTICE)
    sign(s, review, Party.EMPLOYER)
    assert not review.is_locked and len(reviews.reviews_of(s.apprenticeship)) == 1
    sign(s, review, Party.PROVIDER)
    assert review.is_locked and review.status == "signed"
    assert (review.status_label, review.status_colour) == ("Signed", "green")
    assert review.overdue_days(date(2027, 6, 1)) == 0
    first, following = reviews.reviews_of(s.apprenticeship)
    assert first is review
    # The interval runs from the meeting (26 November), however late the last signature came.
    assert (following.number, following.due_date, following.is_locked) == (2, HELD + timedelta(weeks=12), False)
    assert following.due_date == date(2027, 2, 18)
    assert sorted(e.organisation_id for e in audited(s, "review.lock")) == sorted([s.employer.id, s.provider.id])


def test_a_review_held_before_a_break_falls_due_twelve_running_weeks_after_the_meeting(s):
    review = open_review(s)
    record(s, review, held=date(2026, 10, 30), today=date(2026, 10, 30))
    lifecycle.change(s.coordinator.user, s.apprenticeship, "pause", reason="Ill", on=date(2026, 11, 2), today=TODAY)
    for party in Party:  # the last signature arrives during the break
        sign(s, review, party, today=date(2026, 11, 20))
    following = open_review(s)
    assert following.due_date == date(2026, 10, 30) + timedelta(weeks=12)  # 22 January 2027
    lifecycle.change(s.coordinator.user, s.apprenticeship, "resume", on=date(2026, 11, 29), today=TODAY)
    # The clock stood still for the whole break (2 to 29 November, 28 days), all of it after the
    # meeting the next review counts from.
    db.session.refresh(following)
    assert following.due_date == date(2027, 2, 19)


def test_a_review_held_during_a_break_counts_only_the_break_days_after_it(s):
    review = open_review(s)
    lifecycle.change(s.coordinator.user, s.apprenticeship, "pause", reason="Ill", on=date(2026, 11, 2), today=TODAY)
    record(s, review, held=date(2026, 11, 20), today=date(2026, 11, 20))
    for party in Party:
        sign(s, review, party, today=date(2026, 11, 20))
    following = open_review(s)
    assert following.due_date == date(2026, 11, 20) + timedelta(weeks=12)  # 12 February 2027
    lifecycle.change(s.coordinator.user, s.apprenticeship, "resume", on=date(2026, 11, 29), today=TODAY)
    # Only the 9 break days after the meeting (21 to 29 November) move it, not the 19 before.
    db.session.refresh(following)
    assert following.due_date == date(2027, 2, 21)


def test_a_locked_review_refuses_every_change(s):
    review = open_review(s)
    action = reviews.add_action(s.assessor.user, review, "Read the manual", "apprentice", TODAY, TODAY)
    record(s, review)
    for party in Party:
        sign(s, review, party)
    locked = "This review has been signed by all three parties and is locked."
    assert refused(lambda: record(s, review, progress="Rewritten")).message == locked
    assert (
        refused(
            lambda: reviews.rate(s.apprentice.user, review, Party.APPRENTICE, {Party.APPRENTICE}, {ksb(s, "K1"): 1})
        ).message
        == locked
    )
    assert (
        refused(lambda: reviews.add_action(s.assessor.user, review, "More", "employer", TODAY, TODAY)).message == locked
    )
    assert refused(lambda: sign(s, review, Party.APPRENTICE)).message == locked
    db.session.refresh(review)
    assert (review.progress, review.ratings, len(review.actions), len(review.signatures)) == (
        "Engines module going well",
        [],
        1,
        3,
    )
    # Doing an agreed action changes nothing signed, so it is allowed on a locked review.
    reviews.complete_action(s.apprentice.user, action, s.apprenticeship)
    assert action.done_at is not None


@pytest.mark.parametrize("change", ["record", "rate", "action"])
def test_changing_a_recorded_review_clears_its_signatures(s, change):
    review = open_review(s)
    record(s, review)
    sign(s, review, Party.APPRENTICE)
    sign(s, review, Party.EMPLOYER)
    if change == "record":
        record(s, review, progress="Corrected after the meeting")
    elif change == "rate":
        reviews.rate(s.assessor.user, review, Party.PROVIDER, {Party.PROVIDER}, {ksb(s, "K1"): 4})
    else:
        reviews.add_action(s.assessor.user, review, "Book the welding course", "employer", TODAY, TODAY)
    assert review.signatures == []
    db.session.expire_all()
    assert db.session.get(ProgressReview, review.id).signatures == []
    assert {e.summary for e in audited(s, "review.unsign")} == {"Review 1 changed: signatures cleared"}
    # Everyone signs again, the review as it now stands.
    for party in Party:
        sign(s, review, party)
    assert db.session.get(ProgressReview, review.id).is_locked
