"""Writing the audit log. Every state change in a service calls `record`."""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import Any

from app.extensions import db
from app.models import AuditEvent

# Where the change came from (the client's address), set by the web layer for each request
# (app.blueprints.outcomes) so services never read the request themselves.
_ip_address: ContextVar[str | None] = ContextVar("audit_ip_address", default=None)


def note_ip_address(address: str | None) -> Token[str | None]:
    """Record `address` on every audit event written until `forget_ip_address(token)`."""
    return _ip_address.set(address)


def forget_ip_address(token: Token[str | None]) -> None:
    _ip_address.reset(token)


def record(actor, action: str, subject, summary: str, *, organisation=None, **details: Any) -> AuditEvent:
    """Append one event: `actor` (a User or None for the system) did `action` to `subject`."""
    org_id = getattr(organisation, "id", organisation)
    if org_id is None:
        org_id = getattr(subject, "organisation_id", None)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        organisation_id=org_id,
        action=action,
        subject_type=type(subject).__name__ if subject is not None else "-",
        subject_id=str(getattr(subject, "id", "")) or None,
        summary=summary[:500],
        details={k: _plain(v) for k, v in details.items()},
        ip_address=_ip_address.get(),
    )
    db.session.add(event)
    db.session.flush()
    return event


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
