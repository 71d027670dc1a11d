"""The platform's quality assurance: platform admins mark providers; platform reviewers review
the micro-credential versions providers submit (a queue, then a review against the criteria)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.htmx import render_partial_or_page
from app.blueprints.outcomes import failures_flashed, failures_on
from app.blueprints.platform import bp
from app.blueprints.platform.forms import QualityForm, QueueFilterForm, ReviewForm
from app.models import OrgKind, QualityReview
from app.security.permissions import Permission
from app.security.policy import acting_membership, acting_org, quality_review_refusal, require
from app.security.scoping import get_for
from app.services.catalogue import lifecycle, quality

MAX_PAGE = 100_000  # the database's integers are finite
reviewing = require(Permission.HUB_QUALITY_ASSURE, org_kind=OrgKind.PLATFORM)


@bp.get("")
@require(Permission.PLATFORM_MANAGE)
def index():
    return render_template("platform/index.html", providers=lifecycle.providers(), quality_form=QualityForm())


@bp.post("/providers/<int:provider_id>/quality")
@require(Permission.PLATFORM_MANAGE)
def provider_quality(provider_id: int):
    # Platform-wide by design: a platform admin marks any provider (not a tenant-scoped record).
    provider = lifecycle.provider_by_id(provider_id) or abort(404)
    form = QualityForm()
    if not form.validate_on_submit():
        abort(400)
    with failures_flashed():
        lifecycle.set_provider_quality_assured(current_user, provider, form.marked)
        flash(
            f"{provider.name} is {'now' if provider.quality_assured else 'no longer'} marked as quality-assured",
            "success",
        )
    return redirect(url_for("platform.index"), code=303)


@bp.get("/reviews")
@reviewing
def reviews():
    filters = QueueFilterForm(formdata=request.args)
    show = filters.show_value
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    found, total = quality.queue(show, page)
    return render_partial_or_page(
        "platform/reviews.html",
        "platform/_queue.html",
        reviews=found,
        filters=filters,
        show=show,
        total=total,
        page=page,
        pages=max(1, -(-total // quality.PAGE_SIZE)),
    )


def _review(quality_review_id: int) -> QualityReview:
    return get_for(acting_org(), QualityReview, quality_review_id)


@bp.route("/reviews/<int:quality_review_id>", methods=["GET", "POST"])
@reviewing
def review(quality_review_id: int):
    found = _review(quality_review_id)
    record = found.record
    membership = acting_membership()
    refusal = quality_review_refusal(membership, found)
    form = ReviewForm(data=None if request.method == "POST" else _starting_values(record))
    if request.method == "POST":
        if refusal:
            abort(403)
        if form.validate_on_submit():
            with failures_on(form):
                quality.decide(
                    current_user, membership, found, form.findings, approve=form.approve, comments=form.comments.data
                )
                flash(
                    f"{record.code} version {record.version}: "
                    + ("approved as quality-assured" if found.is_approved else "changes requested from the provider"),
                    "success",
                )
                return redirect(url_for("platform.reviews"), code=303)
    return render_template(
        "platform/review.html",
        review=found,
        record=record,
        form=form,
        refusal=refusal,
        evidence=quality.evidence(record),
        history=quality.reviews_of(record),
        years=quality.review_years(),
    ), 422 if form.errors else 200


def _starting_values(record) -> dict:
    return {f"{key}_outcome": outcome for key, outcome in quality.suggested(record).items()}
