"""The lifecycle: draft, published, retired; published versions never change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, MicroCredential
from app.models.catalogue import ImmutableRecordError
from app.services.catalogue import lifecycle, search, search_index
from app.services.catalogue.lifecycle import CatalogueError
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.catalogue import approved, micro_credential, skill, values


@pytest.fixture
def provider():
    return OrganisationFactory(provider=True, name="Glenbrae College", slug="glenbrae")


def test_editing_a_published_version_makes_a_new_draft_and_leaves_it_untouched(provider):
    coordinator = member(provider, "provider_coordinator")
    v1 = micro_credential(provider, code="GB-1", title="Welding Basics", actor=coordinator)
    v2 = lifecycle.new_version(coordinator, v1)
    lifecycle.update_draft(coordinator, v2, values(title="Welding Basics (2027)", price_pence=30000), [])

    assert (v2.version, v2.status, v2.id != v1.id) == (2, "draft", True)
    db.session.expire_all()
    v1 = db.session.get(MicroCredential, v1.id)
    assert (v1.title, v1.price_pence, v1.status) == ("Welding Basics", 25000, "published")
    # The hub still offers version 1 while version 2 is a draft.
    assert [r.id for r in search.search(search.HubFilters(q="welding")).records] == [v1.id]


def test_publishing_a_new_version_retires_the_previous_one(provider):
    v1 = micro_credential(provider, code="GB-2", title="Cloud Basics")
    v2 = lifecycle.new_version(None, v1)
    lifecycle.update_draft(None, v2, values(title="Cloud Essentials"), [])
    lifecycle.publish(None, v2)

    assert (v1.status, v2.status) == ("retired", "published")
    assert v1.retired_at is not None
    assert lifecycle.current_version(provider.id, "GB-2").id == v2.id
    found = search.search(search.HubFilters(q="cloud")).records
    assert [r.title for r in found] == ["Cloud Essentials"]


def test_a_second_edit_reuses_the_open_draft(provider):
    v1 = micro_credential(provider, code="GB-3")
    first = lifecycle.new_version(None, v1)
    assert lifecycle.new_version(None, v1).id == first.id
    assert [v.version for v in lifecycle.versions_of(provider.id, "GB-3")] == [2, 1]


def test_published_content_cannot_be_changed_even_directly(provider):
    record = micro_credential(provider, code="GB-4", skills=[skill("weld metal")])
    record.title = "Something else"
    with pytest.raises(ImmutableRecordError):
        db.session.flush()
    db.session.rollback()


def test_published_skills_cannot_be_changed_directly(provider):
    record = micro_credential(provider, code="GB-5", skills=[skill("weld metal")])
    record.skills.append(skill("read engineering drawings"))
    with pytest.raises(ImmutableRecordError):
        db.session.flush()
    db.session.rollback()


def test_update_draft_refuses_a_published_version(provider):
    record = micro_credential(provider, code="GB-6")
    with pytest.raises(CatalogueError):
        lifecycle.update_draft(None, record, values(title="Changed"), [])


def test_only_drafts_publish_and_only_published_retire(provider):
    draft = micro_credential(provider, code="GB-7", publish=False)
    with pytest.raises(CatalogueError):
        lifecycle.retire(None, draft)
    lifecycle.publish(None, draft)
    with pytest.raises(CatalogueError):
        lifecycle.publish(None, draft)
    lifecycle.retire(None, draft)
    assert draft.status == "retired"
    assert search.search(search.HubFilters()).total == 0


def test_codes_are_unique_per_provider_not_globally(provider):
    other = OrganisationFactory(provider=True)
    micro_credential(provider, code="SAME-1")
    micro_credential(other, code="SAME-1")
    with pytest.raises(CatalogueError):
        micro_credential(provider, code="same-1")


def test_every_change_is_audited(provider):
    coordinator = member(provider, "provider_coordinator")
    v1 = micro_credential(provider, code="GB-8", actor=coordinator)
    v2 = lifecycle.new_version(coordinator, v1)
    lifecycle.update_draft(coordinator, v2, values(), [])
    lifecycle.publish(coordinator, v2)
    approved(v2, submitter=coordinator)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.organisation_id == provider.id).order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "micro_credential.create",
        "micro_credential.publish",
        "micro_credential.new_version",
        "micro_credential.update",
        "micro_credential.retire",
        "micro_credential.publish",
        "quality_review.submit",
        "quality_review.approve",
    ]


def test_an_approved_version_is_found_by_the_hubs_quality_filter(provider):
    record = micro_credential(provider, code="GB-9")
    micro_credential(provider, code="GB-10")
    assert search.search(search.HubFilters(qa="assured")).total == 0
    approved(record)
    db.session.flush()
    assert record.quality_assured is True
    assert search.search(search.HubFilters(qa="assured")).total == 1


def test_credit_and_ects_and_level():
    record = MicroCredential(scqf_credits=15, scqf_level=9)
    assert record.credit_bearing and record.ects == 7.5
    assert MicroCredential(scqf_credits=None).credit_bearing is False
    assert MicroCredential(scqf_credits=None).ects is None
    assert [lifecycle.level_from_scqf(n) for n in (1, 5, 6, 7, 8, 9, 10, 12)] == [1, 1, 2, 2, 3, 3, 4, 4]


def test_rebuilding_the_search_index_gives_the_same_answers(provider):
    kept = micro_credential(provider, code="GB-R1", title="Marine Welding")
    gone = micro_credential(provider, code="GB-R2", title="Welding Inspection")
    lifecycle.retire(None, gone)
    before = [r.id for r in search.search(search.HubFilters(q="welding")).records]
    assert before == [kept.id]
    assert search_index.rebuild_search_index() == 1
    assert [r.id for r in search.search(search.HubFilters(q="welding")).records] == before
