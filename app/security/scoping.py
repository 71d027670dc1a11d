"""Tenant-scoped loading: a view gets a tenant-owned object only through these helpers.

A model opts in by defining `visible_to(org) -> SQL clause`. Anything else is a 404, so the
existence of another tenant's record is never revealed.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from flask import abort
from sqlalchemy import select

from app.extensions import db


class Scoped(Protocol):
    """A model the scoped loaders can load: an `id` and a `visible_to(org)` SQL clause."""

    id: Any

    @classmethod
    def visible_to(cls, org: Any) -> Any: ...


T = TypeVar("T", bound=Scoped)


def get_for(org, model: type[T], object_id, *options) -> T:
    """Load model `object_id` if `org` may see it, else abort(404)."""
    if org is None:
        abort(404)
    try:
        key = int(object_id)
    except (TypeError, ValueError):
        abort(404)
    stmt = select(model).where(model.id == key, model.visible_to(org))
    if options:
        stmt = stmt.options(*options)
    found = db.session.scalars(stmt).first()
    if found is None:
        abort(404)
    return found


def scoped(org, model: type[T]):
    """A select() of the model's rows that `org` may see."""
    return select(model).where(model.visible_to(org))
