"""Quality reviews (issue: quality assurance was a toggle): a provider submits a published
version, a platform reviewer checks it against the criteria and approves it or asks for
changes; the hub, its filter and the OB 3.0 Achievement show who assured it and when."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

import app.models.catalogue as catalogue_models
from app.extensions import db
from app.models import AuditEvent, QualityReview, ReviewStatus, utcnow
from app.services.catalogue import lifecycle, quality, search
from app.services.catalogue.quality import QualityReviewError
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.catalogue import approved, criteria_all, micro_credential, platform_reviewer, values

CRITERIA_FORM = {f"{key}_outcome": "met" for key, _ in quality.CRITERIA}


def decision_form(decision="approve", comments="All five criteria are met.", **outcomes):
    form = dict(CRITERIA_FORM)
    form.update({f"{k}_outcome": v for k, v in outcomes.items()})
    form.update({f"{k}_note": f"Note on {k}" for k, _ in quality.CRITERIA})
    form.update({"decision": decision, "comments": comments})
    return form


@pytest.fixture
def provider():
    return OrganisationFactory(provider=True, name="Glenbrae College", slug="glenbrae")


@pytest.fixture
def record(provider):
    return micro_credential(provider, code="GB-QA1", title="Careful Welding")


def _actions(org_id) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.organisation_id == org_id).order_by(AuditEvent.id)
        )
    )


def test_provider_submits_reviewer_approves_and_the_hub_shows_who_and_when(app, client, login, provider, record):
    coordinator = member(provider, "provider_coordinator", name="Lorna Coordinator")
    login(coordinator)
    page = client.get(f"/catalogue/{record.id}").get_data(as_text=True)
    assert "Submit for quality review" in page
    response = client.post(f"/catalogue/{record.id}/quality-review", data={"note": "First review, please"})
    assert response.status_code == 303
    page = client.get(f"/catalogue/{record.id}").get_data(as_text=True)
    assert "Waiting for review" in page and "Submit for quality review" not in page
    review = db.session.scalar(select(QualityReview).where(QualityReview.micro_credential_id == record.id))
    assert review.status == ReviewStatus.SUBMITTED and review.submitted_by_id == coordinator.id

    reviewer, _ = platform_reviewer("Rhona Reviewer")
    reviewer_client = login(reviewer, c=app.test_client())
    dashboard = reviewer_client.get("/dashboard").get_data(as_text=True)
    assert "1 micro-credential waiting for a quality review" in dashboard
    queue = reviewer_client.get("/platform/reviews").get_data(as_text=True)
    assert "Careful Welding" in queue and "Glenbrae College" in queue
    form_page = reviewer_client.get(f"/platform/reviews/{review.id}").get_data(as_text=True)
    assert "At least 10 notional hours" in form_page and "First review, please" in form_page
    assert "80 notional hours (at least 10 needed)" in form_page
    response = reviewer_client.post(f"/platform/reviews/{review.id}", data=decision_form())
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]

    db.session.refresh(review)
    db.session.refresh(record)
    assert review.status == ReviewStatus.APPROVED and review.reviewer_id == reviewer.id
    assert review.criteria["notional_hours"] == {"outcome": "met", "note": "Note on notional_hours"}
    assert record.quality_assured
    years = app.config["QA_REVIEW_YEARS"]
    assert years == 3
    assert review.expires_at == quality.years_after(review.reviewed_at, 3)

    hub = client.get("/hub/glenbrae/GB-QA1").get_data(as_text=True)
    reviewed, due = review.reviewed_at.strftime("%-d %B %Y"), review.expires_at.strftime("%-d %B %Y")
    assert f"Quality-assured by Credwork Platform (Rhona Reviewer) on {reviewed}, review due {due}" in hub
    assert "Careful Welding" in client.get("/hub?qa=assured").get_data(as_text=True)
    provider_page = client.get(f"/catalogue/{record.id}").get_data(as_text=True)
    assert "All five criteria are met." in provider_page and "Note on assessed" in provider_page
    assert _actions(provider.id)[-2:] == ["quality_review.submit", "quality_review.approve"]


def test_the_achievement_json_says_who_assured_the_version_and_when(client, provider, record):
    plain = json.loads(client.get("/hub/glenbrae/GB-QA1/achievement.json").get_data(as_text=True))
    assert "Quality-assured" not in plain["description"] and "quality-assured" not in plain["tag"]
    review = approved(record, platform_reviewer("Rhona Reviewer"))
    doc = json.loads(client.get(f"/hub/glenbrae/GB-QA1/v{record.version}/achievement.json").get_data(as_text=True))
    assert doc["description"].endswith(
        f"Quality-assured by Credwork Platform (Rhona Reviewer) on {review.reviewed_at:%-d %B %Y}, "
        f"review due {review.expires_at:%-d %B %Y}."
    )
    assert "quality-assured" in doc["tag"]
    assert set(doc) <= {
        "@context", "id", "type", "achievementType", "name", "description", "humanCode", "version",
        "inLanguage", "criteria", "image", "creator", "tag", "alignment", "creditsAvailable",
    }  # fmt: skip


def test_changes_requested_reach_the_provider_who_can_resubmit(app, client, login, provider, record):
    coordinator = member(provider, "provider_coordinator")
    review = quality.submit(coordinator, record)
    reviewer, _ = platform_reviewer()
    reviewer_client = login(reviewer, c=app.test_client())
    # Approving with a criterion not met is refused, and says why.
    refused = reviewer_client.post(f"/platform/reviews/{review.id}", data=decision_form(assessed="not_met"))
    assert refused.status_code == 422
    assert "not met: Formally assessed" in refused.get_data(as_text=True)
    # Asking for changes needs comments the provider can act on.
    refused = reviewer_client.post(f"/platform/reviews/{review.id}", data=decision_form("changes", comments=""))
    assert refused.status_code == 422 and "what the provider should change" in refused.get_data(as_text=True)
    db.session.refresh(review)
    assert review.status == ReviewStatus.SUBMITTED
    asked = decision_form("changes", comments="Name the assessment method.", assessed="not_met")
    assert reviewer_client.post(f"/platform/reviews/{review.id}", data=asked).status_code == 303
    db.session.refresh(review)
    db.session.refresh(record)
    assert review.status == ReviewStatus.CHANGES_REQUESTED and not record.quality_assured

    login(coordinator)
    page = client.get(f"/catalogue/{record.id}").get_data(as_text=True)
    assert "Changes requested" in page and "Name the assessment method." in page and "Not met" in page
    assert client.post(f"/catalogue/{record.id}/quality-review", data={}).status_code == 303
    assert len(quality.reviews_of(record)) == 2 and quality.open_review(record) is not None
    assert "quality_review.request_changes" in _actions(provider.id)


def test_a_provider_cannot_review_and_a_reviewer_cannot_review_without_a_submission(
    app, client, login, provider, record
):
    coordinator = member(provider, "provider_coordinator")
    review = quality.submit(coordinator, record)
    login(coordinator)
    assert client.get(f"/platform/reviews/{review.id}").status_code == 403
    assert client.post(f"/platform/reviews/{review.id}", data=decision_form()).status_code == 403
    # A platform admin is not a reviewer.
    admin_client = login(member(OrganisationFactory(platform=True), "platform_admin"), c=app.test_client())
    assert admin_client.post(f"/platform/reviews/{review.id}", data=decision_form()).status_code == 403

    reviewer, membership = platform_reviewer()
    approved_review = quality.decide(reviewer, membership, review, criteria_all(), approve=True, comments="")
    reviewer_client = login(reviewer, c=app.test_client())
    # Decided already: nothing waits, so there is nothing to decide again.
    again = reviewer_client.post(f"/platform/reviews/{review.id}", data=decision_form("changes", comments="x"))
    assert again.status_code == 403
    assert approved_review.status == ReviewStatus.APPROVED
    assert reviewer_client.get("/platform/reviews/999999").status_code == 404
    # A draft cannot be submitted, so a draft is never reviewed.
    draft = micro_credential(provider, code="GB-DRAFT", publish=False)
    with pytest.raises(QualityReviewError, match="Only a published version"):
        quality.submit(coordinator, draft)


def test_nobody_reviews_a_version_they_submitted(provider, record):
    reviewer, membership = platform_reviewer()
    review = quality.submit(reviewer, record)
    with pytest.raises(QualityReviewError, match="someone else must review it"):
        quality.decide(reviewer, membership, review, criteria_all(), approve=True, comments="")


def test_other_providers_cannot_see_or_submit_anothers_reviews(app, client, login, provider, record):
    quality.submit(member(provider, "provider_coordinator"), record, note="Secret note for the reviewer")
    other = OrganisationFactory(provider=True, name="Other College")
    login(member(other, "provider_coordinator"))
    assert client.get(f"/catalogue/{record.id}").status_code == 404
    assert client.post(f"/catalogue/{record.id}/quality-review", data={}).status_code == 404
    hub = client.get("/hub/glenbrae/GB-QA1").get_data(as_text=True)
    assert "Secret note" not in hub and "Waiting for review" not in hub
    assert "This version has not been quality-assured by Credwork" in hub


def test_approval_expires(app, client, provider, record, monkeypatch):
    review = approved(record)
    assert record.quality_assured and search.search(search.HubFilters(qa="assured")).total == 1
    later = review.expires_at + timedelta(days=1)
    monkeypatch.setattr(catalogue_models, "utcnow", lambda: later)
    monkeypatch.setattr(quality, "utcnow", lambda: later)
    assert record.quality_assured is False
    assert search.search(search.HubFilters(qa="assured")).total == 0
    assert "This version has not been quality-assured" in client.get("/hub/glenbrae/GB-QA1").get_data(as_text=True)
    # Expired, it can be submitted again.
    assert quality.submit(None, record).is_open


def test_the_review_period_comes_from_configuration(app, provider, record, monkeypatch):
    monkeypatch.setitem(app.config, "QA_REVIEW_YEARS", 1)
    review = approved(record)
    assert review.expires_at == quality.years_after(review.reviewed_at, 1)
    assert quality.years_after(review.reviewed_at, 1) - review.reviewed_at <= timedelta(days=366)


def test_a_new_version_needs_review_again(provider, record):
    coordinator = member(provider, "provider_coordinator")
    approved(record, submitter=coordinator)
    v2 = lifecycle.new_version(coordinator, record)
    lifecycle.update_draft(coordinator, v2, values(title="Careful Welding, revised"), [])
    lifecycle.publish(coordinator, v2)
    assert not v2.quality_assured and v2.quality_assured_until is None
    hits = search.search(search.HubFilters(qa="assured"))
    assert hits.total == 0  # v1 is retired; v2 has not been reviewed
    assert quality.current_approval(v2) is None
    assert quality.submit(coordinator, v2).is_open


def test_retiring_a_version_withdraws_its_waiting_review(provider, record):
    coordinator = member(provider, "provider_coordinator")
    review = quality.submit(coordinator, record)
    lifecycle.retire(coordinator, record)
    assert review.status == ReviewStatus.WITHDRAWN and quality.waiting_count() == 0
    assert "quality_review.withdraw" in _actions(provider.id)


def test_one_review_waits_per_version(provider, record):
    quality.submit(None, record)
    with pytest.raises(QualityReviewError, match="already waiting"):
        quality.submit(None, record)


def test_credit_criterion_does_not_apply_without_credit(app, client, login, provider):
    record = micro_credential(provider, code="GB-NC", scqf_credits=None, notional_hours=8, title="Short Course")
    review = quality.submit(None, record)
    reviewer, _ = platform_reviewer()
    reviewer_client = login(reviewer, c=app.test_client())
    page = reviewer_client.get(f"/platform/reviews/{review.id}").get_data(as_text=True)
    assert "Claims no credit, so this criterion does not apply" in page
    # Pre-checked from the record: 8 hours is under 10, and no credit is claimed.
    checked = re.findall(r'<input[^>]*name="(\w+_outcome)"[^>]*value="(\w+)"[^>]*checked', page)
    checked += re.findall(r'<input[^>]*checked[^>]*name="(\w+_outcome)"[^>]*value="(\w+)"', page)
    assert sorted(checked) == [("credit_rated_outcome", "not_applicable"), ("notional_hours_outcome", "not_met")]
    assert quality.suggested(record) == {"notional_hours": "not_met", "credit_rated": "not_applicable"}
    form = decision_form("changes", comments="Too short.", notional_hours="not_met", credit_rated="met")
    assert reviewer_client.post(f"/platform/reviews/{review.id}", data=form).status_code == 303
    db.session.refresh(review)
    assert review.criteria["credit_rated"]["outcome"] == "not_applicable"


def test_queue_is_paginated_in_bounded_queries(app, login, provider, count_queries):
    for n in range(quality.PAGE_SIZE + 3):
        quality.submit(None, micro_credential(provider, code=f"GB-P{n:03d}"))
    reviewer, _ = platform_reviewer()
    reviewer_client = login(reviewer, c=app.test_client())
    with count_queries() as first:
        page1 = reviewer_client.get("/platform/reviews").get_data(as_text=True)
    assert f"{quality.PAGE_SIZE + 3} reviews, page 1 of 2" in page1
    assert "page 2 of 2" in reviewer_client.get("/platform/reviews?page=2").get_data(as_text=True)
    partial = reviewer_client.get("/platform/reviews?show=waiting", headers={"HX-Request": "true"})
    assert "<html" not in partial.get_data(as_text=True) and "reviews, page 1 of 2" in partial.get_data(as_text=True)
    assert first.count <= 12, first.statements


def test_the_filter_keeps_working_with_many_records(provider, count_queries):
    records = [micro_credential(provider, code=f"GB-F{n}") for n in range(4)]
    reviewer = platform_reviewer()
    for r in records[:2]:
        approved(r, reviewer)
    assert {r.id for r in search.search(search.HubFilters(qa="assured")).records} == {r.id for r in records[:2]}
    assert utcnow() < records[0].quality_assured_until
