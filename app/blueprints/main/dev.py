"""The development outbox: every email the app would have sent, when no mail server is set.
Only when CREDWORK_ENV=development; anywhere else it does not exist (404)."""

from __future__ import annotations

from flask import abort, current_app, render_template

from app.blueprints.main import bp
from app.services import mail


@bp.get("/dev/outbox")
def dev_outbox():
    if current_app.config.get("ENV_NAME") != "development":
        abort(404)
    return render_template("main/dev_outbox.html", messages=list(reversed(mail.outbox())))
