"""The progress status rule: on track, at risk or off track, always with its reasons."""

from __future__ import annotations

from app.domain.progress import Position, ProgressStatus, Thresholds, assess

HOUR = 60


def test_up_to_date_is_on_track():
    result = assess(Position(logged_minutes=100 * HOUR, expected_minutes=100 * HOUR))
    assert result.status == ProgressStatus.ON_TRACK
    assert result.reasons == ("everything is up to date",)


def test_hours_behind_are_at_risk_then_off_track():
    at_risk = assess(Position(85 * HOUR, 100 * HOUR))
    assert at_risk.status == ProgressStatus.AT_RISK
    assert at_risk.reasons == ("off-the-job hours 85% of expected to date (85 of 100 hours)",)
    assert assess(Position(69 * HOUR, 100 * HOUR)).status == ProgressStatus.OFF_TRACK
    assert assess(Position(70 * HOUR, 100 * HOUR)).status == ProgressStatus.AT_RISK
    assert assess(Position(90 * HOUR, 100 * HOUR)).status == ProgressStatus.ON_TRACK


def test_the_first_weeks_are_not_judged_on_hours():
    assert assess(Position(0, 5 * HOUR)).status == ProgressStatus.ON_TRACK
    assert assess(Position(0, 6 * HOUR)).status == ProgressStatus.OFF_TRACK


def test_an_overdue_review_says_by_how_long():
    assert assess(Position(10, 10, review_overdue_days=1)).reasons == ("review overdue by 1 day",)
    nine = assess(Position(10, 10, review_overdue_days=9))
    assert (nine.status, nine.reasons) == (ProgressStatus.AT_RISK, ("review overdue by 9 days",))
    assert assess(Position(10, 10, review_overdue_days=28)).status == ProgressStatus.AT_RISK
    assert assess(Position(10, 10, review_overdue_days=29)).status == ProgressStatus.OFF_TRACK


def test_overdue_actions_failed_modules_and_evidence_coverage_put_an_apprentice_at_risk():
    result = assess(
        Position(10, 10, overdue_actions=2, failed_modules=1, coverage_percent=20, coverage_expected_percent=45)
    )
    assert result.status == ProgressStatus.AT_RISK
    assert result.reasons == (
        "2 agreed actions overdue",
        "1 module not passed",
        "evidence covers 20% of KSBs, 45% expected by now",
    )
    assert assess(Position(10, 10, coverage_percent=45, coverage_expected_percent=45)).status == ProgressStatus.ON_TRACK


def test_the_worst_reason_sets_the_status_and_is_listed_first():
    result = assess(Position(50 * HOUR, 100 * HOUR, review_overdue_days=3, overdue_actions=1))
    assert result.status == ProgressStatus.OFF_TRACK
    assert result.reasons[0].startswith("off-the-job hours 50%")
    assert result.reasons[1:] == ("review overdue by 3 days", "1 agreed action overdue")


def test_each_programme_sets_its_own_thresholds():
    strict = Thresholds(otj_at_risk_percent=95, otj_off_track_percent=90, review_off_track_days=7)
    assert assess(Position(92 * HOUR, 100 * HOUR), strict).status == ProgressStatus.AT_RISK
    assert assess(Position(89 * HOUR, 100 * HOUR), strict).status == ProgressStatus.OFF_TRACK
    assert assess(Position(10, 10, review_overdue_days=8), strict).status == ProgressStatus.OFF_TRACK


def test_labels_and_colours_say_the_same_thing():
    assert [(s.label, s.colour) for s in ProgressStatus] == [
        ("On track", "green"),
        ("At risk", "yellow"),
        ("Off track", "red"),
    ]
