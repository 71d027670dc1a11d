"""The one error apprenticeship services raise: a rule was broken, in words for the person."""

from app.domain import DomainError


class ApprenticeshipError(DomainError):
    """A refusal with a sentence for the person (and, for forms, the field it is about)."""
