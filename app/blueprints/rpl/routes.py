"""The learner's request and its outcome; the provider's list of requests and its decision page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.blueprints.outcomes import failures_on
from app.blueprints.rpl import bp
from app.blueprints.rpl.forms import DecisionForm, RequestForm
from app.models import OrgKind, RplRequest
from app.security.permissions import Permission
from app.security.policy import acting_org, require
from app.security.scoping import get_for
from app.services import rpl


def _request_form(formdata=None) -> RequestForm:
    form = RequestForm() if formdata else RequestForm(formdata=None)
    form.programme_id.choices = [(0, "Choose a programme")] + [
        (p.id, f"{p.title} ({p.organisation.name}, SCQF level {p.scqf_level or '-'})") for p in rpl.open_programmes()
    ]
    form.badges.choices = [(b["key"], b["title"]) for b in rpl.attachable_badges(current_user)]
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = _request_form(request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        with failures_on(form):
            made = rpl.submit(current_user, form.programme_id.data, form.badges.data or [], form.message.data)
            flash(f"Request sent to {made.organisation.name}. You will get an email when they decide.", "success")
            return redirect(url_for("rpl.mine", request_id=made.id), code=303)
    return render_template("rpl/new.html", form=form), 422 if form.errors else 200


@bp.get("/mine/<int:request_id>")
@login_required
def mine(request_id: int):
    found = rpl.own_request(current_user, request_id) or abort(404)
    return render_template("rpl/mine.html", req=found)


@bp.get("/requests")
@require(Permission.COHORTS_MANAGE, org_kind=OrgKind.PROVIDER)
def requests():
    org = acting_org()
    show = "all" if request.args.get("show") == "all" else "waiting"
    rows, page, pages = rpl.requests_page(org, request.args.get("page", 1, type=int), show)
    return render_template("rpl/requests.html", org=org, rows=rows, page=page, pages=pages, show=show)


def _render_decision(req: RplRequest, form: DecisionForm, status: int = 200):
    return render_template(
        "rpl/decide.html", req=req, form=form, checks=rpl.recheck_badges(req), posted=request.form
    ), status


@bp.get("/requests/<int:request_id>")
@require(Permission.COHORTS_MANAGE, org_kind=OrgKind.PROVIDER)
def decision(request_id: int):
    return _render_decision(get_for(acting_org(), RplRequest, request_id), DecisionForm(formdata=None))


@bp.post("/requests/<int:request_id>/decide")
@require(Permission.COHORTS_MANAGE, org_kind=OrgKind.PROVIDER)
def decide(request_id: int):
    req = get_for(acting_org(), RplRequest, request_id)
    form = DecisionForm()
    if form.validate_on_submit():
        decisions = [
            rpl.ModuleDecision(
                m.id, request.form.get(f"decision-{m.id}") == "grant", request.form.get(f"reason-{m.id}", "")
            )
            for m in req.programme.modules
            if request.form.get(f"decision-{m.id}") in ("grant", "refuse")
        ]
        with failures_on(form):
            rpl.decide(current_user, req, decisions)
            flash(f"Decision sent to {req.learner.name}.", "success")
            return redirect(url_for("rpl.requests"), code=303)
    return _render_decision(req, form, 422)
