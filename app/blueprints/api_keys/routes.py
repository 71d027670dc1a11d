"""API keys for the verification API: organisation admins create (shown once) and revoke them."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from app.blueprints.api_keys import bp
from app.blueprints.api_keys.forms import ApiKeyForm
from app.blueprints.outcomes import failures_on
from app.models.verifications import ApiKey
from app.security.permissions import Permission
from app.security.policy import acting_org, require
from app.security.scoping import get_for
from app.services import verification


@bp.route("/", methods=["GET", "POST"])
@require(Permission.API_KEYS_MANAGE)
def index():
    org = acting_org()
    form = ApiKeyForm()
    if form.validate_on_submit():
        with failures_on(form):
            key, plaintext = verification.create_key(current_user, org, form.name.data)
            # Shown once, in this response only; never stored, never redirected through a URL.
            response = make_response(render_template("api_keys/created.html", key=key, plaintext=plaintext, org=org))
            response.headers["Cache-Control"] = "no-store"
            return response
    return render_template(
        "api_keys/index.html", form=form, org=org, keys=verification.keys_of(org)
    ), 422 if form.errors else 200


@bp.post("/<int:key_id>/revoke")
@require(Permission.API_KEYS_MANAGE)
def revoke(key_id: int):
    key = get_for(acting_org(), ApiKey, key_id)
    verification.revoke_key(current_user, key)
    flash(f"API key {key.name} ({key.prefix}) revoked. Systems using it can no longer verify badges.", "success")
    return redirect(url_for("api_keys.index"), code=303)
