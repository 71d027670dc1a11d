"""The hub's search filters as a GET form: the ranges a visitor types or picks are checked, and
a problem is said in words (error summary and field) rather than the filter silently ignored."""

from __future__ import annotations

import re

from wtforms import Form, StringField, ValidationError

_WHOLE_POUNDS = re.compile(r"£?\s*(\d{1,3}(?:,\d{3})+|\d+)")
_WHOLE_NUMBER = re.compile(r"\d+")


def _number(field, pattern: re.Pattern) -> int | None:
    value = (field.data or "").strip()
    if not value:
        return None
    match = pattern.fullmatch(value)
    if not match:
        raise ValueError
    # Beyond any price or credit on the hub; capped so the database never sees an overflow.
    return min(int(match.group(1 if match.groups() else 0).replace(",", "")), 1_000_000_000)


class HubFilterForm(Form):
    """The typed and chosen ranges of the filter panel (the rest are closed lists, read by
    HubFilters.from_args). Fields are strings so what was typed is shown back as typed."""

    level_min = StringField("SCQF level from")
    level_max = StringField("SCQF level to")
    credits_min = StringField("SCQF credit points from")
    credits_max = StringField("SCQF credit points to")
    price_min = StringField("Price from")
    price_max = StringField("Price to")

    MESSAGES = {
        "level_min": "Choose the lowest SCQF level from 1 to 12",
        "level_max": "Choose the highest SCQF level from 1 to 12",
        "credits_min": "Enter the lowest SCQF credit points as a number, like 10",
        "credits_max": "Enter the highest SCQF credit points as a number, like 30",
        "price_min": "Enter the minimum price as a number, like 250",
        "price_max": "Enter the maximum price as a number, like 1000",
    }

    def _value(self, name: str) -> int | None:
        field = self[name]
        try:
            number = _number(field, _WHOLE_POUNDS if name.startswith("price") else _WHOLE_NUMBER)
        except ValueError:
            raise ValidationError(self.MESSAGES[name]) from None
        if name.startswith("level") and number is not None and not 1 <= number <= 12:
            raise ValidationError(self.MESSAGES[name])
        return number

    def validate_level_min(self, field):
        self._range("level_min", "level_max", "The lowest SCQF level must not be higher than the highest")

    def validate_level_max(self, field):
        self._value("level_max")

    def validate_credits_min(self, field):
        self._range("credits_min", "credits_max", "The lowest SCQF credit points must not be more than the highest")

    def validate_credits_max(self, field):
        self._value("credits_max")

    def validate_price_min(self, field):
        self._range("price_min", "price_max", "The minimum price must not be higher than the maximum price")

    def validate_price_max(self, field):
        self._value("price_max")

    def _range(self, low_name: str, high_name: str, reversed_message: str) -> None:
        low = self._value(low_name)
        try:
            high = self._value(high_name)
        except ValidationError:
            return  # said on the other field
        if low is not None and high is not None and low > high:
            raise ValidationError(reversed_message)

    def ranges(self) -> dict[str, int | None]:
        """The checked values, for HubFilters (call after validate() passed)."""
        return {name: self._value(name) for name in self.MESSAGES}
