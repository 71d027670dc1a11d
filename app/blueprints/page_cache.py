"""Busy pages kept in the shared cache, per person, until the data changes.

A page such as the team grid or the CPD dashboard is the same HTML as long as the data, the
person looking and the request are the same. `@cached_page` (under the route's access checks)
files the HTML a view rendered under a key made of:
- the data version (app/data_version.py), which changes at every write, so a copy never outlives
  the data it shows;
- the session's contents that say who is looking (the person signed in, the organisation they
  act for, and anything else a session holds), leaving out only what differs between two
  sessions of the same person and changes nothing shown (see SESSION_NOISE);
- the URL with its query string, and the htmx headers that choose a region or the whole page;
- today's date in London, for the pages that count days;
- the code's own version (its files' sizes and times), so a new release never serves a copy
  made by the old one.

The one secret in a page is its CSRF token, which belongs to a session: the copy is kept in
pieces around the token, and each answer puts the asking session's own token back in.

Nothing is cached in debug mode (`flask run --debug`), where templates are read again as they
are edited. A copy is kept for PAGE_CACHE_SECONDS (5 minutes), so wording that depends on the time of day
("3 hours ago") is never older than that. Nothing is kept when the view answered with anything
but HTML it rendered (a redirect, a file, an error), or when showing the page changed the session
(a flash message shown).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache as cache_for_process
from functools import wraps
from pathlib import Path

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app import data_version
from app.domain.calendar import london_today
from app.extensions import cache
from app.security.sessions import SESSION_KEY

# What two sessions of one person differ by without the page differing: the CSRF token (put back
# per session), the server's record of the sign-in, and Flask-Login's bookkeeping.
SESSION_NOISE = frozenset({"csrf_token", SESSION_KEY, "_id", "_fresh", "_remember", "_remember_seconds"})
_HTMX_HEADERS = ("HX-Request", "HX-Boosted", "HX-Target", "HX-History-Restore-Request")


def cached_page(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(*args, **kwargs):
        seconds = current_app.config.get("PAGE_CACHE_SECONDS", 0)
        if not seconds or current_app.debug or "_flashes" in session:
            return view(*args, **kwargs)
        current_user.is_authenticated  # noqa: B018  (loading the user may tidy the session: first)
        key = _key()
        kept = _quietly(cache.get, key)
        if kept is not None:
            return generate_csrf().join(kept) if len(kept) > 1 else kept[0]
        before = _looking()
        answer = view(*args, **kwargs)
        if isinstance(answer, str) and _looking() == before:
            token = g.get("csrf_token")
            _quietly(cache.set, key, answer.split(token) if token else [answer], timeout=seconds)
        return answer

    return wrapped


def _quietly(call: Callable, *args, **kwargs):
    """The cache's answer, or None when it cannot be reached: the page is worked out instead."""
    try:
        return call(*args, **kwargs)
    except Exception:  # noqa: BLE001  (Redis down)
        return None


def _looking() -> list:
    return sorted((k, v) for k, v in session.items() if k not in SESSION_NOISE)


@cache_for_process
def _code_version() -> str:
    files = sorted(f for pattern in ("*.py", "*.html") for f in Path(current_app.root_path).rglob(pattern))
    return hashlib.sha256(repr([(str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files]).encode()).hexdigest()


def _key() -> str:
    parts = [
        _code_version(),
        data_version.current(),  # first: the data read below is never older than this
        repr(_looking()),
        request.host,
        request.full_path,
        *(request.headers.get(h, "") for h in _HTMX_HEADERS),
        london_today().isoformat(),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
