"""Field helpers shared by feature forms."""

from __future__ import annotations

from datetime import date, time
from urllib.parse import urlsplit

from flask import request, url_for
from wtforms import DateField, StringField

from app.blueprints.converters import MAX_ID


def safe_next(target: str | None, default_endpoint: str = "main.dashboard") -> str:
    """Only same-site relative paths are followed after sign-in (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
        ):
            return target
    return url_for(default_endpoint)


def next_param() -> str | None:
    return request.values.get("next")


class DateBoxesField(DateField):
    """GOV.UK's three-box date (day, month, year). Empty is None; a partial or impossible date
    is an error naming the field."""

    def process_formdata(self, valuelist):
        if len(valuelist) != 3:
            valuelist = ["", "", ""]
        self.raw_data = list(valuelist)
        if not any(v.strip() for v in valuelist):
            self.data = None
            return
        try:
            self.data = date(int(valuelist[2]), int(valuelist[1]), int(valuelist[0]))
        except (ValueError, OverflowError):
            self.data = None
            raise ValueError(f"Enter a real {self.label.text.lower()}, for example 27 3 2026") from None


class TimeOfDayField(StringField):
    """A time typed as 09:30 (or 9.30), kept in `.data` as a `time`; empty is None."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().replace(".", ":")
        self.raw_data = list(valuelist)
        if not text:
            self.data = None
            return
        try:
            hour, minute = (int(part) for part in text.split(":")) if ":" in text else (int(text), 0)
            self.data = time(hour, minute)
        except (ValueError, TypeError):
            self.data = None
            raise ValueError(f"Enter {self.label.text.lower()} as a 24-hour time, like 09:30") from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if self.data else ""


def id_arg(value: object) -> int | None:
    """A record id from a query string or form value: a whole number the database can hold,
    else None (so "999999999999" names nothing instead of failing in the database)."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
