"""Off-the-job hours arithmetic, pinned with figures worked out by hand (the working is in the
comments): the target, the hours expected by a given day, breaks in learning (closed and
open), part-time hours, a plan spanning 29 February 2028, the first day and the last week,
fixed-hours targets and prior learning reducing the plan pro rata."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest

from app.domain.off_the_job import (
    Break,
    Plan,
    TargetBasis,
    active_days,
    break_days,
    expected_end,
    expected_minutes,
    hours,
    percent_of,
    target_minutes,
)

# A 70-day plan: 2 March 2026 (a Monday) to 10 May 2026 = 30 days of March + 30 of April + 10 of May.
# 35 contracted hours a week (2,100 minutes): 2,100 x 70 / 7 = 21,000 contracted minutes; 20% = 4,200
# minutes, 70 hours. Every day of the plan adds 4,200 / 70 = 60 minutes to what is expected.
START = date(2026, 3, 2)
END = date(2026, 5, 10)
FULL_TIME = 35 * 60


def plan(weekly: int = FULL_TIME, **changes) -> Plan:
    values = {"start": START, "planned_end": END, "weekly_minutes": weekly, "basis": TargetBasis.PERCENT}
    values.update(changes)
    return Plan(**values)


# A two-year plan spanning 29 February 2028: 1 September 2026 to 31 August 2028. 1 Sep 2026 to
# 1 Sep 2027 is 365 days, 1 Sep 2027 to 1 Sep 2028 is 366 (it holds 29 Feb 2028), so 31 Aug 2028 is
# 730 days after the start: 731 days counted inclusively. 37.5 hours a week = 2,250 minutes:
# 2,250 x 731 / 7 x 20% = 32,895,000 / 700 = 46,992.86, so 46,992 minutes (783.2 hours).
LEAP = {"start": date(2026, 9, 1), "planned_end": date(2028, 8, 31), "weekly_minutes": 2250}


def leap_plan(**changes) -> Plan:
    return Plan(**{**LEAP, "basis": TargetBasis.PERCENT, **changes})


# -- the target --


def test_full_time_target_is_the_percentage_of_contracted_hours_over_the_plan():
    p = plan()
    assert p.contract_days == 70 and p.planned_days == 70 and p.days_saved == 0
    assert target_minutes(p) == 4200
    assert hours(target_minutes(p)) == "70"


@pytest.mark.parametrize(
    "weekly_minutes,target",
    [
        (14 * 60, 1680),  # 840 x 70 / 7 = 8,400 contracted minutes; 20% = 1,680 (28 hours)
        (int(22.5 * 60), 2700),  # 1,350 x 70 / 7 = 13,500; 20% = 2,700 (45 hours)
        (16 * 60, 1920),  # 960 x 10 = 9,600; 20% = 1,920 (32 hours)
    ],
)
def test_part_time_target_is_a_share_of_fewer_contracted_hours(weekly_minutes, target):
    assert target_minutes(plan(weekly_minutes)) == target


def test_part_time_clock_runs_on_calendar_days_like_a_full_time_one():
    # Day 35 is 5 April 2026 (30 days of March + 5): half the plan, so half of each target.
    half_way = date(2026, 4, 5)
    assert expected_minutes(plan(), [], half_way) == 2100
    assert expected_minutes(plan(14 * 60), [], half_way) == 840


def test_a_different_percentage_scales_the_target():
    # 21,000 contracted minutes x 15% = 3,150.
    assert target_minutes(plan(percent=15)) == 3150


def test_targets_round_down_to_whole_minutes():
    # 37.5 hours over the two-year plan: 46,992.86 minutes is 46,992.
    assert target_minutes(leap_plan()) == 46992
    assert hours(46992) == "783.2"


def test_fixed_hours_target_ignores_contracted_hours():
    for weekly in (FULL_TIME, 14 * 60):
        assert target_minutes(plan(weekly, basis=TargetBasis.HOURS, fixed_hours=400)) == 400 * 60


# -- the first day and the last week --


def test_nothing_is_expected_before_the_start():
    assert expected_minutes(plan(), [], START - timedelta(days=1)) == 0
    assert expected_minutes(plan(), [], date(2025, 1, 1)) == 0
    assert active_days(plan(), [], START - timedelta(days=1)) == 0


def test_the_first_day_expects_one_days_share():
    assert active_days(plan(), [], START) == 1
    assert expected_minutes(plan(), [], START) == 60
    # Over 731 days: 46,992 / 731 = 64.28, so 64 minutes on 1 September 2026.
    assert expected_minutes(leap_plan(), [], date(2026, 9, 1)) == 64


def test_the_last_week_reaches_the_target_exactly_on_the_last_day():
    p = plan()
    assert expected_minutes(p, [], date(2026, 5, 3)) == 3780  # day 63: 63 x 60
    assert expected_minutes(p, [], date(2026, 5, 9)) == 4140  # day 69
    assert expected_minutes(p, [], END) == 4200
    assert expected_minutes(p, [], END + timedelta(days=1)) == 4200
    assert expected_minutes(p, [], date(2027, 1, 1)) == 4200


def test_the_last_week_of_the_leap_plan():
    p = leap_plan()
    # 25 August 2028 is day 725: 46,992 x 725 = 34,069,200; / 731 = 46,606 remainder 214.
    assert expected_minutes(p, [], date(2028, 8, 25)) == 46606
    # 30 August is day 730: 46,992 x 730 = 34,304,160; / 731 = 46,927 remainder 523.
    assert expected_minutes(p, [], date(2028, 8, 30)) == 46927
    assert expected_minutes(p, [], date(2028, 8, 31)) == 46992
    assert expected_end(p, [], date(2027, 1, 1)) == date(2028, 8, 31)


# -- leap years --


def test_a_plan_spanning_29_february_has_one_more_day_than_one_that_does_not():
    leap = leap_plan()
    plain = leap_plan(start=date(2025, 9, 1), planned_end=date(2027, 8, 31))
    assert leap.contract_days == 731
    assert plain.contract_days == 730
    # 2,250 x 730 / 7 x 20% = 32,850,000 / 700 = 46,928.57 -> 46,928: the leap day is worth 64 minutes.
    assert target_minutes(plain) == 46928
    assert target_minutes(leap) - target_minutes(plain) == 64


def test_29_february_2028_is_a_day_of_the_clock():
    p = leap_plan()
    # 28 Feb 2028 is day 546 (365 days to 1 Sep 2027, then 181 to 28 Feb): 46,992 x 546 / 731 = 35,099.36.
    assert active_days(p, [], date(2028, 2, 28)) == 546
    assert expected_minutes(p, [], date(2028, 2, 28)) == 35099
    # 29 Feb is day 547: 46,992 x 547 / 731 = 35,163.64.
    assert active_days(p, [], date(2028, 2, 29)) == 547
    assert expected_minutes(p, [], date(2028, 2, 29)) == 35163
    # 1 Mar is day 548: 46,992 x 548 / 731 = 35,227.93.
    assert expected_minutes(p, [], date(2028, 3, 1)) == 35227


def test_a_break_over_29_february_counts_it_as_a_paused_day():
    # 15 February to 14 March 2028 inclusive: 15 days of February (15..29) + 14 of March = 29 days.
    paused = Break(date(2028, 2, 15), date(2028, 3, 14))
    assert paused.days_until(date(2028, 12, 31)) == 29
    assert expected_end(leap_plan(), [paused], date(2028, 12, 31)) == date(2028, 8, 31) + timedelta(days=29)
    assert expected_end(leap_plan(), [paused], date(2028, 12, 31)) == date(2028, 9, 29)


# -- breaks in learning --

CLOSED = Break(date(2026, 3, 12), date(2026, 3, 21))  # 10 days


def test_a_closed_break_stops_the_clock_while_it_lasts():
    p = plan()
    assert expected_minutes(p, [CLOSED], date(2026, 3, 11)) == 600  # day 10
    assert expected_minutes(p, [CLOSED], date(2026, 3, 12)) == 600  # first day of the break
    assert expected_minutes(p, [CLOSED], date(2026, 3, 16)) == 600
    assert expected_minutes(p, [CLOSED], date(2026, 3, 21)) == 600  # last day of the break
    assert expected_minutes(p, [CLOSED], date(2026, 3, 22)) == 660  # the clock runs again: day 11
    # 31 March: 30 days have passed, 10 of them in the break.
    assert break_days([CLOSED], date(2026, 3, 31)) == 10
    assert active_days(p, [CLOSED], date(2026, 3, 31)) == 20
    assert expected_minutes(p, [CLOSED], date(2026, 3, 31)) == 1200


def test_a_closed_break_moves_the_end_by_its_length_and_the_target_is_reached_then():
    p = plan()
    assert expected_end(p, [CLOSED], date(2026, 4, 1)) == date(2026, 5, 20)
    assert expected_minutes(p, [CLOSED], END) == 3600  # 70 days passed, 10 paused: day 60
    assert expected_minutes(p, [CLOSED], date(2026, 5, 19)) == 4140
    assert expected_minutes(p, [CLOSED], date(2026, 5, 20)) == 4200
    assert target_minutes(p) == 4200  # a break moves the dates, not the target


def test_an_open_break_holds_the_clock_and_moves_the_end_day_by_day():
    open_break = Break(date(2026, 4, 1))
    p = plan()
    assert expected_minutes(p, [open_break], date(2026, 3, 31)) == 1800  # day 30, before it
    assert expected_minutes(p, [open_break], date(2026, 4, 10)) == 1800
    assert expected_minutes(p, [open_break], date(2026, 6, 30)) == 1800
    # It counts up to today: 10 days by 10 April, 20 by 20 April; nothing before it starts.
    assert expected_end(p, [open_break], date(2026, 3, 31)) == END
    assert expected_end(p, [open_break], date(2026, 4, 10)) == date(2026, 5, 20)
    assert expected_end(p, [open_break], date(2026, 4, 20)) == date(2026, 5, 30)


def test_a_closed_and_an_open_break_add_up():
    breaks = [CLOSED, Break(date(2026, 4, 20))]
    # 10 days closed + 20 to 29 April (10 days) open.
    assert expected_end(plan(), breaks, date(2026, 4, 29)) == date(2026, 5, 30)
    # By 29 April 59 days have passed, 20 of them paused: day 39.
    assert expected_minutes(plan(), breaks, date(2026, 4, 29)) == 39 * 60


def test_break_days_count_only_up_to_the_day_asked_about():
    assert CLOSED.days_until(date(2026, 3, 11)) == 0
    assert CLOSED.days_until(date(2026, 3, 12)) == 1
    assert CLOSED.days_until(date(2026, 3, 15)) == 4
    assert CLOSED.days_until(date(2027, 1, 1)) == 10
    assert CLOSED.covers(date(2026, 3, 12)) and CLOSED.covers(date(2026, 3, 21))
    assert not CLOSED.covers(date(2026, 3, 11)) and not CLOSED.covers(date(2026, 3, 22))
    assert Break(date(2026, 4, 1)).covers(date(2030, 1, 1))


# -- prior learning --


def test_prior_learning_shortens_the_plan_and_the_target_pro_rata():
    # A seventh recognised: 70 x 6/7 = 60 days; 2,100 x 60 / 7 x 20% = 3,600 = 4,200 x 6/7.
    p = plan(prior_learning=Fraction(1, 7))
    assert p.contract_days == 70 and p.planned_days == 60 and p.days_saved == 10
    assert target_minutes(p) == 3600
    assert expected_end(p, [], date(2026, 4, 1)) == date(2026, 4, 30)  # 2 March + 59 days
    assert expected_minutes(p, [], date(2026, 3, 31)) == 1800  # day 30 of 60
    assert expected_minutes(p, [], date(2026, 4, 30)) == 3600
    assert expected_minutes(p, [], END) == 3600


def test_prior_learning_on_the_leap_plan():
    # A quarter recognised: 731 x 3/4 = 548.25 -> 548 days; 2,250 x 548 / 7 x 20% = 35,228.57 -> 35,228.
    p = leap_plan(prior_learning=Fraction(1, 4))
    assert p.planned_days == 548 and p.days_saved == 183
    assert target_minutes(p) == 35228
    # 1 September 2026 + 547 days is 1 March 2028.
    assert expected_end(p, [], date(2027, 1, 1)) == date(2028, 3, 1)


def test_prior_learning_reduces_a_fixed_hours_target_pro_rata():
    assert target_minutes(plan(basis=TargetBasis.HOURS, fixed_hours=400, prior_learning=Fraction(1, 4))) == 18000
    assert target_minutes(plan(basis=TargetBasis.HOURS, fixed_hours=400, prior_learning=Fraction(1, 3))) == 16000
    # 100 hours less a seventh: 6,000 x 6/7 = 5,142.86 -> 5,142.
    assert target_minutes(plan(basis=TargetBasis.HOURS, fixed_hours=100, prior_learning=Fraction(1, 7))) == 5142


def test_fixed_hours_target_with_prior_learning_is_spread_over_the_shorter_plan():
    # A third recognised: 70 x 2/3 = 46.67 -> 47 days; 16,000 minutes over 47 days.
    p = plan(basis=TargetBasis.HOURS, fixed_hours=400, prior_learning=Fraction(1, 3))
    assert p.planned_days == 47
    assert expected_minutes(p, [], START) == 340  # 16,000 / 47 = 340.4
    assert expected_minutes(p, [], START + timedelta(days=46)) == 16000


def test_everything_recognised_leaves_a_one_day_plan():
    p = plan(prior_learning=Fraction(1))
    assert p.planned_days == 1
    assert target_minutes(p) == 60  # one day's share of 20% of 35 hours a week
    assert target_minutes(plan(basis=TargetBasis.HOURS, fixed_hours=400, prior_learning=Fraction(1))) == 0


def test_a_one_day_plan():
    p = plan(planned_end=START)
    assert p.contract_days == 1
    assert expected_minutes(p, [], START) == target_minutes(p) == 60
    assert expected_end(p, [], START) == START


# -- figures for people --


@pytest.mark.parametrize(
    "minutes,shown",
    [
        (0, "0"),
        (30, "0.5"),
        (45, "0.8"),
        (50, "0.8"),
        (60, "1"),
        (63, "1.1"),
        (90, "1.5"),
        (600, "10"),
        (4200, "70"),
        (46992, "783.2"),
    ],
)
def test_minutes_are_shown_as_hours_to_one_decimal_place(minutes, shown):
    assert hours(minutes) == shown


@pytest.mark.parametrize(
    "part,whole,percent",
    [(45, 60, 75), (2, 3, 66), (60, 60, 100), (90, 60, 150), (0, 60, 0), (4199, 6000, 69)],
)
def test_percent_of_is_a_whole_percentage_rounded_down(part, whole, percent):
    assert percent_of(part, whole) == percent


def test_percent_of_nothing_is_not_a_number():
    assert percent_of(10, 0) is None
    assert percent_of(0, 0) is None
    assert percent_of(5, -1) is None


def test_overlapping_breaks_pause_each_calendar_day_once():
    # The services refuse a break that starts before the last one ended, but the arithmetic
    # promises (module docstring) that what is expected never goes down, whatever the breaks.
    breaks = [CLOSED, Break(date(2026, 3, 15), date(2026, 3, 16))]
    assert expected_minutes(plan(), breaks, date(2026, 3, 15)) >= expected_minutes(plan(), breaks, date(2026, 3, 14))
    assert expected_end(plan(), breaks, date(2026, 4, 1)) == date(2026, 5, 20)  # 10 paused days, not 12


@pytest.mark.parametrize("minutes,shown", [(15, "0.3"), (57, "1"), (87, "1.5")])
def test_a_half_tenth_of_an_hour_always_rounds_up(minutes, shown):
    assert hours(minutes) == shown
