"""Progress reviews: recorded together, rated by each party, actions agreed, signed by all three."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.blueprints.apprenticeships import bp, loading
from app.blueprints.apprenticeships.forms import ActionForm, PartyForm, ReviewRecordForm, ratings_form, scores_from
from app.blueprints.downloads import attachment
from app.blueprints.outcomes import failures_flashed, failures_on
from app.domain.calendar import london_today
from app.models import Party
from app.services import apprenticeships
from app.services.apprenticeships.reviews import ReviewRecord


def _back(a, review):
    return redirect(url_for("apprenticeships.review", apprenticeship_id=a.id, review_id=review.id), code=303)


def _page(a, parties, review, record_form=None, action_form=None, status=200):
    scores = apprenticeships.reviews.ratings_by_outcome(review)
    outcomes = a.programme.outcomes
    rating_forms = {
        party: ratings_form(outcomes, {o: s[party] for o, s in scores.items() if party in s})(
            prefix=party.value, party=party.value, formdata=None
        )
        for party in sorted(parties)
    }
    if record_form is None:
        record_form = ReviewRecordForm(formdata=None, obj=review)
    return (
        render_template(
            "apprenticeships/review.html",
            a=a,
            review=review,
            parties=parties,
            today=london_today(),
            scores=scores,
            radar=apprenticeships.radar.radar(outcomes, scores),
            record_form=record_form,
            action_form=action_form or ActionForm(formdata=None),
            rating_forms=rating_forms,
            signed={Party(s.party): s for s in review.signatures},
            snapshot=apprenticeships.reviews.snapshot_words(review),
            sign_form=PartyForm(formdata=None),
        ),
        status,
    )


@bp.get("/apprenticeships/<int:apprenticeship_id>/reviews/<int:review_id>")
def review(apprenticeship_id: int, review_id: int):
    a, parties = loading.apprenticeship(apprenticeship_id)
    return _page(a, parties, loading.review(a, review_id))


@bp.post("/apprenticeships/<int:apprenticeship_id>/reviews/<int:review_id>/record")
def record_review(apprenticeship_id: int, review_id: int):
    a, parties = loading.apprenticeship(apprenticeship_id)
    found = loading.review(a, review_id)
    form = ReviewRecordForm()
    if form.validate_on_submit():
        with failures_on(form):
            today = london_today()
            position = apprenticeships.off_the_job.position_of(a, today)
            apprenticeships.reviews.record(
                current_user,
                found,
                ReviewRecord(form.held_on.data, form.progress.data, form.wellbeing.data or ""),
                position,
                today,
            )
            flash("Review saved. Each party now signs it.", "success")
            return _back(a, found)
    return _page(a, parties, found, record_form=form, status=422)


@bp.post("/apprenticeships/<int:apprenticeship_id>/reviews/<int:review_id>/ratings")
def rate_review(apprenticeship_id: int, review_id: int):
    a, parties = loading.apprenticeship(apprenticeship_id)
    found = loading.review(a, review_id)
    # Each party's form carries its own prefix, so several on one page keep distinct ids.
    forms = [ratings_form(a.programme.outcomes, {})(prefix=party.value) for party in Party]
    form = next((f for f in forms if f.party.data in set(Party)), None)
    if form is None or not form.validate_on_submit():
        abort(400)
    with failures_flashed():
        apprenticeships.reviews.rate(
            current_user, found, Party(form.party.data), parties, scores_from(form, a.programme.outcomes)
        )
        flash("Ratings saved", "success")
    return _back(a, found)


@bp.post("/apprenticeships/<int:apprenticeship_id>/reviews/<int:review_id>/actions")
def add_review_action(apprenticeship_id: int, review_id: int):
    a, parties = loading.apprenticeship(apprenticeship_id)
    found = loading.review(a, review_id)
    form = ActionForm()
    if form.validate_on_submit():
        with failures_on(form):
            apprenticeships.reviews.add_action(
                current_user, found, form.description.data, form.owner.data, form.due_date.data, london_today()
            )
            flash("Action added", "success")
            return _back(a, found)
    return _page(a, parties, found, action_form=form, status=422)


@bp.post("/apprenticeships/<int:apprenticeship_id>/reviews/<int:review_id>/actions/<int:action_id>/done")
def complete_review_action(apprenticeship_id: int, review_id: int, action_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    found = loading.review(a, review_id)
    action = next((x for x in found.actions if x.id == action_id), None)
    if action is None:
        abort(404)
    with failures_flashed():
        apprenticeships.reviews.complete_action(current_user, action, a)
        flash("Action marked as done", "success")
    return _back(a, found)


@bp.post("/apprenticeships/<int:apprenticeship_id>/reviews/<int:review_id>/sign")
def sign_review(apprenticeship_id: int, review_id: int):
    a, parties = loading.apprenticeship(apprenticeship_id)
    found = loading.review(a, review_id)
    form = PartyForm()
    if not form.validate_on_submit() or form.party.data not in set(Party):
        abort(400)
    with failures_flashed():
        apprenticeships.reviews.sign(current_user, found, Party(form.party.data), parties, london_today())
        flash(
            "Review signed by all three parties and locked. The next review is scheduled."
            if found.is_locked
            else f"You signed the review as the {Party(form.party.data).label.lower()}",
            "success",
        )
    return _back(a, found)


@bp.get("/apprenticeships/<int:apprenticeship_id>/reviews/<int:review_id>/record.pdf")
def review_pdf(apprenticeship_id: int, review_id: int):
    a, _ = loading.apprenticeship(apprenticeship_id)
    found = loading.review(a, review_id)
    pdf = apprenticeships.pdf.review_record(found)
    return attachment(pdf, f"progress-review-{found.number}-{a.apprentice.user.name}.pdf", "application/pdf")
