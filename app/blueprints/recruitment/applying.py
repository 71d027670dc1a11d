"""The public application pages: no account, hostile input.

The application link shows only the vacancy's public fields (title, employer, description,
closing date and the skills asked for). Posting is rate-limited per address and per vacancy
(each badge may be fetched from the web); files are limited in size and number and read by
content; a form that cannot be read keeps nothing. Each candidate then has a private link (only
its digest is stored) to see their badges' verdicts, add more until the closing date, download
their data, or withdraw.
"""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for

from app.blueprints.downloads import attachment
from app.blueprints.outcomes import failures_on
from app.blueprints.recruitment import bp
from app.blueprints.recruitment.forms import ActionForm, AddBadgesForm, ApplicationForm
from app.domain.calendar import london_today
from app.extensions import limiter
from app.models.recruitment import Candidate, Vacancy
from app.services import recruitment, verification


def _vacancy_key() -> str:
    return f"apply-vacancy:{(request.view_args or {}).get('token', '')[:64]}"


def _public(token: str) -> Vacancy:
    return recruitment.vacancies.by_token(token) or abort(404)


def _private(body, status: int = 200):
    response = make_response(body, status)
    # The address holds a secret: keep it out of shared caches and other sites' referrers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/apply/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("APPLY_RATE_LIMIT", "10 per hour"), methods=["POST"])
@limiter.limit(
    lambda: current_app.config.get("APPLY_VACANCY_RATE_LIMIT", "300 per hour"), key_func=_vacancy_key, methods=["POST"]
)
def apply(token: str):
    vacancy = _public(token)
    today = london_today()
    form = ApplicationForm()
    if vacancy.is_open(today) and form.validate_on_submit():
        with failures_on(form):
            made, secret = recruitment.applications.apply(
                vacancy,
                name=form.name.data,
                email=form.email.data,
                consent=form.consent.data,
                carry_badges=form.carry_badges.data,
                inputs=form.inputs(),
                today=today,
            )
            if made is None:
                return redirect(url_for("recruitment.applied", token=token), code=303)
            flash("Your application has been sent. We have emailed you this page's link.", "success")
            return redirect(url_for("recruitment.mine", token=token, secret=secret), code=303)
    return _private(
        render_template(
            "recruitment/apply.html",
            vacancy=vacancy,
            form=form,
            requirements=recruitment.fit.requirements_of(vacancy),
            consent=recruitment.applications.consent_text(vacancy),
            is_open=vacancy.is_open(today),
            limits=_limits(),
        ),
        422 if form.errors else 200,
    )


def _limits() -> dict[str, int]:
    return {
        "per_time": recruitment.applications.MAX_PER_SUBMISSION,
        "total": recruitment.applications.MAX_BADGES,
        "mb": verification.max_upload_bytes() // (1024 * 1024),
    }


@bp.get("/apply/<token>/sent")
def applied(token: str):
    """Said whether or not the address had applied before: it tells no one who has applied."""
    vacancy = _public(token)
    return _private(render_template("recruitment/applied.html", vacancy=vacancy))


def _candidate(token: str, secret: str) -> Candidate:
    vacancy = _public(token)
    return recruitment.applications.by_token(vacancy, secret) or abort(404)


def _render_mine(candidate: Candidate, form: AddBadgesForm, status: int = 200):
    table = recruitment.fit.comparison(candidate.vacancy, [candidate])
    return _private(
        render_template(
            "recruitment/mine.html",
            candidate=candidate,
            vacancy=candidate.vacancy,
            badges=table.badges[candidate.id],
            form=form,
            action=ActionForm(formdata=None),
            is_open=candidate.vacancy.is_open(london_today()),
            limits=_limits(),
            secret=request.view_args["secret"] if request.view_args else "",
        ),
        status,
    )


@bp.get("/apply/<token>/me/<secret>")
def mine(token: str, secret: str):
    return _render_mine(_candidate(token, secret), AddBadgesForm(formdata=None))


@bp.post("/apply/<token>/me/<secret>/badges")
@limiter.limit(lambda: current_app.config.get("APPLY_RATE_LIMIT", "10 per hour"))
@limiter.limit(lambda: current_app.config.get("APPLY_VACANCY_RATE_LIMIT", "300 per hour"), key_func=_vacancy_key)
def add_badges(token: str, secret: str):
    candidate = _candidate(token, secret)
    form = AddBadgesForm()
    if form.validate_on_submit():
        with failures_on(form):
            added = recruitment.applications.add_badges(candidate, form.inputs(), london_today())
            flash(f"Added {len(added)} badge(s). Each was checked; the results are below.", "success")
            return redirect(url_for("recruitment.mine", token=token, secret=secret), code=303)
    return _render_mine(candidate, form, 422)


@bp.get("/apply/<token>/me/<secret>/data.zip")
def my_data(token: str, secret: str):
    candidate = _candidate(token, secret)
    response = attachment(
        recruitment.applications.subject_access_export(candidate), "my-application-data.zip", "application/zip"
    )
    response.headers["Referrer-Policy"] = "no-referrer"  # the address holds the candidate's secret
    return response


@bp.post("/apply/<token>/me/<secret>/withdraw")
def withdraw(token: str, secret: str):
    candidate = _candidate(token, secret)
    if not ActionForm().validate_on_submit():
        abort(400)
    vacancy = candidate.vacancy
    recruitment.applications.withdraw(candidate)
    return _private(render_template("recruitment/withdrawn.html", vacancy=vacancy))
