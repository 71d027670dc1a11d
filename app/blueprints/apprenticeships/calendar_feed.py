"""A person's private calendar feed of their review dates: made, shown once, revoked; and the
.ics address itself, which its random token opens without signing in."""

from __future__ import annotations

import hashlib

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.apprenticeships import bp
from app.domain.calendar import london_today
from app.extensions import limiter
from app.security.policy import require
from app.services import apprenticeships


@bp.get("/calendar/")
@require()
def calendar_feed():
    return render_template(
        "apprenticeships/calendar.html",
        feed=apprenticeships.calendar.live_feed(current_user),
        reviews=apprenticeships.calendar.open_reviews_for(current_user, limit=10),
        address=None,
    )


@bp.post("/calendar/feed")
@require()
def create_calendar_feed():
    token = apprenticeships.calendar.create_feed(current_user)
    # Shown once, on this page: the address is a secret and is never stored.
    return render_template(
        "apprenticeships/calendar.html",
        feed=apprenticeships.calendar.live_feed(current_user),
        reviews=apprenticeships.calendar.open_reviews_for(current_user, limit=10),
        address=url_for("apprenticeships.calendar_ics", token=token, _external=True),
    )


@bp.post("/calendar/feed/revoke")
@require()
def revoke_calendar_feed():
    if apprenticeships.calendar.revoke_feed(current_user):
        flash("Your calendar address no longer works. Calendars subscribed to it stop updating.", "success")
    return redirect(url_for("apprenticeships.calendar_feed"), code=303)


def _feed_key() -> str:
    # Per feed (hashed): calendar services fetch many people's feeds from a few shared addresses.
    token = (request.view_args or {}).get("token", "")
    return "calendar-feed:" + hashlib.sha256(token.encode()).hexdigest()[:32]


@bp.get("/calendar/<token>.ics")
@limiter.limit("30 per minute", key_func=_feed_key)
def calendar_ics(token: str):
    feed = apprenticeships.calendar.feed_for_token(token)
    if feed is None or not feed.user.is_active_account:
        abort(404)
    response = Response(apprenticeships.calendar.ics_for(feed.user, london_today()), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="credwork-reviews.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
