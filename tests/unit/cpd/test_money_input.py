"""Amounts typed in pounds become exact integer pence (no floating point on the way)."""
from __future__ import annotations

import pytest

from app.blueprints.cpd.forms import pence_from


@pytest.mark.parametrize("typed,pence", [
    ("450", 45_000), ("450.5", 45_050), ("450.50", 45_050), ("£1,250.05", 125_005), (" 0.01 ", 1),
    ("19.99", 1_999), ("", None), (None, None),
])
def test_pounds_become_pence(typed, pence):
    assert pence_from(typed) == pence


@pytest.mark.parametrize("typed", ["-5", "12.345", "ten", "1e3", "£", "4 50"])
def test_anything_else_is_refused(typed):
    with pytest.raises(ValueError):
        pence_from(typed)
