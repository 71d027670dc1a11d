"""Error pages for people, JSON errors under /api/, and the alert region for htmx requests."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.blueprints.outcomes import discard_changes

MESSAGES = {
    400: ("There is a problem with the request", "The request could not be understood. Go back and try again."),
    401: ("Sign in to continue", "You need to sign in to see this page."),
    403: (
        "You do not have permission to see this page",
        "Your role in this organisation does not allow this. If you think it should, ask your organisation admin.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you followed a link, "
        "the page may have moved or you may not have access to it.",
    ),
    405: ("That action is not allowed here", "Go back and try again."),
    410: ("This link no longer works", "It has expired or has already been used."),
    413: ("The file is too large", "Upload a smaller file."),
    422: ("There is a problem", "Check what you entered and try again."),
    429: ("Too many attempts", "Wait a minute and try again."),
    503: (
        "Credwork is busy",
        "Another change was being saved at the same moment. Nothing you entered was saved: try again.",
    ),
    500: ("Sorry, there is a problem with the service", "Try again later. Nothing you entered has been saved."),
}


def _respond(code: int, detail: str | None = None):
    title, body = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    if request.path.startswith("/api/"):
        return jsonify({"error": {"status": code, "title": title, "detail": detail or body}}), code
    if request.headers.get("HX-Request"):
        response = render_template("errors/_alert.html", title=title, body=detail or body, code=code)
        # htmx swaps error responses (responseHandling in base.html) into the alert region of
        # the page the person is on, and leaves the address bar alone.
        return response, code, {"HX-Retarget": "#alert-region", "HX-Reswap": "innerHTML", "HX-Push-Url": "false"}
    return render_template("errors/error.html", title=title, body=detail or body, code=code), code


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _respond(400, "The form expired or was sent from another site. Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code < 400:
            return error
        return _respond(error.code or 500)

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        # The embedded SQLite database allows one writer at a time; when the busy timeout runs
        # out, say so and ask for a retry rather than showing a server error.
        discard_changes()
        if "database is locked" in str(error.orig):
            app.logger.warning("Database busy on %s %s", request.method, request.path)
            return _respond(503)
        return unhandled(error)

    @app.errorhandler(Exception)
    def unhandled(error: Exception):
        discard_changes()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if app.config.get("PROPAGATE_EXCEPTIONS_IN_TESTS"):
            raise error
        return _respond(500)

    @app.errorhandler(InternalServerError)
    def internal(error):
        discard_changes()
        return _respond(500)
