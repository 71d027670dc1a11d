"""What a request leaves behind: ONE transaction per request, and a service's refusal turned
into words for the person, in one place.

Routes call services and never commit. When the view has returned, the request commits if its
response is a success or a redirect (status below 400) and rolls back otherwise; an exception
rolls back too. A route whose refusal must still be kept (an audited failed sign-in, say) says
so with `keep_changes()`.

A service refuses with a `DomainError`. Wrap the call in `failures_on(form)` to show the message
in the form's error summary (the route then re-renders the form, 422), or in
`failures_flashed()` to flash it on the page the route redirects to. Either way the refused
request's changes are rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, flash, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.domain import DomainError
from app.extensions import db
from app.services import audit


def keep_changes() -> None:
    """Commit this request's changes even though its response is an error (4xx)."""
    g._keep_changes = True


def discard_changes() -> None:
    """Roll back what this request has written so far."""
    db.session.rollback()
    g.pop("_wrote", None)


@contextmanager
def failures_on(form: Any) -> Iterator[None]:
    """A DomainError raised inside becomes an error on `form` (on the field it names, else on
    the whole form) and the request's changes are rolled back."""
    try:
        yield
    except DomainError as exc:
        discard_changes()
        field = getattr(form, exc.field, None) if exc.field else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, exc.message]
        else:
            form.form_errors.append(exc.message)


@contextmanager
def failures_flashed() -> Iterator[None]:
    """A DomainError raised inside becomes an error message flashed on the next page, and the
    request's changes are rolled back."""
    try:
        yield
    except DomainError as exc:
        discard_changes()
        flash(exc.message, "error")


@event.listens_for(Session, "after_flush")
def _note_write(session: Session, _context: Any) -> None:
    if has_request_context():
        g._wrote = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _note_transaction_end(session: Session, *_args: Any) -> None:
    if has_request_context():
        g.pop("_wrote", None)


def init_app(app: Flask) -> None:
    @app.before_request
    def _note_where_changes_come_from() -> None:
        g._audit_ip = audit.note_ip_address(request.remote_addr)

    @app.after_request
    def _finish_transaction(response: Response) -> Response:
        wrote = g.pop("_wrote", False) or bool(db.session.new or db.session.dirty or db.session.deleted)
        if not wrote:
            return response  # a read: nothing to keep or undo
        if response.status_code < 400 or g.pop("_keep_changes", False):
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def _roll_back_on_exception(exc: BaseException | None) -> None:
        if exc is not None:
            db.session.rollback()
        token = g.pop("_audit_ip", None)
        if token is not None:
            audit.forget_ip_address(token)
