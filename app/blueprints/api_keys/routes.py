"""API keys for the verification API: organisation admins create (shown once) and revoke them."""
from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from app.blueprints.api_keys import bp
from app.extensions import db
from app.models.verifications import ApiKey
from app.security.permissions import Permission
from app.security.policy import authorise, current_org
from app.security.scoping import get_for
from app.services.verification import api_keys
from app.services.verification.api_keys import ApiKeyError


class ApiKeyForm(FlaskForm):
    name = StringField("Key name", widget=GovTextInput(),
                       description="Say which system uses it, for example \u201cApplicant tracking system\u201d.",
                       validators=[InputRequired("Enter a name for the key"), Length(max=120)])
    submit = SubmitField("Create API key", widget=GovSubmitInput())


def _org():
    authorise(Permission.API_KEYS_MANAGE)
    org = current_org()
    if org is None:
        abort(404)
    return org


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    org = _org()
    form = ApiKeyForm()
    error = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            key, plaintext = api_keys.create_key(current_user, org, form.name.data)
        except ApiKeyError as exc:
            error = str(exc)
        else:
            db.session.commit()
            # Shown once, in this response only; never stored, never redirected through a URL.
            response = make_response(render_template("api_keys/created.html", key=key, plaintext=plaintext, org=org))
            response.headers["Cache-Control"] = "no-store"
            return response
    status = 422 if (error or form.errors) else 200
    return render_template("api_keys/index.html", form=form, error=error, org=org,
                           keys=api_keys.keys_of(org)), status


@bp.post("/<int:key_id>/revoke")
@login_required
def revoke(key_id: int):
    org = _org()
    key = get_for(org, ApiKey, key_id)
    api_keys.revoke_key(current_user, key)
    db.session.commit()
    flash(f"API key {key.name} ({key.prefix}) revoked. Systems using it can no longer verify badges.", "success")
    return redirect(url_for("api_keys.index"), code=303)
