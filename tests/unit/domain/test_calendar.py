"""London time and financial years, as UK employers count them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.domain.calendar import (
    financial_year_bounds,
    financial_year_label,
    financial_year_of,
    london,
    london_date,
    parse_financial_year,
)


def test_times_are_shown_in_london_summer_and_winter():
    assert london(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == "1 July 2026, 13:00"
    assert london(datetime(2026, 12, 1, 12, 0, tzinfo=UTC)) == "1 December 2026, 12:00"
    assert london_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026"
    assert london(None) == "" and london_date(None) == ""


@pytest.mark.parametrize(
    "day,start_month,year",
    [
        (date(2026, 4, 1), 4, 2026),
        (date(2026, 3, 31), 4, 2025),
        (date(2026, 1, 1), 1, 2026),
    ],
)
def test_a_day_falls_in_the_financial_year_that_started_before_it(day, start_month, year):
    assert financial_year_of(day, start_month) == year


def test_financial_years_are_named_and_bounded():
    assert financial_year_label(2026) == "2026-27"
    assert financial_year_label(2026, start_month=1) == "2026"
    assert financial_year_bounds(2026) == (date(2026, 4, 1), date(2027, 4, 1))
    assert financial_year_bounds(-99999999999) == (date(1, 4, 1), date(2, 4, 1))


@pytest.mark.parametrize(
    "text,year", [("2025", 2025), ("", 2026), ("nonsense", 2026), ("-99999999999999999999", 2026), (None, 2026)]
)
def test_a_year_from_the_address_bar_is_a_plausible_year_or_the_default(text, year):
    assert parse_financial_year(text, default=2026) == year
