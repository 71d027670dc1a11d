"""The public front page, the dashboard, and switching organisation."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, send_from_directory, url_for
from flask_login import current_user, login_required

from app.blueprints.forms import safe_next
from app.blueprints.main import bp
from app.blueprints.main.forms import SwitchOrganisationForm
from app.blueprints.main.navigation import task_url, tasks_for_current_user
from app.blueprints.page_cache import cached_page
from app.domain.calendar import london_today
from app.security import policy
from app.services import apprenticeships, todos
from app.services.catalogue import quality


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/index.html")


@bp.get("/dashboard")
@login_required
@cached_page
def dashboard():
    ready, coming = tasks_for_current_user()
    membership = policy.current_membership()
    own = apprenticeships.queries.own_apprenticeships(membership) if membership else []
    waiting = (
        apprenticeships.queries.todo(membership, london_today())
        if apprenticeships.queries.has_caseload(membership)
        else None
    )
    reviews_waiting = quality.waiting_count() if policy.may_review_quality(membership) else None
    return render_template(
        "main/dashboard.html",
        todos=todos.counts_for(current_user, membership),
        reviews_waiting=reviews_waiting,
        ready=ready,
        coming=coming,
        task_url=task_url,
        membership=membership,
        own_apprenticeships=own,
        apprenticeship_todo=waiting,
    )


@bp.post("/switch-organisation")
@login_required
def switch_organisation():
    form = SwitchOrganisationForm()
    if not form.validate_on_submit():
        abort(400)
    if not policy.switch_org(form.organisation_id.data):
        abort(404)
    flash(f"You are now working in {policy.acting_org().name}", "success")
    return redirect(safe_next(form.next.data), code=303)


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for /favicon.ico whatever the page says; answer with the site's icon.
    response = send_from_directory(current_app.static_folder, "favicon.png", mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")
