"""Programmes: a provider's coordinators define, version, copy and publish them."""

from __future__ import annotations

import json

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from app.blueprints.apprenticeships import bp, loading
from app.blueprints.apprenticeships.forms import CopyForm, ModuleForm, ProgrammeForm
from app.blueprints.outcomes import failures_flashed, failures_on
from app.models import OrgKind
from app.security.permissions import Permission
from app.security.policy import acting_org, require
from app.services import apprenticeships, issuing
from app.services.apprenticeships.programmes import outcomes_text

MANAGE = {"org_kind": OrgKind.PROVIDER}


@bp.get("/programmes/")
@require(Permission.COHORTS_MANAGE, **MANAGE)
def programmes():
    return render_template(
        "apprenticeships/programmes.html", programmes=apprenticeships.programmes.listing(acting_org())
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
@require(Permission.COHORTS_MANAGE, **MANAGE)
def new_programme():
    form = ProgrammeForm()
    if form.validate_on_submit():
        with failures_on(form):
            made = apprenticeships.programmes.create(
                current_user, acting_org(), form.details(), form.outcomes.data or ""
            )
            flash(f"Programme {made.title} saved as a draft", "success")
            return redirect(url_for("apprenticeships.programme", programme_id=made.id), code=303)
    return render_template(
        "apprenticeships/programme_form.html", form=form, programme=None
    ), 422 if form.errors else 200


@bp.get("/programmes/<int:programme_id>")
@require(Permission.COHORTS_MANAGE, **MANAGE)
def programme(programme_id: int):
    found = loading.programme(programme_id)
    module_form = ModuleForm()
    module_form.micro_credential_id.choices = [
        (mc.id, f"{mc.title} ({mc.provider.name})")
        for mc in apprenticeships.programmes.hub_modules_choices(acting_org())
    ]
    return render_template(
        "apprenticeships/programme.html",
        programme=found,
        versions=apprenticeships.programmes.versions_of(found),
        module_form=module_form,
        copy_form=CopyForm(),
    )


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@require(Permission.COHORTS_MANAGE, **MANAGE)
def edit_programme(programme_id: int):
    found = loading.programme(programme_id)
    if not found.is_draft:
        flash("A published programme cannot be changed. Make a new version to change it.", "error")
        return redirect(url_for("apprenticeships.programme", programme_id=found.id), code=303)
    form = ProgrammeForm(obj=found)
    if not form.is_submitted():
        form.outcomes.data = outcomes_text(found)
        form.fill_gateway_from(found)
    if form.validate_on_submit():
        with failures_on(form):
            apprenticeships.programmes.update(current_user, found, form.details(), form.outcomes.data or "")
            flash("Programme saved", "success")
            return redirect(url_for("apprenticeships.programme", programme_id=found.id), code=303)
    return render_template(
        "apprenticeships/programme_form.html", form=form, programme=found
    ), 422 if form.errors else 200


@bp.post("/programmes/<int:programme_id>/modules")
@require(Permission.COHORTS_MANAGE, **MANAGE)
def add_module(programme_id: int):
    found = loading.programme(programme_id)
    form = ModuleForm()
    form.micro_credential_id.choices = [
        (mc.id, mc.title) for mc in apprenticeships.programmes.hub_modules_choices(acting_org())
    ]
    if not form.validate_on_submit():
        flash("Choose a micro-credential from the hub", "error")
    else:
        with failures_flashed():
            apprenticeships.programmes.add_module(current_user, found, form.micro_credential_id.data)
            flash("Module added", "success")
    return redirect(url_for("apprenticeships.programme", programme_id=found.id), code=303)


@bp.post("/programmes/<int:programme_id>/modules/<int:module_id>/remove")
@require(Permission.COHORTS_MANAGE, **MANAGE)
def remove_module(programme_id: int, module_id: int):
    found = loading.programme(programme_id)
    with failures_flashed():
        apprenticeships.programmes.remove_module(current_user, found, module_id)
        flash("Module removed", "success")
    return redirect(url_for("apprenticeships.programme", programme_id=found.id), code=303)


@bp.post("/programmes/<int:programme_id>/publish")
@require(Permission.COHORTS_MANAGE, **MANAGE)
def publish_programme(programme_id: int):
    found = loading.programme(programme_id)
    with failures_flashed():
        apprenticeships.programmes.publish(current_user, found)
        flash(f"{found.title} version {found.version} is published: cohorts can start on it", "success")
    return redirect(url_for("apprenticeships.programme", programme_id=found.id), code=303)


@bp.post("/programmes/<int:programme_id>/new-version")
@require(Permission.COHORTS_MANAGE, **MANAGE)
def new_programme_version(programme_id: int):
    found = loading.programme(programme_id)
    with failures_flashed():
        draft = apprenticeships.programmes.new_version(current_user, found)
        flash(f"Version {draft.version} is a draft: apprentices on earlier versions keep theirs", "success")
        return redirect(url_for("apprenticeships.programme", programme_id=draft.id), code=303)
    return redirect(url_for("apprenticeships.programme", programme_id=found.id), code=303)


@bp.post("/programmes/<int:programme_id>/copy")
@require(Permission.COHORTS_MANAGE, **MANAGE)
def copy_programme(programme_id: int):
    found = loading.programme(programme_id)
    form = CopyForm()
    if not form.validate_on_submit():
        flash("Enter a title for the copy", "error")
        return redirect(url_for("apprenticeships.programme", programme_id=found.id), code=303)
    copied = apprenticeships.programmes.copy(current_user, found, form.title.data)
    flash(f"Copied to the draft programme {copied.title}", "success")
    return redirect(url_for("apprenticeships.programme", programme_id=copied.id), code=303)


@bp.get("/programmes/<slug>/<code>/v<int:version>/achievement.json")
def programme_achievement(slug: str, code: str, version: int):
    """The published Achievement a certificate points to (public, like a hub record's)."""
    found = apprenticeships.programmes.published_version(slug, code, version)
    if found is None:
        abort(404)
    document = issuing.apprenticeship_certificates.achievement_document(found)
    response = make_response(json.dumps(document, ensure_ascii=False, indent=2))
    response.headers["Content-Type"] = "application/ld+json; charset=utf-8"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
