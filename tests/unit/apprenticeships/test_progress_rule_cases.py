"""The progress rule: on track, at risk or off track, always with the reasons a person reads."""

from __future__ import annotations

import pytest

from app.domain.progress import Position, ProgressStatus, Thresholds, assess

ON, RISK, OFF = ProgressStatus.ON_TRACK, ProgressStatus.AT_RISK, ProgressStatus.OFF_TRACK
# 100 hours expected to date in most cases below.
EXPECTED = 6000


def test_nothing_behind_is_on_track_and_says_so():
    found = assess(Position(logged_minutes=EXPECTED, expected_minutes=EXPECTED))
    assert found.status == ON
    assert found.reasons == ("everything is up to date",)


def test_nothing_expected_yet_is_on_track():
    assert assess(Position(logged_minutes=0, expected_minutes=0)).status == ON


@pytest.mark.parametrize(
    "logged,status,words",
    [
        (6600, ON, None),  # ahead of the clock
        (5400, ON, None),  # exactly 90%
        (5399, RISK, "off-the-job hours 89% of expected to date (90 of 100 hours)"),
        (4500, RISK, "off-the-job hours 75% of expected to date (75 of 100 hours)"),
        (4200, RISK, "off-the-job hours 70% of expected to date (70 of 100 hours)"),  # exactly 70%
        (4199, OFF, "off-the-job hours 69% of expected to date (70 of 100 hours)"),
        (0, OFF, "off-the-job hours 0% of expected to date (0 of 100 hours)"),
    ],
)
def test_off_the_job_hours_against_what_is_expected(logged, status, words):
    found = assess(Position(logged_minutes=logged, expected_minutes=EXPECTED))
    assert found.status == status
    assert found.reasons == ((words,) if words else ("everything is up to date",))


def test_a_shortfall_in_the_first_six_expected_hours_is_not_judged():
    assert assess(Position(logged_minutes=0, expected_minutes=359)).status == ON
    found = assess(Position(logged_minutes=0, expected_minutes=360))
    assert found.status == OFF
    assert found.reasons == ("off-the-job hours 0% of expected to date (0 of 6 hours)",)


@pytest.mark.parametrize(
    "days,status,words",
    [
        (1, RISK, "review overdue by 1 day"),
        (2, RISK, "review overdue by 2 days"),
        (28, RISK, "review overdue by 28 days"),
        (29, OFF, "review overdue by 29 days"),
    ],
)
def test_an_overdue_review(days, status, words):
    found = assess(Position(EXPECTED, EXPECTED, review_overdue_days=days))
    assert (found.status, found.reasons) == (status, (words,))


@pytest.mark.parametrize("n,words", [(1, "1 agreed action overdue"), (3, "3 agreed actions overdue")])
def test_overdue_actions_put_the_apprentice_at_risk(n, words):
    found = assess(Position(EXPECTED, EXPECTED, overdue_actions=n))
    assert (found.status, found.reasons) == (RISK, (words,))


@pytest.mark.parametrize("n,words", [(1, "1 module not passed"), (2, "2 modules not passed")])
def test_failed_modules_put_the_apprentice_at_risk(n, words):
    found = assess(Position(EXPECTED, EXPECTED, failed_modules=n))
    assert (found.status, found.reasons) == (RISK, (words,))


def test_evidence_coverage_below_the_at_risk_share_of_what_is_expected():
    # 90% of the 60% expected is 54%.
    below = assess(Position(EXPECTED, EXPECTED, coverage_percent=53, coverage_expected_percent=60))
    assert below.status == RISK
    assert below.reasons == ("evidence covers 53% of KSBs, 60% expected by now",)
    assert assess(Position(EXPECTED, EXPECTED, coverage_percent=54, coverage_expected_percent=60)).status == ON
    # Not judged until evidence is recorded, or while nothing is expected yet.
    assert assess(Position(EXPECTED, EXPECTED, coverage_percent=None, coverage_expected_percent=60)).status == ON
    assert assess(Position(EXPECTED, EXPECTED, coverage_percent=0, coverage_expected_percent=0)).status == ON


def test_the_worst_reason_sets_the_status_and_every_reason_is_given_worst_first():
    found = assess(
        Position(
            logged_minutes=4500,  # at risk
            expected_minutes=EXPECTED,
            review_overdue_days=40,  # off track
            overdue_actions=1,  # at risk
            failed_modules=2,  # at risk
        )
    )
    assert found.status == OFF
    assert found.reasons == (
        "review overdue by 40 days",
        "off-the-job hours 75% of expected to date (75 of 100 hours)",
        "1 agreed action overdue",
        "2 modules not passed",
    )


def test_several_at_risk_reasons_stay_at_risk():
    found = assess(Position(EXPECTED, EXPECTED, review_overdue_days=3, overdue_actions=2))
    assert found.status == RISK
    assert found.reasons == ("review overdue by 3 days", "2 agreed actions overdue")


def test_a_programme_sets_its_own_thresholds():
    limits = Thresholds(otj_at_risk_percent=80, otj_off_track_percent=50, review_off_track_days=14)
    assert assess(Position(4800, EXPECTED), limits).status == ON  # 80%
    assert assess(Position(4799, EXPECTED), limits).status == RISK  # 79%
    assert assess(Position(3000, EXPECTED), limits).status == RISK  # 50%
    assert assess(Position(2999, EXPECTED), limits).status == OFF  # 49%
    assert assess(Position(EXPECTED, EXPECTED, review_overdue_days=14), limits).status == RISK
    assert assess(Position(EXPECTED, EXPECTED, review_overdue_days=15), limits).status == OFF
    # The defaults are the house's: 90%, 70%, 28 days, six hours' grace.
    assert Thresholds() == Thresholds(90, 70, 28, 360)


def test_statuses_have_a_label_and_a_colour():
    assert [(s.label, s.colour) for s in ProgressStatus] == [
        ("On track", "green"),
        ("At risk", "yellow"),
        ("Off track", "red"),
    ]
