"""CSV and PDF exports of CPD requests, spend and a person's CPD record."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user, login_required

from app.blueprints.cpd import bp
from app.blueprints.cpd.forms import year_arg
from app.blueprints.downloads import attachment, report
from app.models import Membership
from app.security.permissions import Permission
from app.security.policy import (
    acting_org,
    current_membership,
    current_org,
    may_see_cpd_requests,
    may_view_cpd_of,
    permissions_of,
    require,
)
from app.security.scoping import get_for
from app.services import cpd


def _year() -> int:
    return year_arg(request.args, cpd.budgets.this_financial_year())


@bp.get("/export/requests.csv")
@login_required
def export_requests():
    """The requests list as CSV, with the same filters as the page."""
    mine = current_membership()
    if not may_see_cpd_requests(mine):
        abort(403)
    filters = cpd.queries.RequestFilters.from_args(request.args)
    rows = cpd.queries.search(mine, filters, everything=True).items
    return attachment(cpd.queries.requests_csv(rows), "cpd-requests.csv", "text/csv")


@bp.get("/export/spend.csv")
@require(Permission.CPD_APPROVE)
def export_spend():
    year = _year()
    return attachment(
        cpd.queries.spend_csv(acting_org(), year), f"cpd-spend-{cpd.budgets.financial_year_label(year)}.csv", "text/csv"
    )


@bp.get("/reports/spend.pdf")
@require(Permission.CPD_APPROVE)
def spend_pdf():
    """The CPD spend report for a financial year, for one department or all of them."""
    year, department = _year(), request.args.get("department", "").strip() or None
    return report(cpd.pdf.spend_report_for(current_user, acting_org(), year, department))


@bp.get("/mine/record.pdf")
@require(Permission.CPD_REQUEST)
def mine_pdf():
    return attachment(
        cpd.pdf.person_record(cpd.queries.person_record(current_membership())), "my-cpd-record.pdf", "application/pdf"
    )


@bp.get("/people/<int:membership_id>/record.pdf")
@login_required
def person_pdf(membership_id: int):
    membership = get_for(current_org(), Membership, membership_id)
    if not may_view_cpd_of(current_membership(), membership):
        abort(403)
    return attachment(
        cpd.pdf.person_record(cpd.queries.person_record(membership, current_user.id)),
        f"cpd-record-{membership.id}.pdf",
        "application/pdf",
    )


def _perms():
    return permissions_of(current_membership())
