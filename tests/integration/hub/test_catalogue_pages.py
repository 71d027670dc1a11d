"""Provider coordinators manage their own catalogue through the pages; nobody else can."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, MicroCredential
from app.services.catalogue import lifecycle
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.catalogue import micro_credential, skill

FORM = {
    "code": "gb-new1",
    "title": "Spreadsheets at Work",
    "summary": "Use spreadsheets with confidence.",
    "learning_outcomes": "Build a budget sheet\nChart monthly figures; explain them",
    "scqf_level": "6",
    "scqf_credits": "6",
    "notional_hours": "",
    "eqf_level": "",
    "mode": "online",
    "duration_weeks": "5",
    "price": "210",
    "start_dates": "2027-02-01\n2027-09-06",
    "entry_requirements": "",
    "assessment_type": "Practical tasks",
    "supervision": "unsupervised-no-id",
    "grading": "",
    "qa_type": "credit-rated",
    "qa_body": "Glenbrae College",
    "stackable_into": "HNC Business: 6",
    "further_information": "",
    "language": "en",
    "country": "GB-SCT",
}


@pytest.fixture
def provider():
    return OrganisationFactory(provider=True, name="Glenbrae College", slug="glenbrae")


@pytest.fixture
def coordinator(provider, login):
    user = member(provider, "provider_coordinator")
    login(user)
    return user


def test_coordinator_creates_a_draft_with_computed_hours_and_eqf(client, provider, coordinator):
    uri = skill("use spreadsheets software").uri
    response = client.post("/catalogue/new", data={**FORM, "funding": ["fwdf", "employer"], "skills": [uri]})
    assert response.status_code == 303
    record = db.session.scalar(select(MicroCredential).where(MicroCredential.code == "GB-NEW1"))
    assert (record.status, record.version, record.notional_hours, record.eqf_level) == ("draft", 1, 60, 4)
    assert record.learning_outcomes == ["Build a budget sheet", "Chart monthly figures; explain them"]
    assert record.funding == ["fwdf", "employer"] and [s.uri for s in record.skills] == [uri]
    assert record.stackable_into == [{"qualification": "HNC Business", "credits": 6}]
    assert record.created_by_id == coordinator.id


def test_form_errors_are_shown_with_422_and_glossary_hints(client, coordinator):
    response = client.post("/catalogue/new", data={**FORM, "title": "", "scqf_level": "14", "price": "lots"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter the title" in page and 'href="#title"' in page
    assert "The SCQF level must be a whole number from 1 to 12" in page
    assert "Enter the price in pounds" in page
    assert db.session.scalar(select(func.count(MicroCredential.id))) == 0
    form = client.get("/catalogue/new").get_data(as_text=True)
    assert 'href="/glossary#notional-hours"' in form and 'href="/glossary#scqf-credit-point"' in form
    assert 'href="/glossary#supervision-and-identity-checks"' in form


def test_publish_then_edit_makes_version_two_and_publishing_it_retires_one(client, provider, coordinator):
    v1 = micro_credential(provider, code="GB-E1", title="Old Title")
    assert client.post(f"/catalogue/{v1.id}/edit", data={**FORM, "title": "New Title"}).status_code == 303
    v2 = db.session.scalar(select(MicroCredential).where(MicroCredential.code == "GB-E1", MicroCredential.version == 2))
    assert v2.status == "draft" and v2.title == "New Title"
    db.session.refresh(v1)
    assert v1.title == "Old Title" and v1.status == "published"
    assert client.post(f"/catalogue/{v2.id}/publish").status_code == 303
    db.session.refresh(v1)
    db.session.refresh(v2)
    assert (v1.status, v2.status) == ("retired", "published")
    listing = client.get("/catalogue").get_data(as_text=True)
    assert "New Title" in listing and "Old Title" not in listing
    assert client.post(f"/catalogue/{v2.id}/retire").status_code == 303
    db.session.refresh(v2)
    assert v2.status == "retired"


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/catalogue/{id}"),
        ("get", "/catalogue/{id}/edit"),
        ("post", "/catalogue/{id}/edit"),
        ("post", "/catalogue/{id}/publish"),
        ("post", "/catalogue/{id}/retire"),
        ("post", "/catalogue/{id}/discard"),
    ],
)
def test_another_providers_record_is_404(client, login, provider, method, path):
    theirs = micro_credential(OrganisationFactory(provider=True), code="THEIRS-1")
    draft = micro_credential(OrganisationFactory(provider=True), code="THEIRS-2", publish=False)
    login(member(provider, "provider_coordinator"))
    for record in (theirs, draft):
        response = getattr(client, method)(path.format(id=record.id), data=FORM if method == "post" else None)
        assert response.status_code == 404
    db.session.refresh(theirs)
    assert theirs.status == "published" and theirs.title == "Test Micro-credential"


@pytest.mark.parametrize("role", ["hr_manager", "learner"])
def test_people_without_hub_publish_are_refused(client, login, role):
    login(member(OrganisationFactory(), role))
    assert client.get("/catalogue").status_code == 403
    assert client.post("/catalogue/new", data=FORM).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get("/catalogue")
    assert response.status_code in (302, 303, 401)


def test_platform_admin_marks_providers_and_the_record_toggle_is_gone(client, login, provider):
    record = micro_credential(provider, code="GB-Q1", title="Quality Course")
    admin = member(OrganisationFactory(platform=True, slug="credwork-op"), "platform_admin")
    login(admin)
    page = client.get("/platform").get_data(as_text=True)
    assert "Glenbrae College" in page
    # Records are quality-assured only through a review now: the old one-click mark is gone.
    assert client.post(f"/platform/records/{record.id}/quality", data={"assured": "yes"}).status_code == 404
    assert client.post(f"/platform/providers/{provider.id}/quality", data={"assured": "yes"}).status_code == 303
    db.session.refresh(record)
    db.session.refresh(provider)
    assert provider.quality_assured and not record.quality_assured
    hub = client.get("/hub").get_data(as_text=True)
    assert "Quality Course" in hub and "Quality-assured provider" in hub
    assert "Quality Course" not in client.get("/hub?qa=assured").get_data(as_text=True)
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == admin.id)))
    assert "provider.quality_assured" in actions


def test_coordinators_cannot_mark_providers_or_review(client, login, provider):
    record = micro_credential(provider, code="GB-Q2")
    login(member(provider, "provider_coordinator"))
    assert client.get("/platform").status_code == 403
    assert client.get("/platform/reviews").status_code == 403
    assert client.post(f"/platform/providers/{provider.id}/quality", data={"assured": "yes"}).status_code == 403
    db.session.refresh(record)
    db.session.refresh(provider)
    assert record.quality_assured is False and provider.quality_assured is False


def test_dashboard_links_to_the_catalogue(client, coordinator):
    page = client.get("/dashboard").get_data(as_text=True)
    assert re.search(r'href="/catalogue"', page)


def test_a_draft_can_be_discarded_but_a_published_version_cannot(client, provider, coordinator):
    published = micro_credential(provider, code="GB-X1")
    draft = micro_credential(provider, code="GB-X2", publish=False)
    assert client.post(f"/catalogue/{draft.id}/discard").status_code == 303
    assert db.session.get(MicroCredential, draft.id) is None
    response = client.post(f"/catalogue/{published.id}/discard", follow_redirects=True)
    assert "Only a draft can be discarded" in response.get_data(as_text=True)
    assert db.session.get(MicroCredential, published.id).status == "published"


def test_editing_a_published_version_while_a_draft_exists_goes_to_the_draft(client, provider, coordinator):
    v1 = micro_credential(provider, code="GB-D1", title="Published")
    v2 = lifecycle.new_version(None, v1)
    response = client.post(f"/catalogue/{v1.id}/edit", data={**FORM, "title": "Overwrite?"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/catalogue/{v2.id}/edit")
    db.session.refresh(v2)
    assert v2.title == "Published"  # the draft was not overwritten from the old version's form
