"""The one base class of every error a service raises for a person to read."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused what someone asked for.

    Its message is written for the person who asked: the web layer shows it as the form's error
    or as a flash message, in one place (`app.blueprints.outcomes`). `field` names the form
    field at fault, when one is.
    """

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        if field is not None:
            self.field = field

    @property
    def message(self) -> str:
        return str(self)
