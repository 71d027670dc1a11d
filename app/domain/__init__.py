"""Plain values used everywhere: money in pence, London time and financial years, and the
`DomainError` every service error subclasses. No Flask, no database, nothing else from `app`."""

from app.domain.errors import DomainError

__all__ = ["DomainError"]
