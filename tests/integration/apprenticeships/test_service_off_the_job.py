"""The off-the-job log: every refusal names its field and stores nothing; the assessor's
confirmation locks an entry; nobody confirms their own; a correction replaces a confirmed entry,
which stops counting; and the position figures a person reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, OffTheJobEntry
from app.models.people import Role
from app.security import policy
from app.services.apprenticeships import ApprenticeshipError, lifecycle, off_the_job
from app.services.apprenticeships.off_the_job import EntryDetails
from tests.factories.apprenticeships import person, setting

START = date(2026, 9, 1)  # 24 months, 37.5 hours a week: target 46,992 minutes (783.2 hours)
TODAY = date(2026, 12, 1)  # day 92: 46,992 x 92 / 731 = 5,914.2 minutes expected (98.6 hours)
MONDAY = date(2026, 11, 2)


def details(day=MONDAY, start=None, end=None, **changes) -> EntryDetails:
    values = {"activity": "taught_learning", "description": "Engine theory at college"}
    values.update(changes)
    return EntryDetails(day=day, starts_at=start, ends_at=end, **values)


def log(s, given: EntryDetails, *, who=None, today=TODAY) -> OffTheJobEntry:
    return off_the_job.log((who or s.apprentice).user, s.apprenticeship, given, today)


def stored(s) -> int:
    return db.session.scalar(
        select(func.count(OffTheJobEntry.id)).where(OffTheJobEntry.apprenticeship_id == s.apprenticeship.id)
    )


def audited(s, action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == action, AuditEvent.organisation_id.in_([s.employer.id, s.provider.id]))
            .order_by(AuditEvent.id)
        )
    )


def refused(s, given: EntryDetails, *, field: str | None, today=TODAY, who=None) -> str:
    """The entry is refused with a message about `field`, and nothing at all is written."""
    before = (stored(s), len(audited(s, "off_the_job.log")))
    with pytest.raises(ApprenticeshipError) as caught:
        log(s, given, who=who, today=today)
    assert caught.value.field == field
    assert (stored(s), len(audited(s, "off_the_job.log"))) == before
    return caught.value.message


@pytest.fixture
def s():
    return setting(start=START, started=True)


# -- what is stored --


def test_an_entry_with_times_is_stored_with_its_minutes_and_audited_for_both_sides(s):
    entry = log(s, details(start=time(9), end=time(12, 30), description="  Hydraulics workshop "))
    assert (entry.day, entry.minutes, entry.hours, entry.times) == (MONDAY, 210, "3.5", "09:00 to 12:30")
    assert (entry.activity_label, entry.description, entry.counts) == ("Taught learning", "Hydraulics workshop", True)
    assert entry.recorded_by_id == s.apprentice.user_id and not entry.is_confirmed
    logged = audited(s, "off_the_job.log")
    assert sorted(e.organisation_id for e in logged) == sorted([s.employer.id, s.provider.id])
    assert {e.summary for e in logged} == {"Logged 3.5 hours of off-the-job training on 2 November 2026"}
    assert {e.subject_id for e in logged} == {str(entry.id)}


def test_an_entry_can_be_just_a_duration(s):
    entry = log(s, details(duration_hours=" 1.5 ", activity="assignments"))
    assert (entry.minutes, entry.starts_at, entry.ends_at, entry.times) == (90, None, None, "")
    assert entry.activity_label == "Assignments"


def test_an_assessor_may_log_on_the_apprentices_behalf(s):
    entry = log(s, details(duration_hours="2"), who=s.assessor)
    assert entry.recorded_by_id == s.assessor.user_id


def test_time_that_does_not_count_is_stored_with_its_reason_and_not_counted(s):
    entry = log(s, details(duration_hours="2", counts=False, not_counting_reason=" Induction paperwork "))
    assert (entry.counts, entry.not_counting_reason) == (False, "Induction paperwork")
    assert off_the_job.position_of(s.apprenticeship, TODAY).logged == 0


# -- refusals: each with its message and field, and nothing stored --


@pytest.mark.parametrize(
    "given,field,message",
    [
        (details(TODAY + timedelta(days=1), duration_hours="1"), "day", "An entry cannot be in the future."),
        (
            details(date(2026, 8, 31), duration_hours="1"),
            "day",
            "The apprenticeship started on 1 September 2026; this date is before it.",
        ),
        (details(duration_hours="0"), "duration_hours", "The duration must be more than 0 hours."),
        (details(duration_hours="-1.5"), "duration_hours", "The duration must be more than 0 hours."),
        (details(duration_hours="NaN"), "duration_hours", "The duration must be more than 0 hours."),
        (details(duration_hours="Infinity"), "duration_hours", "The duration must be more than 0 hours."),
        (
            details(duration_hours="two"),
            "duration_hours",
            "Enter a start and end time, or a duration in hours like 1.5.",
        ),
        (details(), "duration_hours", "Enter a start and end time, or a duration in hours like 1.5."),
        (details(duration_hours="24.5"), "duration_hours", "A day has at most 24 hours."),
        (details(start=time(12), end=time(9)), "ends_at", "The end time must be after the start time."),
        (details(start=time(9), end=time(9)), "ends_at", "The end time must be after the start time."),
        (details(start=time(9)), "ends_at", "Enter both the start and the end time, or just a duration."),
        (details(end=time(12)), "ends_at", "Enter both the start and the end time, or just a duration."),
        (
            details(duration_hours="2", counts=False, not_counting_reason="  "),
            "not_counting_reason",
            "Say why this time does not count as off-the-job training.",
        ),
        (details(duration_hours="2", activity="napping"), "activity", "Choose the type of activity."),
        (details(duration_hours="2", description="   "), "description", "Describe what the training was."),
    ],
)
def test_a_wrong_entry_is_refused_and_nothing_is_stored(s, given, field, message):
    assert refused(s, given, field=field) == message


def test_an_overlapping_entry_is_refused(s):
    log(s, details(start=time(9), end=time(12)))
    for start, end in [(time(11), time(13)), (time(8), time(9, 30)), (time(8), time(13)), (time(10), time(11))]:
        message = refused(s, details(start=start, end=end), field="starts_at")
        assert message == "This overlaps another entry on 2 November 2026 (09:00 to 12:00, Taught learning)."
    # Touching is not overlapping; another day is another day.
    log(s, details(start=time(12), end=time(13)))
    log(s, details(start=time(7), end=time(9)))
    log(s, details(MONDAY + timedelta(days=1), start=time(9), end=time(12)))
    assert stored(s) == 4


def test_time_that_does_not_count_still_takes_its_place_in_the_day(s):
    log(s, details(start=time(9), end=time(12), counts=False, not_counting_reason="Team meeting"))
    assert refused(s, details(start=time(10), end=time(11)), field="starts_at").startswith("This overlaps")


def test_more_than_24_hours_in_a_day_is_refused(s):
    log(s, details(duration_hours="20"))
    message = refused(s, details(start=time(9), end=time(13, 30)), field="duration_hours")
    assert message == "That would make more than 24 hours on 2 November 2026."
    log(s, details(duration_hours="4"))  # exactly 24 hours
    assert refused(s, details(duration_hours="0.5"), field="duration_hours") == message
    log(s, details(MONDAY + timedelta(days=1), duration_hours="24"))
    assert stored(s) == 3


def test_an_entry_is_refused_before_the_apprenticeship_starts():
    planned = setting(start=START)
    assert refused(planned, details(duration_hours="1"), field="day") == "The apprenticeship has not started yet."


def test_an_entry_after_the_end_is_refused():
    short = setting(start=START, started=True, duration_months=1)  # the planned last day is 30 September
    log(short, details(date(2026, 9, 30), duration_hours="1"))
    message = refused(short, details(date(2026, 10, 1), duration_hours="1"), field="day")
    assert message == "The apprenticeship ends on 30 September 2026; this date is after it."


def test_a_break_moves_the_last_day_an_entry_may_fall_on():
    short = setting(start=START, started=True, duration_months=2)  # the planned last day is 31 October
    lifecycle.change(
        short.coordinator.user, short.apprenticeship, "pause", reason="Ill", on=date(2026, 9, 10), today=TODAY
    )
    lifecycle.change(short.coordinator.user, short.apprenticeship, "resume", on=date(2026, 10, 7), today=TODAY)
    # 10 September to 7 October is 28 days: the last day moves from 31 October to 28 November.
    log(short, details(date(2026, 11, 28), duration_hours="1"))
    message = refused(short, details(date(2026, 11, 29), duration_hours="1"), field="day")
    assert message == "The apprenticeship ends on 28 November 2026; this date is after it."


def test_an_entry_after_a_withdrawal_is_refused():
    today = datetime.now(UTC).date()  # the withdrawal is dated when it is recorded
    s = setting(start=today - timedelta(days=60), started=True)
    lifecycle.change(s.coordinator.user, s.apprenticeship, "withdraw", reason="Left", today=today)
    log(s, details(today - timedelta(days=1), duration_hours="1"), today=today + timedelta(days=5))
    message = refused(
        s, details(today + timedelta(days=2), duration_hours="1"), field="day", today=today + timedelta(days=5)
    )
    assert message.startswith("The apprenticeship ends on ")


def test_a_withdrawal_just_after_midnight_in_london_ends_on_that_london_day(monkeypatch):
    s = setting(start=date(2026, 3, 2), started=True)
    # 23:30 UTC on 14 June is 00:30 on 15 June in London (British Summer Time).
    monkeypatch.setattr(lifecycle, "utcnow", lambda: datetime(2026, 6, 14, 23, 30, tzinfo=UTC))
    lifecycle.change(s.coordinator.user, s.apprenticeship, "withdraw", reason="Left", today=date(2026, 6, 15))
    entry = log(s, details(date(2026, 6, 15), duration_hours="1"), today=date(2026, 6, 15))
    assert entry.day == date(2026, 6, 15)


def test_an_entry_inside_a_break_is_refused(s):
    lifecycle.change(s.coordinator.user, s.apprenticeship, "pause", reason="Ill", on=date(2026, 10, 5), today=TODAY)
    message = refused(s, details(date(2026, 10, 20), duration_hours="1"), field="day")
    assert message == "20 October 2026 is inside a break in learning, when no training is logged."
    lifecycle.change(s.coordinator.user, s.apprenticeship, "resume", on=date(2026, 11, 1), today=TODAY)
    for day in (date(2026, 10, 5), date(2026, 10, 20), date(2026, 11, 1)):
        refused(s, details(day, duration_hours="1"), field="day")
    log(s, details(date(2026, 10, 4), duration_hours="1"))
    log(s, details(date(2026, 11, 2), duration_hours="1"))
    assert stored(s) == 2


def test_a_duration_under_a_minute_is_refused(s):
    refused(s, details(duration_hours="0.01"), field="duration_hours")


# -- confirmation --


def confirm(s, who, entry):
    off_the_job.confirm(
        who.user, s.apprenticeship, entry, policy.off_the_job_confirm_refusal(who, s.apprenticeship, entry)
    )


def test_the_assessor_confirms_an_entry_which_is_then_locked(s):
    entry = log(s, details(start=time(9), end=time(12)))
    before = datetime.now(UTC)
    confirm(s, s.assessor, entry)
    assert entry.is_confirmed and entry.confirmed_by_id == s.assessor.user_id
    assert before - timedelta(seconds=1) <= entry.confirmed_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert sorted(e.organisation_id for e in audited(s, "off_the_job.confirm")) == sorted(
        [s.employer.id, s.provider.id]
    )
    error = pytest.raises(ApprenticeshipError, off_the_job.remove, s.apprentice.user, s.apprenticeship, entry)
    assert error.value.message == "A confirmed entry is locked. Log a correction instead."
    assert stored(s) == 1
    with pytest.raises(ApprenticeshipError) as again:
        confirm(s, s.assessor, entry)
    assert again.value.message == "This entry has already been confirmed."


def test_nobody_confirms_their_own_entry(s):
    entry = log(s, details(duration_hours="2"), who=s.assessor)  # logged on the apprentice's behalf
    with pytest.raises(ApprenticeshipError) as caught:
        confirm(s, s.assessor, entry)
    assert caught.value.message == "You recorded this entry, so someone else must confirm it."
    assert not entry.is_confirmed and entry.confirmed_by_id is None
    # Another of the cohort's assessors may.
    colleague = person(s.provider, Role.ASSESSOR, name="Second Assessor")
    s.cohort.assessors.append(colleague)
    db.session.flush()
    confirm(s, colleague, entry)
    assert entry.confirmed_by_id == colleague.user_id


def test_only_the_apprentices_assessor_confirms(s):
    entry = log(s, details(duration_hours="2"))
    stranger = setting(start=START, label="Elsewhere ").assessor
    for who in (s.apprentice, s.line_manager, s.hr, s.coordinator, stranger):
        with pytest.raises(ApprenticeshipError) as caught:
            confirm(s, who, entry)
        assert caught.value.message == "Only the apprentice's assessor can confirm off-the-job entries."
    assert not entry.is_confirmed
    assert audited(s, "off_the_job.confirm") == []


def test_whoever_recorded_an_unconfirmed_entry_may_remove_it_and_nobody_else(s):
    entry = log(s, details(duration_hours="2"))
    with pytest.raises(ApprenticeshipError) as caught:
        off_the_job.remove(s.assessor.user, s.apprenticeship, entry)
    assert caught.value.message == "Only the person who recorded this entry can remove it."
    assert stored(s) == 1
    off_the_job.remove(s.apprentice.user, s.apprenticeship, entry)
    assert stored(s) == 0
    assert {e.summary for e in audited(s, "off_the_job.remove")} == {
        "Removed an unconfirmed entry of 2 hours on 2 November 2026"
    }


# -- corrections --


def test_a_correction_refers_to_the_old_entry_which_stops_counting(s):
    old = log(s, details(start=time(9), end=time(12)))
    confirm(s, s.assessor, old)
    assert off_the_job.position_of(s.apprenticeship, TODAY).logged == 180
    # The correction may take the same hours of the same day: the entry it replaces no longer counts.
    new = log(s, details(start=time(9), end=time(11), corrects_id=old.id))
    assert new.corrects_id == old.id and new.corrects is old
    assert db.session.get(OffTheJobEntry, old.id) is old  # kept, as it was
    assert old.minutes == 180 and old.is_confirmed
    position = off_the_job.position_of(s.apprenticeship, TODAY)
    assert (position.logged, position.confirmed) == (120, 0)
    assert [e.id for e in db.session.scalars(off_the_job.live_entries(s.apprenticeship.id))] == [new.id]
    assert audited(s, "off_the_job.log")[-1].summary == (
        "Logged 2 hours of off-the-job training on 2 November 2026, correcting the entry of 2 November 2026"
    )


def test_a_correction_that_does_not_count_leaves_nothing_counted(s):
    old = log(s, details(duration_hours="3"))
    confirm(s, s.assessor, old)
    log(s, details(duration_hours="3", counts=False, not_counting_reason="Was a sales call", corrects_id=old.id))
    assert off_the_job.position_of(s.apprenticeship, TODAY).logged == 0


def test_what_may_be_corrected(s):
    unconfirmed = log(s, details(duration_hours="1"))
    message = refused(
        s, details(MONDAY + timedelta(days=1), duration_hours="1", corrects_id=unconfirmed.id), field=None
    )
    assert message == "Only a confirmed entry needs a correction; remove this one and log it again."

    other = setting(start=START, started=True, label="Other ")
    theirs = log(other, details(duration_hours="1"))
    confirm(other, other.assessor, theirs)
    message = refused(s, details(duration_hours="1", corrects_id=theirs.id), field=None)
    assert message == "The entry to correct is not in this log."
    assert refused(s, details(duration_hours="1", corrects_id=10**9), field=None) == message

    confirmed = log(s, details(MONDAY + timedelta(days=2), duration_hours="1"))
    confirm(s, s.assessor, confirmed)
    log(s, details(MONDAY + timedelta(days=2), duration_hours="2", corrects_id=confirmed.id))
    message = refused(s, details(MONDAY + timedelta(days=2), duration_hours="3", corrects_id=confirmed.id), field=None)
    assert message == "That entry has already been corrected."


# -- the position --


def test_position_figures(s):
    first = log(s, details(start=time(9), end=time(12)))
    log(s, details(MONDAY + timedelta(days=1), duration_hours="1.5"))
    log(s, details(MONDAY + timedelta(days=2), duration_hours="2", counts=False, not_counting_reason="Induction"))
    confirm(s, s.assessor, first)
    position = off_the_job.position_of(s.apprenticeship, TODAY)
    assert (position.target, position.logged, position.confirmed, position.expected) == (46992, 270, 180, 5914)
    assert position.percent_of_target == 0  # 270 / 46,992 = 0.57%
    assert position.percent_of_expected == 4  # 270 / 5,914 = 4.6%
    assert position.as_hours() == {"target": "783.2", "logged": "4.5", "confirmed": "3", "expected": "98.6"}
    assert off_the_job.unconfirmed_count([s.apprenticeship.id]) == 2
    # Correcting the confirmed entry: its replacement counts, unconfirmed.
    log(s, details(start=time(9), end=time(11), corrects_id=first.id))
    position = off_the_job.position_of(s.apprenticeship, TODAY)
    assert (position.logged, position.confirmed) == (210, 0)
    assert off_the_job.unconfirmed_count([s.apprenticeship.id]) == 3


def test_nothing_is_expected_before_the_start_and_the_clock_stops_in_a_break():
    planned = setting(start=START)
    position = off_the_job.position_of(planned.apprenticeship, TODAY)
    assert (position.target, position.expected, position.percent_of_expected) == (46992, 0, None)
    s = setting(start=START, started=True, label="Paused ")
    lifecycle.change(s.coordinator.user, s.apprenticeship, "pause", reason="Ill", on=date(2026, 11, 2), today=TODAY)
    # Day 62 (1 November) holds: 46,992 x 62 / 731 = 3,985.6.
    for today in (date(2026, 11, 1), date(2026, 11, 15), TODAY):
        assert off_the_job.position_of(s.apprenticeship, today).expected == 3985


def test_logged_minutes_for_many_apprenticeships_at_once(s):
    other = setting(start=START, started=True, label="Other ")
    log(s, details(duration_hours="1"))
    log(other, details(duration_hours="2.5"))
    found = off_the_job.logged_minutes([s.apprenticeship.id, other.apprenticeship.id])
    assert found == {s.apprenticeship.id: (60, 0), other.apprenticeship.id: (150, 0)}
    assert off_the_job.logged_minutes([]) == {}


def test_the_log_lists_live_entries_newest_day_first(s):
    old = log(s, details(MONDAY, duration_hours="1"))
    log(s, details(MONDAY + timedelta(days=2), duration_hours="1"))
    log(s, details(MONDAY + timedelta(days=1), duration_hours="1"))
    confirm(s, s.assessor, old)
    log(s, details(MONDAY, duration_hours="2", corrects_id=old.id))
    page = off_the_job.entries_page(s.apprenticeship, 1)
    assert [(e.day, e.minutes) for e in page.items] == [
        (MONDAY + timedelta(days=2), 60),
        (MONDAY + timedelta(days=1), 60),
        (MONDAY, 120),
    ]
