"""The platform admin's list of SSO email domains still waiting for proof, and vouching for one
that was proved another way (a call to the organisation's IT team, say)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.blueprints.outcomes import failures_flashed
from app.blueprints.platform import bp
from app.security.permissions import Permission
from app.security.policy import require
from app.services.accounts import sso_domains


@bp.get("/domains")
@require(Permission.PLATFORM_MANAGE)
def domains():
    return render_template("platform/domains.html", claims=sso_domains.pending_across_platform())


@bp.post("/domains/<int:claim_id>/verify")
@require(Permission.PLATFORM_MANAGE)
def verify_domain(claim_id: int):
    # Platform-wide by design: the platform admin vouches for any organisation's claim.
    row = sso_domains.claim_by_id(claim_id) or abort(404)
    with failures_flashed():
        sso_domains.verify_by_platform(current_user, row)
        flash(f"{row.domain} is verified for {row.organisation.name}", "success")
    return redirect(url_for("platform.domains"), code=303)
