"""The off-the-job log refuses every wrong entry with a clear message on the right field, and
stores nothing; the assessor confirms, which locks; a correction replaces a confirmed entry."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from app.extensions import db
from app.models import AuditEvent, OffTheJobEntry
from app.security.policy import off_the_job_confirm_refusal
from app.services.apprenticeships import ApprenticeshipError, lifecycle, off_the_job
from tests.factories.apprenticeships import log_hours, setting

TODAY = date.today()


def _entry(day, start=None, end=None, duration="", **changes):
    return off_the_job.EntryDetails(
        day=day,
        activity=changes.pop("activity", "practical_training"),
        description=changes.pop("description", "Workshop practice"),
        starts_at=start,
        ends_at=end,
        duration_hours=duration,
        **changes,
    )


def _count(s) -> int:
    return db.session.query(OffTheJobEntry).filter_by(apprenticeship_id=s.apprenticeship.id).count()


@pytest.fixture
def s():
    found = setting(started=True, start=TODAY - timedelta(days=60))
    log_hours(found, TODAY - timedelta(days=2), time(9), time(12))
    return found


@pytest.mark.parametrize(
    "details, field, words",
    [
        (lambda: _entry(TODAY - timedelta(days=2), time(11), time(13)), "starts_at", "overlaps another entry"),
        (lambda: _entry(TODAY + timedelta(days=1), time(9), time(10)), "day", "cannot be in the future"),
        (lambda: _entry(TODAY - timedelta(days=61), time(9), time(10)), "day", "this date is before it"),
        (lambda: _entry(TODAY - timedelta(days=2), duration="22"), "duration_hours", "more than 24 hours"),
        (lambda: _entry(TODAY - timedelta(days=3), duration="0"), "duration_hours", "more than 0 hours"),
        (lambda: _entry(TODAY - timedelta(days=3), duration="-2"), "duration_hours", "more than 0 hours"),
        (lambda: _entry(TODAY - timedelta(days=3), duration="25"), "duration_hours", "at most 24 hours"),
        (lambda: _entry(TODAY - timedelta(days=3), duration="lots"), "duration_hours", "a duration in hours"),
        (lambda: _entry(TODAY - timedelta(days=3), time(14), time(13)), "ends_at", "end time must be after"),
        (lambda: _entry(TODAY - timedelta(days=3), time(9), None), "ends_at", "both the start and the end"),
        (
            lambda: _entry(TODAY - timedelta(days=3), duration="2", counts=False),
            "not_counting_reason",
            "does not count",
        ),
        (lambda: _entry(TODAY - timedelta(days=3), duration="2", activity="napping"), "activity", "type of activity"),
    ],
)
def test_a_wrong_entry_is_refused_on_its_field_and_nothing_is_stored(s, details, field, words):
    with pytest.raises(ApprenticeshipError) as refused:
        off_the_job.log(s.apprentice.user, s.apprenticeship, details(), TODAY)
    assert refused.value.field == field
    assert words in refused.value.message
    assert _count(s) == 1


def test_entries_inside_a_break_or_before_the_start_are_refused(s):
    lifecycle.change(
        s.coordinator.user,
        s.apprenticeship,
        "pause",
        reason="Family illness",
        on=TODAY - timedelta(days=1),
        today=TODAY,
    )
    with pytest.raises(ApprenticeshipError, match="inside a break in learning"):
        off_the_job.log(s.apprentice.user, s.apprenticeship, _entry(TODAY, duration="1"), TODAY)
    planned = setting(label="Planned ")
    with pytest.raises(ApprenticeshipError, match="has not started"):
        off_the_job.log(planned.apprentice.user, planned.apprenticeship, _entry(TODAY, duration="1"), TODAY)


def test_a_day_adds_up_to_at_most_24_hours_and_touching_times_do_not_overlap(s):
    day = TODAY - timedelta(days=2)
    off_the_job.log(
        s.apprentice.user, s.apprenticeship, _entry(day, time(12), time(13)), TODAY
    )  # starts as the other ends
    off_the_job.log(s.apprentice.user, s.apprenticeship, _entry(day, duration="20"), TODAY)  # 3 + 1 + 20 = 24
    with pytest.raises(ApprenticeshipError, match="more than 24 hours"):
        off_the_job.log(s.apprentice.user, s.apprenticeship, _entry(day, duration="0.25"), TODAY)


def test_the_assessor_confirms_others_entries_never_their_own_and_confirmed_entries_are_locked(s):
    entry = db.session.query(OffTheJobEntry).filter_by(apprenticeship_id=s.apprenticeship.id).one()
    assert (
        off_the_job_confirm_refusal(s.line_manager, s.apprenticeship, entry)
        == "Only the apprentice's assessor can confirm off-the-job entries."
    )
    own = off_the_job.log(s.assessor.user, s.apprenticeship, _entry(TODAY - timedelta(days=5), duration="2"), TODAY)
    assert "someone else must confirm it" in off_the_job_confirm_refusal(s.assessor, s.apprenticeship, own)
    off_the_job.confirm(
        s.assessor.user, s.apprenticeship, entry, off_the_job_confirm_refusal(s.assessor, s.apprenticeship, entry)
    )
    assert entry.is_confirmed and entry.confirmed_by_id == s.assessor.user.id
    assert off_the_job_confirm_refusal(s.assessor, s.apprenticeship, entry) == "This entry has already been confirmed."
    with pytest.raises(ApprenticeshipError, match="confirmed entry is locked"):
        off_the_job.remove(s.apprentice.user, s.apprenticeship, entry)
    actions = {e.action for e in db.session.query(AuditEvent).filter(AuditEvent.subject_type == "OffTheJobEntry")}
    assert {"off_the_job.log", "off_the_job.confirm"} <= actions


def test_a_correction_refers_to_the_confirmed_entry_which_stops_counting(s):
    entry = db.session.query(OffTheJobEntry).filter_by(apprenticeship_id=s.apprenticeship.id).one()
    off_the_job.confirm(s.assessor.user, s.apprenticeship, entry, None)
    before = off_the_job.position_of(s.apprenticeship, TODAY)
    assert before.logged == 180 and before.confirmed == 180
    fixed = off_the_job.log(
        s.apprentice.user, s.apprenticeship, _entry(entry.day, time(9), time(11), corrects_id=entry.id), TODAY
    )
    assert fixed.corrects_id == entry.id
    after = off_the_job.position_of(s.apprenticeship, TODAY)
    assert (after.logged, after.confirmed) == (120, 0)
    db.session.refresh(entry)
    assert entry.minutes == 180 and entry.is_confirmed  # the old entry is kept as it was
    with pytest.raises(ApprenticeshipError, match="already been corrected"):
        off_the_job.log(
            s.apprentice.user, s.apprenticeship, _entry(entry.day, duration="1", corrects_id=entry.id), TODAY
        )


def test_only_the_recorder_removes_an_unconfirmed_entry(s):
    entry = db.session.query(OffTheJobEntry).filter_by(apprenticeship_id=s.apprenticeship.id).one()
    with pytest.raises(ApprenticeshipError, match="Only the person who recorded"):
        off_the_job.remove(s.assessor.user, s.apprenticeship, entry)
    off_the_job.remove(s.apprentice.user, s.apprenticeship, entry)
    assert _count(s) == 0


def test_not_counting_time_is_logged_with_its_reason_and_left_out_of_the_total(s):
    off_the_job.log(
        s.apprentice.user,
        s.apprenticeship,
        _entry(
            TODAY - timedelta(days=4), duration="2", counts=False, not_counting_reason="English and maths to level 2"
        ),
        TODAY,
    )
    assert off_the_job.position_of(s.apprenticeship, TODAY).logged == 180
