"""The audit log: every state change in a service calls `record`; admins read it through `queries`."""

from app.services.audit.trail import forget_ip_address, note_ip_address, record

__all__ = ["forget_ip_address", "note_ip_address", "record"]
