"""Time as people in the UK read it: datetimes are stored in UTC and shown in Europe/London;
CPD money is counted in financial years, named by the calendar year they start in."""

from __future__ import annotations

from datetime import date, datetime
from typing import overload
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
DEFAULT_FINANCIAL_YEAR_START_MONTH = 4  # April, as UK public bodies count


def london(value: datetime | None, fmt: str = "%-d %B %Y, %H:%M") -> str:
    """A UTC datetime as London time, "2 December 2026, 17:41" ("" for None)."""
    if value is None:
        return ""
    return value.astimezone(LONDON).strftime(fmt)


def london_date(value: date | datetime | None) -> str:
    """A date, or a datetime's London day, as "2 December 2026" ("" for None)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON)
    return value.strftime("%-d %B %Y")


def financial_year_of(day: date, start_month: int = DEFAULT_FINANCIAL_YEAR_START_MONTH) -> int:
    """The financial year that `day` falls in."""
    return day.year if day.month >= start_month else day.year - 1


def financial_year_label(year: int, start_month: int = DEFAULT_FINANCIAL_YEAR_START_MONTH) -> str:
    """ "2026-27" for an April start; "2026" when the financial year is the calendar year."""
    if start_month == 1:
        return str(year)
    return f"{year}-{(year + 1) % 100:02d}"


def financial_year_bounds(year: int, start_month: int = DEFAULT_FINANCIAL_YEAR_START_MONTH) -> tuple[date, date]:
    """First day of the financial year and first day of the next one. A year outside date's
    range (from a URL, say) is clamped, so it simply matches nothing."""
    year = min(max(year, date.min.year), date.max.year - 1)
    return date(year, start_month, 1), date(year + 1, start_month, 1)


@overload
def parse_financial_year(text: str | None, default: int) -> int: ...
@overload
def parse_financial_year(text: str | None, default: None) -> int | None: ...
def parse_financial_year(text: str | None, default: int | None) -> int | None:
    """A financial year from a query string; anything that is not a plausible year is `default`."""
    try:
        year = int((text or "").strip())
    except ValueError:
        return default
    return year if date.min.year <= year < date.max.year else default


def london_today() -> date:
    """Today's date in London (what "today" means to people using Credwork)."""
    return datetime.now(LONDON).date()
