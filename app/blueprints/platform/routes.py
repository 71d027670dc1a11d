"""Platform admins mark providers and published micro-credentials as quality-assured."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.blueprints.platform import bp
from app.extensions import db
from app.models import MicroCredential
from app.security.permissions import Permission
from app.security.policy import authorise, can, current_org, require
from app.security.scoping import get_for
from app.services.catalogue import lifecycle as catalogue
from app.services.catalogue.lifecycle import REVIEW_PAGE_SIZE, CatalogueError

REVIEW_FILTERS = {"": None, "waiting": False, "assured": True}


@bp.get("")
@login_required
def index():
    if not (can(Permission.PLATFORM_MANAGE) or can(Permission.HUB_QUALITY_ASSURE)):
        authorise(Permission.PLATFORM_MANAGE)
    show = request.args.get("show", "waiting")
    show = show if show in REVIEW_FILTERS else "waiting"
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 100_000)  # the database's integers are finite
    records, total = catalogue.published_for_review(REVIEW_FILTERS[show], page)
    return render_template("platform/index.html", providers=catalogue.providers(), records=records,
                           total=total, page=page, pages=max(1, -(-total // REVIEW_PAGE_SIZE)), show=show)


def _assured() -> bool:
    value = request.form.get("assured")
    if value not in ("yes", "no"):
        abort(400)
    return value == "yes"


@bp.post("/providers/<int:provider_id>/quality")
@require(Permission.PLATFORM_MANAGE)
def provider_quality(provider_id: int):
    provider = catalogue.provider_by_id(provider_id)
    if provider is None:
        abort(404)
    catalogue.set_provider_quality_assured(current_user, provider, _assured())
    db.session.commit()
    flash(f"{provider.name} is {'now' if provider.quality_assured else 'no longer'} marked as quality-assured", "success")
    return redirect(url_for("platform.index"), code=303)


@bp.post("/records/<int:record_id>/quality")
@require(Permission.HUB_QUALITY_ASSURE)
def record_quality(record_id: int):
    record = get_for(current_org(), MicroCredential, record_id)
    try:
        catalogue.set_quality_assured(current_user, record, _assured())
    except CatalogueError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"{record.code} version {record.version} is {'now' if record.quality_assured else 'no longer'} "
              "marked as quality-assured", "success")
    return redirect(url_for("platform.index", show=request.form.get("show", "waiting")), code=303)
