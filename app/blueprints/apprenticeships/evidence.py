"""Work-based evidence pages: an apprentice's portfolio and coverage matrix, recording an entry
(with files), the entry with its comment thread, the assessor's sign-off or return, file
downloads, and coverage heat maps for coordinators and line managers."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.blueprints.apprenticeships import bp, loading
from app.blueprints.apprenticeships.evidence_forms import CommentForm, EvidenceForm, FeedbackForm, FileForm, SignOffForm
from app.blueprints.downloads import attachment, report
from app.blueprints.outcomes import failures_flashed, failures_on
from app.domain.calendar import london_today
from app.models import Apprenticeship, OrgKind, Party
from app.models.evidence import EVIDENCE_STATUS_LABELS, EVIDENCE_TYPE_LABELS, LINE_MANAGER_TYPES
from app.security.permissions import Permission
from app.security.policy import (
    acting_membership,
    acting_org,
    evidence_recording_parties,
    evidence_sign_off_refusal,
    require,
)
from app.services import apprenticeships, evidence
from app.services.evidence import FileMissing


def _page_number() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 6 else 1


@bp.get("/apprenticeships/<int:apprenticeship_id>/evidence")
def portfolio(apprenticeship_id: int):
    a, parties = loading.apprenticeship(apprenticeship_id)
    status = request.args.get("status", "")
    cells = evidence.coverage.matrix(a)
    return render_template(
        "apprenticeships/portfolio.html",
        a=a,
        cells=cells,
        covered=evidence.coverage.share_covered(cells),
        entries=evidence.portfolio.entries_page(a, _page_number(), status=status),
        status=status,
        statuses=EVIDENCE_STATUS_LABELS,
        may_record=bool(evidence_recording_parties(acting_membership(), a)),
    )


def _evidence_form(a, recording: set[Party]) -> EvidenceForm:
    form = EvidenceForm()
    types = LINE_MANAGER_TYPES if recording == {Party.EMPLOYER} else list(EVIDENCE_TYPE_LABELS)
    form.type.choices = [(t, EVIDENCE_TYPE_LABELS[t]) for t in types]
    form.outcome_ids.choices = [(o.id, f"{o.code}: {o.description}") for o in a.programme.outcomes]
    return form


@bp.route("/apprenticeships/<int:apprenticeship_id>/evidence/new", methods=["GET", "POST"])
def new_evidence(apprenticeship_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    recording = evidence_recording_parties(acting_membership(), a)
    if not recording:
        abort(403)
    form = _evidence_form(a, recording)
    if form.validate_on_submit():
        with failures_on(form):
            entry = evidence.portfolio.record(current_user, a, form.details(), recording, london_today())
            if form.file.data and form.file.data.filename:
                evidence.portfolio.attach(current_user, a, entry, form.file.data.filename, form.file.data.stream)
            if form.submit.data:
                evidence.portfolio.submit(current_user, a, entry)
            flash("Evidence submitted to the assessor" if form.submit.data else "Evidence saved as a draft", "success")
            return redirect(
                url_for("apprenticeships.evidence_entry", apprenticeship_id=a.id, evidence_id=entry.id), code=303
            )
    return render_template(
        "apprenticeships/evidence_form.html", a=a, form=form, entry=None
    ), 422 if form.errors else 200


@bp.route("/apprenticeships/<int:apprenticeship_id>/evidence/<int:evidence_id>/edit", methods=["GET", "POST"])
def edit_evidence(apprenticeship_id: int, evidence_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    entry = loading.evidence_entry(a, evidence_id)
    recording = evidence_recording_parties(acting_membership(), a)
    if entry.recorded_by_id != current_user.id or not recording:
        abort(403)
    form = _evidence_form(a, recording)
    if request.method == "GET":
        form.process(obj=entry)
        form.outcome_ids.data = [c.outcome_id for c in entry.claims]
        form.links.data = "\n".join(entry.links or [])
    if form.validate_on_submit():
        with failures_on(form):
            evidence.portfolio.update(current_user, a, entry, form.details(), london_today())
            if form.submit.data:
                evidence.portfolio.submit(current_user, a, entry)
            flash("Evidence saved", "success")
            return _back(a, entry)
    return render_template(
        "apprenticeships/evidence_form.html", a=a, form=form, entry=entry
    ), 422 if form.errors else 200


def _back(a, entry):
    return redirect(url_for("apprenticeships.evidence_entry", apprenticeship_id=a.id, evidence_id=entry.id), code=303)


@bp.get("/apprenticeships/<int:apprenticeship_id>/evidence/<int:evidence_id>")
def evidence_entry(apprenticeship_id: int, evidence_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    entry = loading.evidence_entry(a, evidence_id)
    membership = acting_membership()
    refusal = evidence_sign_off_refusal(membership, a, entry)
    sign_form = SignOffForm(formdata=None)
    sign_form.outcome_ids.choices = [
        (c.outcome_id, f"{c.outcome.code}: {c.outcome.description}") for c in entry.claims if not c.signed_off_at
    ]
    return render_template(
        "apprenticeships/evidence_entry.html",
        a=a,
        entry=entry,
        may_edit=entry.is_editable and entry.recorded_by_id == current_user.id,
        may_assess=refusal is None and entry.awaits_assessor,
        assess_refusal=refusal,
        may_correct=entry.is_locked and bool(evidence_recording_parties(membership, a)),
        sign_form=sign_form,
        feedback_form=FeedbackForm(formdata=None),
        file_form=FileForm(formdata=None),
        comment_form=CommentForm(formdata=None),
    )


@bp.post("/apprenticeships/<int:apprenticeship_id>/evidence/<int:evidence_id>/files")
def add_evidence_file(apprenticeship_id: int, evidence_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    entry = loading.evidence_entry(a, evidence_id)
    form = FileForm()
    if not form.validate_on_submit():
        flash("Choose a file to upload", "error")
        return _back(a, entry)
    with failures_flashed():
        kept = evidence.portfolio.attach(current_user, a, entry, form.file.data.filename, form.file.data.stream)
        flash(f"{kept.filename} attached", "success")
    return _back(a, entry)


@bp.get("/apprenticeships/<int:apprenticeship_id>/evidence/<int:evidence_id>/files/<int:file_id>")
def evidence_file(apprenticeship_id: int, evidence_id: int, file_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    entry = loading.evidence_entry(a, evidence_id)
    kept = loading.evidence_file(entry, file_id)
    try:
        content = evidence.portfolio.read_file(kept)
    except FileMissing as exc:
        flash(exc.message, "error")
        return _back(a, entry)
    response = attachment(content, kept.filename, kept.content_type)
    # Never run or render what someone uploaded, whatever a browser guesses about it.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _act(a, entry, do, done: str):
    with failures_flashed():
        do()
        flash(done, "success")
    return _back(a, entry)


@bp.post("/apprenticeships/<int:apprenticeship_id>/evidence/<int:evidence_id>/submit")
def submit_evidence(apprenticeship_id: int, evidence_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    entry = loading.evidence_entry(a, evidence_id)
    return _act(
        a, entry, lambda: evidence.portfolio.submit(current_user, a, entry), "Evidence submitted to the assessor"
    )


@bp.post("/apprenticeships/<int:apprenticeship_id>/evidence/<int:evidence_id>/sign-off")
def sign_off_evidence(apprenticeship_id: int, evidence_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    entry = loading.evidence_entry(a, evidence_id)
    form = SignOffForm()
    form.outcome_ids.choices = [(c.outcome_id, c.outcome.code) for c in entry.claims]
    form.validate_on_submit()
    refusal = evidence_sign_off_refusal(acting_membership(), a, entry)
    return _act(
        a,
        entry,
        lambda: evidence.portfolio.sign_off(current_user, a, entry, list(form.outcome_ids.data or []), refusal),
        "Signed off",
    )


@bp.post("/apprenticeships/<int:apprenticeship_id>/evidence/<int:evidence_id>/return")
def return_evidence(apprenticeship_id: int, evidence_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    entry = loading.evidence_entry(a, evidence_id)
    form = FeedbackForm()
    form.validate_on_submit()
    refusal = evidence_sign_off_refusal(acting_membership(), a, entry)
    return _act(
        a,
        entry,
        lambda: evidence.portfolio.return_with_feedback(current_user, a, entry, form.feedback.data or "", refusal),
        "Returned with feedback",
    )


@bp.post("/apprenticeships/<int:apprenticeship_id>/evidence/<int:evidence_id>/comments")
def comment_on_evidence(apprenticeship_id: int, evidence_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    entry = loading.evidence_entry(a, evidence_id)
    form = CommentForm()
    form.validate_on_submit()
    return _act(
        a, entry, lambda: evidence.portfolio.comment(current_user, a, entry, form.body.data or ""), "Comment added"
    )


@bp.post("/apprenticeships/<int:apprenticeship_id>/evidence/<int:evidence_id>/correct")
def correct_evidence(apprenticeship_id: int, evidence_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    entry = loading.evidence_entry(a, evidence_id)
    recording = evidence_recording_parties(acting_membership(), a)
    with failures_flashed():
        made = evidence.portfolio.correct(current_user, a, entry, recording, london_today())
        flash("A correction is drafted. The signed-off entry stays as it was.", "success")
        return redirect(url_for("apprenticeships.edit_evidence", apprenticeship_id=a.id, evidence_id=made.id), code=303)
    return _back(a, entry)


def _heat_map_page(template: str, condition, programmes, chosen, **context):
    outcomes = chosen.outcomes if chosen else []
    found = evidence.coverage.heat_map(condition, outcomes, _page_number()) if chosen else None
    return render_template(template, heat=found, programmes=programmes, chosen=chosen, **context)


@bp.get("/cohorts/<int:cohort_id>/coverage")
@require(Permission.COHORTS_MANAGE, org_kind=OrgKind.PROVIDER)
def cohort_coverage(cohort_id: int):
    found = loading.cohort(cohort_id)
    return _heat_map_page(
        "apprenticeships/coverage.html",
        Apprenticeship.cohort_id == found.id,
        [found.programme],
        found.programme,
        cohort=found,
    )


@bp.get("/apprenticeships/coverage")
@require()
def caseload_coverage():
    membership = acting_membership()
    programmes = apprenticeships.queries.caseload_programmes(membership)
    wanted = request.args.get("programme", "")
    chosen = next((p for p in programmes if str(p.id) == wanted), programmes[0] if programmes else None)
    condition = apprenticeships.queries.scope(membership)
    if chosen is not None:
        condition = condition & (Apprenticeship.programme_id == chosen.id)
    return _heat_map_page("apprenticeships/coverage.html", condition, programmes, chosen, cohort=None)


@bp.get("/apprenticeships/<int:apprenticeship_id>/evidence/pack.pdf")
def evidence_pack_pdf(apprenticeship_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    pdf = evidence.exports.pack_pdf(a, london_today())
    return attachment(pdf, f"evidence-pack-{a.apprentice.user.name}.pdf", "application/pdf")


@bp.get("/apprenticeships/<int:apprenticeship_id>/evidence/pack.zip")
def evidence_pack_zip(apprenticeship_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    return attachment(
        evidence.exports.pack_zip(a, london_today()), f"evidence-pack-{a.apprentice.user.name}.zip", "application/zip"
    )


@bp.get("/cohorts/<int:cohort_id>/coverage.pdf")
@require(Permission.COHORTS_MANAGE, org_kind=OrgKind.PROVIDER)
def cohort_coverage_pdf(cohort_id: int):
    found = loading.cohort(cohort_id)
    return report(evidence.exports.cohort_coverage_for(current_user, acting_org(), found, london_today()))
