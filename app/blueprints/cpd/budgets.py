"""Budgets and funding sources (HR managers), and bulk approval with a confirmation step."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.cpd import bp
from app.blueprints.cpd.forms import (
    BudgetForm,
    BudgetsPageForm,
    BulkApproveForm,
    FundingCapForm,
    FundingSourceForm,
    optional_year_arg,
    year_arg,
)
from app.blueprints.forms import id_arg
from app.blueprints.outcomes import discard_changes, failures_on
from app.models.cpd import FundingSource, Sponsorship
from app.security.permissions import Permission
from app.security.policy import acting_org, require
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
    org = acting_org()
    year = year_arg(request.args, cpd.budgets.this_financial_year())
    budget_form, source_form, cap_form = (
        BudgetForm(prefix="budget"),
        FundingSourceForm(prefix="source"),
        FundingCapForm(prefix="cap"),
    )
    for form in (budget_form, cap_form):
        form.financial_year.choices = _year_choices(org)
    cap_form.funding_source_id.choices = [(s.id, s.name) for s in cpd.budgets.funding_sources_for(org)]
    if request.method == "GET":
        budget_form.financial_year.data = cap_form.financial_year.data = year
    sent = {"budget": budget_form, "source": source_form, "cap": cap_form}.get(BudgetsPageForm().form.data or "")
    if sent is not None and sent.validate_on_submit():
        with failures_on(sent):
            flash(_save(org, sent), "success")
            return redirect(url_for("cpd.budgets", year=year), code=303)
    invalid = any(f.errors for f in (budget_form, source_form, cap_form))
    return render_template(
        "cpd/budgets.html",
        org=org,
        year=year,
        years=_year_choices(org),
        year_label=cpd.budgets.financial_year_label(year),
        budgets=cpd.budgets.budgets_for(org, year),
        funding=cpd.budgets.funding_years_for(org, year),
        sources=cpd.budgets.funding_sources_for(org),
        budget_form=budget_form,
        source_form=source_form,
        cap_form=cap_form,
    ), 422 if invalid else 200


def _save(org, form) -> str:
    """Save what one of the budgets page's forms says; returns the confirmation."""
    if isinstance(form, BudgetForm):
        cpd.budgets.save_budget(
            current_user, org, form.department.data, form.financial_year.data, form.allocated.pence or 0
        )
        return f"The {form.department.data.strip()} budget has been saved"
    if isinstance(form, FundingSourceForm):
        cpd.budgets.save_funding_source(current_user, org, form.name.data, form.kind.data, form.notes.data)
        return f"{form.name.data.strip()} has been added; now set its cap for the year"
    source = get_for(org, FundingSource, form.funding_source_id.data)
    cpd.budgets.save_funding_cap(current_user, source, form.financial_year.data, form.cap.pence)
    return f"The {source.name} cap has been saved"


@bp.get("/requests/bulk-approve")
@require(Permission.CPD_APPROVE)
def bulk_review():
    """The confirmation step: what will be approved, against which budget, and the impact."""
    org = acting_org()
    ids = [i for i in (id_arg(v) for v in request.args.getlist("id")) if i is not None]
    chosen = [get_for(org, Sponsorship, i) for i in ids[:100]]
    plan = cpd.bulk.plan(current_user, org, chosen, id_arg(request.args.get("funding_source_id")))
    return render_template(
        "cpd/bulk_review.html",
        plan=plan,
        sources=cpd.budgets.funding_sources_for(org),
        label=cpd.budgets.financial_year_label,
    )


@bp.post("/requests/bulk-approve")
@require(Permission.CPD_APPROVE)
def bulk_confirm():
    org = acting_org()
    form = BulkApproveForm()
    if not form.validate_on_submit():
        flash("Nothing was approved. Choose the requests and a funding source, then try again.", "error")
        return redirect(url_for("cpd.bulk_review"), code=303)
    ids = form.ids.data
    chosen = [get_for(org, Sponsorship, i) for i in ids[:100]]
    try:
        approved = cpd.bulk.approve_all(current_user, org, chosen, form.funding_source_id.data, form.comment.data)
    except CpdError as exc:
        discard_changes()
        flash(f"Nothing was approved. {exc}", "error")
        return redirect(url_for("cpd.bulk_review", id=ids, funding_source_id=form.funding_source_id.data), code=303)
    flash(f"Approved {len(approved)} request{'s' if len(approved) != 1 else ''}", "success")
    return redirect(url_for("cpd.dashboard"), code=303)


@bp.get("/departments")
@require(Permission.CPD_APPROVE)
def department():
    """A department's CPD history, by financial year."""
    org = acting_org()
    name = request.args.get("name", "").strip()
    year = optional_year_arg(request.args)
    history = cpd.queries.department_history(org, name, year) if name else []
    return render_template(
        "cpd/department.html",
        org=org,
        name=name,
        year=year,
        history=history,
        departments=cpd.queries.departments(org),
        years=cpd.budgets.years_in_use(org),
        label=cpd.budgets.financial_year_label,
        people=cpd.queries.membership_ids(org.id, history),
    )
