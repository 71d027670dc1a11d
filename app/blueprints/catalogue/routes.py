"""Provider coordinators manage their own micro-credentials here. Another provider's record
is a 404 on every route (it may be visible on the public hub, but never editable here)."""
from __future__ import annotations

import json

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.blueprints.catalogue import bp
from app.extensions import db
from app.models.catalogue import FUNDING, MODES, QA_TYPES, SUPERVISION
from app.security.permissions import Permission
from app.security.policy import authorise, current_org
from app.services.catalogue import import_export as catalogue_io
from app.services.catalogue import lifecycle as catalogue
from app.services.catalogue.fields import as_form, clean, from_request
from app.services.catalogue.lifecycle import CatalogueError

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _provider():
    authorise(Permission.HUB_PUBLISH)
    org = current_org()
    if org is None or not org.is_provider:
        abort(403)
    return org


def _own(org, record_id: int):
    record = catalogue.own_record(org, record_id)
    if record is None:
        abort(404)
    return record


def _choices() -> dict:
    return {"modes": MODES, "supervision": SUPERVISION, "qa_types": QA_TYPES, "funding": FUNDING,
            "skills": catalogue.all_skills(),
            "scqf_levels": [(str(n), f"Level {n}") for n in range(1, 13)],
            "eqf_levels": [(str(n), f"Level {n}") for n in range(1, 9)]}


@bp.get("")
@login_required
def index():
    org = _provider()
    return render_template("catalogue/index.html", org=org, records=catalogue.latest_versions(org))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    org = _provider()
    raw, errors = {"qa_type": "credit-rated", "qa_body": org.name, "language": "en", "country": "GB-SCT"}, {}
    if request.method == "POST":
        raw = from_request(request.form)
        values, uris, errors = clean(raw)
        skills = catalogue.skills_by_uri(uris)
        if not (raw.get("code") or "").strip():
            # First, as the code is the form's first field and the summary follows the form.
            errors = {"code": "Enter a code, like FC-DATA150", **errors}
        if not errors:
            try:
                record = catalogue.create_draft(current_user, org, raw["code"], values,
                                                [skills[u] for u in uris if u in skills])
            except CatalogueError as exc:
                errors["code"] = str(exc)
            else:
                db.session.commit()
                flash(f"Draft {record.code} saved. Publish it when it is ready.", "success")
                return redirect(url_for("catalogue.show", record_id=record.id), code=303)
    return render_template("catalogue/form.html", org=org, raw=raw, errors=errors, record=None,
                           **_choices()), 422 if errors else 200


@bp.get("/<int:record_id>")
@login_required
def show(record_id: int):
    org = _provider()
    record = _own(org, record_id)
    return render_template("catalogue/show.html", org=org, record=record,
                           versions=catalogue.versions_of(org.id, record.code))


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit(record_id: int):
    org = _provider()
    record = _own(org, record_id)
    draft = None if record.is_draft else catalogue.open_draft(org.id, record.code)
    if draft is not None:
        # Editing an old version while a newer draft exists would overwrite that draft's work.
        flash(f"Version {draft.version} of {record.code} is already a draft: make your changes there", "success")
        return redirect(url_for("catalogue.edit", record_id=draft.id), code=303)
    raw, errors = as_form(record), {}
    if request.method == "POST":
        raw = from_request(request.form)
        raw["code"] = record.code
        values, uris, errors = clean(raw)
        skills = catalogue.skills_by_uri(uris)
        if not errors:
            try:
                draft = record if record.is_draft else catalogue.new_version(current_user, record)
                catalogue.update_draft(current_user, draft, values, [skills[u] for u in uris if u in skills])
            except CatalogueError as exc:
                errors["code"] = str(exc)
            else:
                db.session.commit()
                flash(f"Draft version {draft.version} of {draft.code} saved"
                      + ("" if draft.id == record.id else f"; version {record.version} is unchanged"), "success")
                return redirect(url_for("catalogue.show", record_id=draft.id), code=303)
    return render_template("catalogue/form.html", org=org, raw=raw, errors=errors, record=record,
                           **_choices()), 422 if errors else 200


@bp.post("/<int:record_id>/<any(publish, retire):action>")
@login_required
def change_status(record_id: int, action: str):
    org = _provider()
    record = _own(org, record_id)
    try:
        (catalogue.publish if action == "publish" else catalogue.retire)(current_user, record)
    except CatalogueError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"{record.code} version {record.version} "
              + ("is published on the hub" if action == "publish" else "is retired"), "success")
    return redirect(url_for("catalogue.show", record_id=record.id), code=303)


@bp.post("/<int:record_id>/discard")
@login_required
def discard(record_id: int):
    org = _provider()
    record = _own(org, record_id)
    code, version = record.code, record.version
    try:
        catalogue.discard_draft(current_user, record)
    except CatalogueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("catalogue.show", record_id=record.id), code=303)
    db.session.commit()
    flash(f"Draft version {version} of {code} discarded", "success")
    return redirect(url_for("catalogue.index"), code=303)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_csv():
    org = _provider()
    problems, error, outcome = [], None, None
    if request.method == "POST":
        upload = request.files.get("file")
        content = upload.read(MAX_IMPORT_BYTES + 1) if upload else b""
        if not content:
            error = "Choose a CSV file to import"
        elif len(content) > MAX_IMPORT_BYTES:
            error = "The file is larger than 5 MB: split it into smaller files"
        else:
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                error = "The file must be a CSV saved as UTF-8"
            else:
                try:
                    outcome = catalogue_io.import_csv(current_user, org, text,
                                                      publish=request.form.get("publish") == "yes")
                except (catalogue_io.CatalogueImportError, CatalogueError) as exc:
                    db.session.rollback()
                    problems = getattr(exc, "problems", [(0, str(exc))])
                else:
                    db.session.commit()
                    flash(f"Imported {outcome.total} micro-credential(s)"
                          + (f"; {len(outcome.published)} published" if outcome.published else " as drafts"),
                          "success")
                    return redirect(url_for("catalogue.index"), code=303)
    status = 422 if (problems or error) else 200
    return render_template("catalogue/import.html", org=org, problems=problems, error=error,
                           columns=catalogue_io.CSV_COLUMNS), status


def _download(body: str, filename: str, mimetype: str):
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/import/template.csv")
@login_required
def import_template():
    _provider()
    return _download(catalogue_io.template_csv(), "micro-credentials-template.csv", "text/csv; charset=utf-8")


@bp.get("/export.csv")
@login_required
def export_csv():
    org = _provider()
    return _download(catalogue_io.export_csv(org), f"{org.slug}-micro-credentials.csv", "text/csv; charset=utf-8")


@bp.get("/export.json")
@login_required
def export_json():
    org = _provider()
    return _download(json.dumps(catalogue_io.export_json(org), indent=2, ensure_ascii=False),
                     f"{org.slug}-micro-credentials.json", "application/json")
