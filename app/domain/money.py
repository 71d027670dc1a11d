"""Money is integer pence everywhere; pounds exist only at the edges (input and display)."""

from __future__ import annotations

import re

# At most £9,999,999.99: integer pence must fit a PostgreSQL integer column.
MAX_PENCE = 999_999_999
_POUNDS = re.compile(r"^£?\s*(\d{1,7})(?:\.(\d{1,2}))?$")


def parse_pence(text: str | None) -> int | None:
    """Pounds as people type them ("£1,250.5", "95") -> integer pence (125050, 9500).

    Empty input is None. Anything that is not an amount of at most £9,999,999.99 raises
    ValueError, so a form can say what is wrong.
    """
    cleaned = (text or "").strip().replace(",", "")
    if not cleaned:
        return None
    match = _POUNDS.match(cleaned)
    if not match:
        raise ValueError(f"not an amount in pounds: {text!r}")
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def format_pounds(pence: int | None) -> str:
    """Integer pence -> "£1,250.50" ("-£5.00" when negative; "" for None)."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pence = abs(pence)
    return f"{sign}£{pence // 100:,}.{pence % 100:02d}"
