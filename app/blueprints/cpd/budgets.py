"""Budgets and funding sources (HR managers), and bulk approval with a confirmation step."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.cpd import bp
from app.blueprints.cpd.forms import BudgetForm, FundingCapForm, FundingSourceForm
from app.extensions import db
from app.models.cpd import FundingSource, Sponsorship
from app.security.permissions import Permission
from app.security.policy import current_org, require
from app.security.scoping import get_for
from app.services import cpd
from app.services.cpd.budgets import CpdError


def _year_choices(org) -> list[tuple[int, str]]:
    this = cpd.budgets.financial_year_of(date.today())
    years = sorted(set(cpd.budgets.years_in_use(org)) | {this - 1, this, this + 1}, reverse=True)
    return [(y, cpd.budgets.financial_year_label(y)) for y in years]


@bp.route("/budgets", methods=["GET", "POST"])
@require(Permission.CPD_MANAGE_BUDGETS)
def budgets():
    org = current_org()
    try:
        year = int(request.args.get("year", ""))
    except ValueError:
        year = cpd.budgets.financial_year_of(date.today())
    budget_form, source_form, cap_form = BudgetForm(prefix="budget"), FundingSourceForm(prefix="source"), \
        FundingCapForm(prefix="cap")
    for form in (budget_form, cap_form):
        form.financial_year.choices = _year_choices(org)
    cap_form.funding_source_id.choices = [(s.id, s.name) for s in cpd.budgets.funding_sources_for(org)]
    if request.method == "GET":
        budget_form.financial_year.data = cap_form.financial_year.data = year
    error, which = None, request.form.get("form")
    try:
        if which == "budget" and budget_form.validate_on_submit():
            cpd.budgets.save_budget(current_user, org, budget_form.department.data, budget_form.financial_year.data,
                                    budget_form.allocated.pence)
            done = f"The {budget_form.department.data.strip()} budget has been saved"
        elif which == "source" and source_form.validate_on_submit():
            cpd.budgets.save_funding_source(current_user, org, source_form.name.data, source_form.kind.data,
                                            source_form.notes.data)
            done = f"{source_form.name.data.strip()} has been added; now set its cap for the year"
        elif which == "cap" and cap_form.validate_on_submit():
            source = get_for(org, FundingSource, cap_form.funding_source_id.data)
            cpd.budgets.save_funding_cap(current_user, source, cap_form.financial_year.data, cap_form.cap.pence)
            done = f"The {source.name} cap has been saved"
        else:
            done = None
    except CpdError as exc:
        db.session.rollback()
        error, done = str(exc), None
    if done:
        db.session.commit()
        flash(done, "success")
        return redirect(url_for("cpd.budgets", year=year), code=303)
    invalid = error or any(f.errors for f in (budget_form, source_form, cap_form))
    return render_template("cpd/budgets.html", org=org, year=year, years=_year_choices(org),
                           year_label=cpd.budgets.financial_year_label(year),
                           budgets=cpd.budgets.budgets_for(org, year), funding=cpd.budgets.funding_years_for(org, year),
                           sources=cpd.budgets.funding_sources_for(org), budget_form=budget_form,
                           source_form=source_form, cap_form=cap_form, error=error), 422 if invalid else 200


@bp.get("/requests/bulk-approve")
@require(Permission.CPD_APPROVE)
def bulk_review():
    """The confirmation step: what will be approved, against which budget, and the impact."""
    org = current_org()
    ids = request.args.getlist("id", type=int)
    chosen = [get_for(org, Sponsorship, i) for i in ids[:100]]
    plan = cpd.bulk.plan(current_user, org, chosen, request.args.get("funding_source_id", type=int))
    return render_template("cpd/bulk_review.html", plan=plan, sources=cpd.budgets.funding_sources_for(org),
                           label=cpd.budgets.financial_year_label)


@bp.post("/requests/bulk-approve")
@require(Permission.CPD_APPROVE)
def bulk_confirm():
    org = current_org()
    ids = request.form.getlist("id", type=int)
    chosen = [get_for(org, Sponsorship, i) for i in ids[:100]]
    try:
        approved = cpd.bulk.approve_all(current_user, org, chosen, request.form.get("funding_source_id", type=int),
                                        request.form.get("comment"))
    except CpdError as exc:
        db.session.rollback()
        flash(f"Nothing was approved. {exc}", "error")
        return redirect(url_for("cpd.bulk_review", id=ids, funding_source_id=request.form.get("funding_source_id")),
                        code=303)
    db.session.commit()
    flash(f"Approved {len(approved)} request{'s' if len(approved) != 1 else ''}", "success")
    return redirect(url_for("cpd.dashboard"), code=303)


@bp.get("/departments")
@require(Permission.CPD_APPROVE)
def department():
    """A department's CPD history, by financial year."""
    org = current_org()
    name = request.args.get("name", "").strip()
    year = request.args.get("year", type=int)
    history = cpd.queries.department_history(org, name, year) if name else []
    return render_template("cpd/department.html", org=org, name=name, year=year, history=history,
                           departments=cpd.queries.departments(org), years=cpd.budgets.years_in_use(org),
                           label=cpd.budgets.financial_year_label, people=cpd.queries.membership_ids(org.id, history))
