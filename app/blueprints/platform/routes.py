"""Platform admins mark providers and published micro-credentials as quality-assured."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from app.blueprints.htmx import render_partial_or_page, wants_partial
from app.blueprints.outcomes import failures_flashed
from app.blueprints.platform import bp
from app.blueprints.platform.forms import QualityForm, ReviewFilterForm
from app.models import MicroCredential
from app.security.permissions import Permission
from app.security.policy import acting_org, current_membership, may_review_quality, require
from app.security.scoping import get_for
from app.services.catalogue import lifecycle

MAX_PAGE = 100_000  # the database's integers are finite


@bp.get("")
@require()
def index():
    if not may_review_quality(current_membership()):
        abort(403)
    filters = ReviewFilterForm(formdata=request.args)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    records, total = lifecycle.published_for_review(filters.assured, page)
    return render_partial_or_page(
        "platform/index.html",
        "platform/_review_results.html",
        providers=None if wants_partial() else lifecycle.providers(),
        records=records,
        filters=filters,
        show=filters.show_value,
        total=total,
        page=page,
        pages=max(1, -(-total // lifecycle.REVIEW_PAGE_SIZE)),
        quality_form=QualityForm(),
    )


def _submitted() -> QualityForm:
    form = QualityForm()
    if not form.validate_on_submit():
        abort(400)
    return form


@bp.post("/providers/<int:provider_id>/quality")
@require(Permission.PLATFORM_MANAGE)
def provider_quality(provider_id: int):
    # Platform-wide by design: a platform admin marks any provider (not a tenant-scoped record).
    provider = lifecycle.provider_by_id(provider_id) or abort(404)
    form = _submitted()
    with failures_flashed():
        lifecycle.set_provider_quality_assured(current_user, provider, form.marked)
        flash(
            f"{provider.name} is {'now' if provider.quality_assured else 'no longer'} marked as quality-assured",
            "success",
        )
    return redirect(url_for("platform.index"), code=303)


@bp.post("/records/<int:record_id>/quality")
@require(Permission.HUB_QUALITY_ASSURE)
def record_quality(record_id: int):
    record = get_for(acting_org(), MicroCredential, record_id)
    form = _submitted()
    with failures_flashed():
        lifecycle.set_quality_assured(current_user, record, form.marked)
        flash(
            f"{record.code} version {record.version} is {'now' if record.quality_assured else 'no longer'} "
            "marked as quality-assured",
            "success",
        )
    return redirect(url_for("platform.index", show=form.show.data or "waiting"), code=303)
