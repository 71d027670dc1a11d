"""Everyone's apprenticeships page: the caseload (HR, coordinators, line managers, assessors)
with what is waiting, counts and filters; an apprentice goes straight to their own record."""

from __future__ import annotations

from flask import abort, redirect, request, url_for

from app.blueprints.apprenticeships import bp
from app.blueprints.htmx import render_partial_or_page
from app.blueprints.page_cache import cached_page
from app.domain.calendar import london_today
from app.domain.progress import ProgressStatus
from app.models.apprenticeships import APPRENTICESHIP_STATUS_LABELS
from app.security.policy import acting_membership, acting_org, require
from app.services import apprenticeships
from app.services.accounts import organisations


@bp.get("/apprenticeships/")
@require()
@cached_page
def index():
    membership, today = acting_membership(), london_today()
    filters = apprenticeships.queries.Filters.from_args(request.args)
    caseload = apprenticeships.queries.caseload(membership, filters, today)
    own = apprenticeships.queries.own_apprenticeships(membership)
    if own and not filters.as_args() and caseload.total == len(own) == 1:
        # An apprentice's caseload is their own apprenticeship: show it.
        return redirect(url_for("apprenticeships.show", apprenticeship_id=own[0].id))
    org = acting_org()
    return render_partial_or_page(
        "apprenticeships/index.html",
        "apprenticeships/_caseload.html",
        caseload=caseload,
        todo=apprenticeships.queries.todo(membership, today),
        filters=filters,
        statuses=APPRENTICESHIP_STATUS_LABELS,
        progress_statuses=list(ProgressStatus),
        partners=[p.other_side(org.id) for p in organisations.partnerships_of(org) if p.is_active],
        org=org,
        today=today,
    )


@bp.get("/apprenticeships/mine")
@require()
def mine():
    own = apprenticeships.queries.own_apprenticeships(acting_membership())
    if not own:
        abort(404)
    return redirect(url_for("apprenticeships.show", apprenticeship_id=own[0].id))
