"""Amounts typed in pounds become exact integer pence (no floating point on the way), and pence
are shown as people write pounds."""

from __future__ import annotations

import pytest

from app.domain.money import MAX_PENCE, format_pounds, parse_pence


@pytest.mark.parametrize(
    "typed,pence",
    [
        ("450", 45_000),
        ("450.5", 45_050),
        ("450.50", 45_050),
        ("£1,250.05", 125_005),
        (" 0.01 ", 1),
        ("19.99", 1_999),
        ("", None),
        (None, None),
        ("9999999.99", MAX_PENCE),
    ],
)
def test_pounds_become_pence(typed, pence):
    assert parse_pence(typed) == pence


@pytest.mark.parametrize("typed", ["-5", "12.345", "ten", "1e3", "£", "4 50", "10000000"])
def test_anything_else_is_refused(typed):
    with pytest.raises(ValueError):
        parse_pence(typed)


@pytest.mark.parametrize("pence,shown", [(125_005, "£1,250.05"), (0, "£0.00"), (-500, "-£5.00"), (None, "")])
def test_pence_are_shown_in_pounds(pence, shown):
    assert format_pounds(pence) == shown
