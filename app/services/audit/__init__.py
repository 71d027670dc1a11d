"""The audit log: every state change in a service calls `record`; admins read it through `queries`."""
from app.services.audit.trail import record

__all__ = ["record"]
