"""Provider coordinators manage their own micro-credentials here. Another provider's record
is a 404 on every route (it may be visible on the public hub, but never editable here)."""

from __future__ import annotations

import json

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.catalogue import bp
from app.blueprints.catalogue.forms import ImportForm, MicroCredentialForm, SubmitForReviewForm
from app.blueprints.outcomes import failures_flashed, failures_on
from app.models import MicroCredential, OrgKind
from app.security.permissions import Permission
from app.security.policy import acting_org, require
from app.services.catalogue import fields, import_export, lifecycle, quality

MAX_IMPORT_BYTES = 5 * 1024 * 1024
publishing = require(Permission.HUB_PUBLISH, org_kind=OrgKind.PROVIDER)


def _own(org, record_id: int) -> MicroCredential:
    """One of the provider's own versions (published records of others are public, but not theirs
    to edit): 404 otherwise."""
    return lifecycle.own_record(org, record_id) or abort(404)


# ESCO's kinds of skill, as the skill picker groups them (in this order).
SKILL_GROUPS = {"skill/competence": "Skills and competences", "knowledge": "Knowledge"}


def _skill_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {heading: [] for heading in SKILL_GROUPS.values()}
    for skill in lifecycle.all_skills():
        heading = SKILL_GROUPS.get(skill.skill_type or "", "Other skills")
        groups.setdefault(heading, []).append((skill.uri, skill.label))
    return [(heading, choices) for heading, choices in groups.items() if choices]


def _form(record: MicroCredential | None, defaults: dict) -> MicroCredentialForm:
    data = None if request.method == "POST" else defaults
    return MicroCredentialForm(data=data, code_fixed=record.code if record else None, skill_groups=_skill_groups())


def _skills(form: MicroCredentialForm) -> list:
    found = lifecycle.skills_by_uri(form.skill_uris)
    return [found[u] for u in form.skill_uris if u in found]


@bp.get("")
@publishing
def index():
    org = acting_org()
    return render_template("catalogue/index.html", org=org, records=lifecycle.latest_versions(org))


@bp.route("/new", methods=["GET", "POST"])
@publishing
def new():
    org = acting_org()
    form = _form(None, {"qa_type": "credit-rated", "qa_body": org.name, "language": "en", "country": "GB-SCT"})
    if form.validate_on_submit():
        with failures_on(form):
            record = lifecycle.create_draft(current_user, org, form.code_value, form.values, _skills(form))
            flash(f"Draft {record.code} saved. Publish it when it is ready.", "success")
            return redirect(url_for("catalogue.show", record_id=record.id), code=303)
    return render_template("catalogue/form.html", org=org, form=form, record=None), 422 if form.errors else 200


@bp.get("/<int:record_id>")
@publishing
def show(record_id: int):
    org = acting_org()
    record = _own(org, record_id)
    return render_template(
        "catalogue/show.html",
        org=org,
        record=record,
        versions=lifecycle.versions_of(org.id, record.code),
        reviews=quality.reviews_of(record),
        review_form=SubmitForReviewForm(),
    )


@bp.post("/<int:record_id>/quality-review")
@publishing
def submit_for_review(record_id: int):
    record = _own(acting_org(), record_id)
    form = SubmitForReviewForm()
    if not form.validate_on_submit():
        abort(400)
    with failures_flashed():
        quality.submit(current_user, record, form.note.data or "")
        flash(f"{record.code} version {record.version} is submitted for quality review", "success")
    return redirect(url_for("catalogue.show", record_id=record.id), code=303)


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@publishing
def edit(record_id: int):
    org = acting_org()
    record = _own(org, record_id)
    draft = None if record.is_draft else lifecycle.open_draft(org.id, record.code)
    if draft is not None:
        # Editing an old version while a newer draft exists would overwrite that draft's work.
        flash(f"Version {draft.version} of {record.code} is already a draft: make your changes there", "success")
        return redirect(url_for("catalogue.edit", record_id=draft.id), code=303)
    form = _form(record, fields.as_form(record))
    if form.validate_on_submit():
        with failures_on(form):
            draft = record if record.is_draft else lifecycle.new_version(current_user, record)
            lifecycle.update_draft(current_user, draft, form.values, _skills(form))
            flash(
                f"Draft version {draft.version} of {draft.code} saved"
                + ("" if draft.id == record.id else f"; version {record.version} is unchanged"),
                "success",
            )
            return redirect(url_for("catalogue.show", record_id=draft.id), code=303)
    return render_template("catalogue/form.html", org=org, form=form, record=record), 422 if form.errors else 200


@bp.post("/<int:record_id>/<any(publish, retire):action>")
@publishing
def change_status(record_id: int, action: str):
    record = _own(acting_org(), record_id)
    with failures_flashed():
        if action == "publish":
            lifecycle.publish(current_user, record)
            flash(f"{record.code} version {record.version} is published on the hub", "success")
        else:
            lifecycle.retire(current_user, record)
            flash(f"{record.code} version {record.version} is retired", "success")
    return redirect(url_for("catalogue.show", record_id=record.id), code=303)


@bp.post("/<int:record_id>/discard")
@publishing
def discard(record_id: int):
    record = _own(acting_org(), record_id)
    code, version, record_id = record.code, record.version, record.id
    with failures_flashed():
        lifecycle.discard_draft(current_user, record)
        flash(f"Draft version {version} of {code} discarded", "success")
        return redirect(url_for("catalogue.index"), code=303)
    return redirect(url_for("catalogue.show", record_id=record_id), code=303)


def _upload_text(form: ImportForm) -> str | None:
    """The uploaded CSV as text, or None with the problem on the form's file field."""
    upload = form.file.data
    content = upload.read(MAX_IMPORT_BYTES + 1) if upload else b""
    if not content:
        form.file.errors.append("Choose a CSV file to import")
    elif len(content) > MAX_IMPORT_BYTES:
        form.file.errors.append("The file is larger than 5 MB: split it into smaller files")
    else:
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors.append("The file must be a CSV saved as UTF-8")
    return None


@bp.route("/import", methods=["GET", "POST"])
@publishing
def import_csv():
    org = acting_org()
    form, problems = ImportForm(), []
    if form.validate_on_submit():
        text = _upload_text(form)
        if text is not None:
            with failures_on(form):
                try:
                    outcome = import_export.import_csv(current_user, org, text, publish=form.publish.data)
                except import_export.CatalogueImportError as exc:
                    problems = exc.problems  # listed by row, not as one message; nothing was imported
                else:
                    flash(
                        f"Imported {outcome.total} micro-credential(s)"
                        + (f"; {len(outcome.published)} published" if outcome.published else " as drafts"),
                        "success",
                    )
                    return redirect(url_for("catalogue.index"), code=303)
    failed = bool(problems or form.errors)
    return render_template(
        "catalogue/import.html", org=org, form=form, problems=problems, columns=import_export.CSV_COLUMNS
    ), 422 if failed else 200


def _download(body: str, filename: str, mimetype: str):
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/import/template.csv")
@publishing
def import_template():
    return _download(import_export.template_csv(), "micro-credentials-template.csv", "text/csv; charset=utf-8")


@bp.get("/export.csv")
@publishing
def export_csv():
    org = acting_org()
    return _download(import_export.export_csv(org), f"{org.slug}-micro-credentials.csv", "text/csv; charset=utf-8")


@bp.get("/export.json")
@publishing
def export_json():
    org = acting_org()
    return _download(
        json.dumps(import_export.export_json(org), indent=2, ensure_ascii=False),
        f"{org.slug}-micro-credentials.json",
        "application/json",
    )
