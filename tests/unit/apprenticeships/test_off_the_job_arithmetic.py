"""Off-the-job arithmetic, pinned with figures worked out by hand: targets, hours expected to
date, breaks in learning, part-time hours, leap years, first and last days, prior learning."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from app.domain.off_the_job import (
    Break,
    Plan,
    TargetBasis,
    active_days,
    expected_end,
    expected_minutes,
    hours,
    percent_of,
    target_minutes,
)

# 52 weeks exactly: 5 January 2026 to 3 January 2027 inclusive, 37.5 hours a week, 20%.
YEAR = Plan(start=date(2026, 1, 5), planned_end=date(2027, 1, 3), weekly_minutes=2250, basis=TargetBasis.PERCENT)


def test_a_years_full_time_target_is_twenty_percent_of_contracted_hours():
    assert YEAR.contract_days == 364
    assert target_minutes(YEAR) == 23_400  # 37.5 h x 52 weeks x 20% = 390 hours


def test_part_time_hours_give_a_smaller_target_on_the_same_clock():
    part_time = Plan(YEAR.start, YEAR.planned_end, weekly_minutes=1350, basis=TargetBasis.PERCENT)  # 22.5 h
    assert target_minutes(part_time) == 14_040  # 234 hours
    assert expected_minutes(part_time, [], date(2026, 1, 11)) == 270  # first full week: 4.5 hours


def test_the_first_day_the_first_week_and_the_last_week():
    assert expected_minutes(YEAR, [], date(2026, 1, 4)) == 0  # the day before the start
    assert expected_minutes(YEAR, [], date(2026, 1, 5)) == 64  # one day: 23,400 / 364, rounded down
    assert expected_minutes(YEAR, [], date(2026, 1, 11)) == 450  # one week: 7.5 hours
    assert expected_minutes(YEAR, [], date(2026, 12, 27)) == 23_400 - 450  # a week to go
    assert expected_minutes(YEAR, [], date(2027, 1, 3)) == 23_400  # the last day: the whole target
    assert expected_minutes(YEAR, [], date(2027, 6, 1)) == 23_400  # and never more


def test_a_break_in_learning_stops_the_clock_and_moves_the_end():
    four_weeks = [Break(date(2026, 2, 2), date(2026, 3, 1))]
    before = expected_minutes(YEAR, four_weeks, date(2026, 2, 1))
    assert before == 1_800  # 28 days run: 30 hours
    assert expected_minutes(YEAR, four_weeks, date(2026, 2, 15)) == before  # still paused
    assert expected_minutes(YEAR, four_weeks, date(2026, 3, 1)) == before  # the break's last day
    assert expected_minutes(YEAR, four_weeks, date(2026, 3, 2)) == 23_400 * 29 // 364
    assert active_days(YEAR, four_weeks, date(2026, 3, 1)) == 28
    assert expected_end(YEAR, four_weeks, date(2026, 6, 1)) == date(2027, 1, 31)


def test_an_open_break_moves_the_end_by_the_days_so_far():
    ongoing = [Break(date(2026, 2, 2))]
    assert expected_end(YEAR, ongoing, date(2026, 2, 10)) == date(2027, 1, 12)
    assert expected_minutes(YEAR, ongoing, date(2026, 9, 1)) == 1_800


def test_leap_years_count_the_twenty_ninth_of_february():
    leap = Plan(date(2028, 2, 1), date(2029, 1, 31), weekly_minutes=2100, basis=TargetBasis.PERCENT)
    assert leap.contract_days == 366
    assert target_minutes(leap) == 21_960  # 35 h x 366/7 weeks x 20% = 366 hours
    assert expected_minutes(leap, [], date(2028, 3, 1)) == 1_800  # 30 days (29 in February): 30 hours


def test_a_fixed_minimum_of_hours_and_prior_learning_reduce_pro_rata():
    fixed = Plan(
        date(2026, 9, 1),
        date(2029, 8, 31),
        weekly_minutes=2340,
        basis=TargetBasis.HOURS,
        fixed_hours=450,
        prior_learning=Fraction(1, 10),
    )
    assert fixed.contract_days == 1_096
    assert fixed.planned_days == 986  # 1,096 x 9/10 = 986.4
    assert target_minutes(fixed) == 405 * 60  # 450 hours less a tenth


def test_prior_learning_shortens_a_percentage_target_through_the_duration():
    quarter = Plan(
        YEAR.start, YEAR.planned_end, weekly_minutes=2250, basis=TargetBasis.PERCENT, prior_learning=Fraction(1, 4)
    )
    assert quarter.planned_days == 273 and quarter.days_saved == 91
    assert target_minutes(quarter) == 17_550  # 37.5 h x 39 weeks x 20%
    assert expected_end(quarter, [], date(2026, 1, 5)) == date(2026, 10, 4)


@pytest.mark.parametrize(
    "part, whole, expected", [(50, 200, 25), (199, 200, 99), (300, 200, 150), (0, 200, 0), (5, 0, None)]
)
def test_percentages(part, whole, expected):
    assert percent_of(part, whole) == expected


@pytest.mark.parametrize("minutes, shown", [(90, "1.5"), (600, "10"), (50, "0.8"), (0, "0"), (23_400, "390")])
def test_hours_as_people_read_them(minutes, shown):
    assert hours(minutes) == shown
