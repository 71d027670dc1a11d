"""htmx conventions in one place: a swappable region is one partial, returned alone to an htmx
request and inside its full page otherwise (history restores get the full page)."""

from __future__ import annotations

from flask import render_template

from app.extensions import htmx


def wants_partial() -> bool:
    # A boosted link or form (hx-boost on the body) swaps the whole body, so it needs the page.
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def targets(region_id: str) -> bool:
    """Whether this htmx request asks for just the region with this id (its hx-target)."""
    return bool(htmx) and htmx.target == region_id


def render_partial_or_page(page: str, partial: str, /, **context) -> str:
    """Render `partial` for an htmx request, else the full `page`. The template names are
    positional-only so the context may itself hold a `page` (e.g. a page of results)."""
    return render_template(partial if wants_partial() else page, **context)
