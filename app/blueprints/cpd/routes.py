"""CPD sponsorship pages: my CPD, requests and their workflow, the HR dashboard, bulk approval.

Budgets and exports are in `budgets.py` and `exports.py`, registered on the same blueprint.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.blueprints.cpd import bp
from app.blueprints.cpd.forms import CostChangeForm, NominateForm, RequestForm, TransitionForm, year_arg
from app.blueprints.forms import id_arg
from app.blueprints.htmx import render_partial_or_page, targets
from app.blueprints.outcomes import failures_flashed, failures_on
from app.blueprints.page_cache import cached_page
from app.models import Membership
from app.models.cpd import STATUS_LABELS, Sponsorship
from app.security.permissions import Permission
from app.security.policy import (
    acting_org,
    cpd_acceptance_refusal,
    cpd_edit_refusal,
    current_membership,
    current_org,
    is_cpd_approver,
    may_see_cpd_requests,
    may_view_cpd_of,
    may_view_cpd_request,
    permissions_of,
    require,
)
from app.security.scoping import get_for
from app.services import cpd
from app.services.accounts import organisations


def load_request(sponsorship_id: int) -> Sponsorship:
    """The request if the signed-in person may see it (theirs, a report's, or HR): another
    organisation's is not found (404); a colleague's they may not see is refused (403)."""
    s = get_for(current_org(), Sponsorship, sponsorship_id)
    person = cpd.people.person_membership(s)
    if person is None:
        abort(404)
    viewer = current_membership()
    if s.is_draft and (viewer is None or viewer.user_id != s.person_id):
        abort(404)  # a draft is its author's own: to anyone else it does not exist yet
    if not may_view_cpd_request(viewer, person, s):
        abort(403)
    return s


DASHBOARD_ROWS = 20  # requests listed on a dashboard; the rest are in the requests list


@bp.get("/")
@require(Permission.CPD_APPROVE)
@cached_page
def dashboard():
    org, year = acting_org(), year_arg(request.args, cpd.budgets.this_financial_year())
    money = cpd.queries.money_by_department(org, year)
    approvals, approvals_total = cpd.queries.approvals_this_month(org, limit=DASHBOARD_ROWS)
    waiting, waiting_total = cpd.queries.waiting_page(current_user, current_membership(), DASHBOARD_ROWS)
    return render_template(
        "cpd/dashboard.html",
        org=org,
        year=year,
        years=cpd.budgets.years_in_use(org),
        year_label=cpd.budgets.financial_year_label(year),
        money=money,
        chart=cpd.queries.budget_chart(money),
        funding=cpd.budgets.funding_years_for(org, year),
        waiting=waiting,
        waiting_total=waiting_total,
        approvals=approvals,
        approvals_total=approvals_total,
        label=cpd.budgets.financial_year_label,
    )


@bp.get("/mine")
@require(Permission.CPD_REQUEST)
def mine():
    membership = current_membership()
    endorses = Permission.CPD_ENDORSE in _perms()
    waiting, waiting_total = cpd.queries.waiting_page(current_user, membership, DASHBOARD_ROWS) if endorses else ([], 0)
    return render_template(
        "cpd/record.html",
        record=cpd.queries.person_record(membership),
        own=True,
        waiting=waiting,
        waiting_total=waiting_total,
    )


@bp.get("/people/<int:membership_id>")
@login_required
def person(membership_id: int):
    membership = get_for(current_org(), Membership, membership_id)
    if not may_view_cpd_of(current_membership(), membership):
        abort(403)
    return render_template(
        "cpd/record.html",
        record=cpd.queries.person_record(membership, current_user.id),
        own=membership.user_id == current_user.id,
        waiting=[],
    )


@bp.get("/requests")
@login_required
@cached_page
def requests():
    mine = current_membership()
    if not may_see_cpd_requests(mine):
        abort(403)
    filters = cpd.queries.RequestFilters.from_args(request.args)
    page = cpd.queries.search(mine, filters)
    org = current_org()
    return render_partial_or_page(
        "cpd/requests.html",
        "cpd/_requests_table.html",
        org=org,
        filters=filters,
        page=page,
        statuses=STATUS_LABELS,
        departments=cpd.queries.departments(org),
        years=cpd.budgets.years_in_use(org),
        hr=is_cpd_approver(mine),
        label=cpd.budgets.financial_year_label,
        people=cpd.queries.membership_ids(org.id, page.items),
    )


def _request_form(form_class, obj=None):
    form = form_class()
    q = request.args.get("q", "").strip()[:100]
    chosen = form.micro_credential_id.data or (str(obj.micro_credential_id) if obj and obj.micro_credential_id else "")
    form.micro_credential_id.choices = [("", "Choose a micro-credential")] + [
        (str(mc.id), f"{mc.title} ({mc.provider.name}, SCQF {mc.scqf_level}, £{mc.price_pence / 100:,.2f})")
        for mc in cpd.requests.hub_choices(q, include_id=id_arg(chosen))
    ]
    return form, q


@bp.route("/requests/new", methods=["GET", "POST"])
@require(Permission.CPD_REQUEST)
def new_request():
    form, q = _request_form(RequestForm)
    if request.args.get("micro_credential") and request.method == "GET":
        form.micro_credential_id.data = request.args["micro_credential"]
    if targets("hub-choices"):
        return render_template("cpd/_hub_choices.html", form=form, q=q)
    if form.validate_on_submit():
        with failures_on(form):
            s = cpd.requests.create_request(current_user, acting_org(), form.details(), submit=not form.save_draft.data)
            flash(
                "Your request has been saved as a draft"
                if form.save_draft.data
                else "Your request has been sent to your line manager",
                "success",
            )
            return redirect(url_for("cpd.show", sponsorship_id=s.id), code=303)
    return render_template(
        "cpd/request_form.html", form=form, q=q, nominating=False, action=url_for("cpd.new_request")
    ), 422 if form.errors else 200


@bp.route("/nominate", methods=["GET", "POST"])
@require(Permission.CPD_NOMINATE)
def nominate():
    form, q = _request_form(NominateForm)
    mine, org = current_membership(), acting_org()
    people = cpd_reports_people(org) if is_cpd_approver(mine) else cpd.requests.reports_of(mine)
    form.person.choices = [
        (m.id, f"{m.user.name} ({m.department or 'no department'})") for m in people if m.user_id != current_user.id
    ]
    if targets("hub-choices"):
        return render_template("cpd/_hub_choices.html", form=form, q=q)
    if form.validate_on_submit():
        target = get_for(org, Membership, form.person.data)
        with failures_on(form):
            s = cpd.requests.nominate(current_user, org, target, form.details())
            flash(f"{s.person.name} has been nominated; HR will decide on the funding", "success")
            return redirect(url_for("cpd.show", sponsorship_id=s.id), code=303)
    return render_template(
        "cpd/request_form.html", form=form, q=q, nominating=True, action=url_for("cpd.nominate")
    ), 422 if form.errors else 200


def cpd_reports_people(org) -> list[Membership]:
    return [m for m in organisations.members(org) if m.is_active]


@bp.get("/requests/<int:sponsorship_id>")
@login_required
def show(sponsorship_id: int):
    s = load_request(sponsorship_id)
    actions = cpd.workflow.available_actions(current_user, s)
    approving = any(t.action in cpd.workflow.APPROVALS for t in actions)
    year = cpd.budgets.financial_year_of(s.start_date or date.today())
    org = current_org()
    return render_template(
        "cpd/show.html",
        s=s,
        actions=cpd.workflow.offered(actions),
        budgets=cpd.budgets.budgets_for(org, year) if approving else [],
        funding=cpd.budgets.funding_years_for(org, year) if approving else [],
        year_label=cpd.budgets.financial_year_label(year),
        hr=cpd.workflow.HR in cpd.workflow.relationships(current_user, s),
        editable=cpd_edit_refusal(current_user, s) is None,
        may_accept=cpd_acceptance_refusal(current_user, s) is None,
    )


@bp.route("/requests/<int:sponsorship_id>/edit", methods=["GET", "POST"])
@login_required
def edit(sponsorship_id: int):
    s = load_request(sponsorship_id)
    if cpd_edit_refusal(current_user, s):
        abort(403)
    form, q = _request_form(RequestForm, s)
    if request.method == "GET":
        form.fill_from(s)
    if targets("hub-choices"):
        return render_template("cpd/_hub_choices.html", form=form, q=q)
    if form.validate_on_submit():
        with failures_on(form):
            cpd.requests.update_request(current_user, s, form.details())
            if not form.save_draft.data:
                cpd.workflow.act(current_user, s, "submit" if s.is_draft else "resubmit")
            flash("Your request has been updated", "success")
            return redirect(url_for("cpd.show", sponsorship_id=s.id), code=303)
    return render_template(
        "cpd/request_form.html",
        form=form,
        q=q,
        nominating=False,
        editing=s,
        action=url_for("cpd.edit", sponsorship_id=s.id),
    ), 422 if form.errors else 200


@bp.post("/requests/<int:sponsorship_id>/act/<action>")
@login_required
def transition(sponsorship_id: int, action: str):
    s = load_request(sponsorship_id)
    form = TransitionForm()
    if not form.validate_on_submit():
        flash(form.problem(), "error")
        return redirect(url_for("cpd.show", sponsorship_id=s.id), code=303)
    action, comment = form.action_for(action)
    with failures_flashed():
        done = cpd.workflow.check(current_user, s, action)
        cpd.workflow.act(
            current_user,
            s,
            action,
            comment,
            budget_id=form.budget_id.data,
            funding_year_id=form.funding_year_id.data,
            actual_cost_pence=form.actual_cost.pence,
            completed_on=form.completed_on.data,
            agreement=form.agreement(),
        )
        flash(f"{done.label}: done. The request is now {s.status_label.lower()}.", "success")
    return redirect(url_for("cpd.show", sponsorship_id=s.id), code=303)


@bp.post("/requests/<int:sponsorship_id>/agreement")
@login_required
def accept_agreement(sponsorship_id: int):
    s = load_request(sponsorship_id)
    with failures_flashed():
        cpd.requests.accept_agreement(current_user, s)
        flash("You have accepted the learning agreement", "success")
    return redirect(url_for("cpd.show", sponsorship_id=s.id), code=303)


@bp.post("/requests/<int:sponsorship_id>/cost")
@login_required
def change_cost(sponsorship_id: int):
    s = load_request(sponsorship_id)
    form = CostChangeForm()
    if not form.validate_on_submit():
        flash(form.problem(), "error")
        return redirect(url_for("cpd.show", sponsorship_id=s.id), code=303)
    with failures_flashed():
        cpd.requests.change_cost(current_user, s, form.new_cost.pence or 0, form.comment.data or "")
        flash("The cost has been updated", "success")
    return redirect(url_for("cpd.show", sponsorship_id=s.id), code=303)


def _perms():
    return permissions_of(current_membership())
