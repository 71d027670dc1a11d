"""Programmes: a provider's apprenticeship programme, versioned like hub records. The field rules,
KSBs typed one per line, publishing, a published version that never changes, new versions that
retire the one they replace while its apprentices keep it, and copies."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.progress import Thresholds
from app.extensions import db
from app.models import AuditEvent, Programme
from app.services.apprenticeships import ApprenticeshipError, programmes
from app.services.apprenticeships.programmes import ProgrammeDetails
from tests.factories.accounts import OrganisationFactory
from tests.factories.apprenticeships import KSBS, person, programme, setting
from tests.factories.catalogue import micro_credential


def refused(call, *, field: str | None = None) -> ApprenticeshipError:
    with pytest.raises(ApprenticeshipError) as caught:
        call()
    assert caught.value.field == field
    return caught.value


def details(**changes) -> ProgrammeDetails:
    values = {
        "type": "graduate_apprenticeship",
        "title": "Civil Engineering",
        "duration_months": 36,
        "otj_basis": "percent",
        "otj_percent": 20,
    }
    values.update(changes)
    return ProgrammeDetails(**values)


@pytest.fixture
def provider():
    return OrganisationFactory(provider=True, name="Forthside Test College")


@pytest.fixture
def coordinator(provider):
    return person(provider, "provider_coordinator", name="Cora Coordinator").user


def count_programmes(provider) -> int:
    return db.session.scalar(select(func.count(Programme.id)).where(Programme.organisation_id == provider.id))


# -- creating --


def test_a_new_programme_is_a_first_draft_with_its_ksbs(provider, coordinator):
    made = programmes.create(coordinator, provider, details(title="  Civil Engineering "), KSBS)
    assert (made.code, made.version, made.status, made.title) == ("CIVIL-ENGINEERING", 1, "draft", "Civil Engineering")
    assert (made.status_label, made.status_colour, made.is_draft, made.is_published) == ("Draft", "yellow", True, False)
    assert (made.type_label, made.target_label) == ("Graduate Apprenticeship", "20% of contracted hours")
    assert [(o.code, o.kind, o.position) for o in made.outcomes] == [
        ("K1", "knowledge", 0),
        ("S1", "skill", 1),
        ("B1", "behaviour", 2),
    ]
    assert made.thresholds == Thresholds(90, 70, 28)
    (logged,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "programme.create"))
    assert (logged.organisation_id, logged.actor_id, logged.summary) == (
        provider.id,
        coordinator.id,
        "Created programme Civil Engineering",
    )


def test_a_fixed_hours_programme_keeps_only_its_hours(provider, coordinator):
    made = programmes.create(
        coordinator, provider, details(otj_basis="hours", otj_hours=400, otj_percent=20, review_interval_weeks=10)
    )
    assert (made.otj_basis, made.otj_hours, made.otj_percent) == ("hours", 400, None)
    assert (made.target_label, made.review_interval_weeks) == ("at least 400 hours", 10)


def test_titles_make_distinct_codes(provider, coordinator):
    first = programmes.create(coordinator, provider, details(title="Marine & Port Ops (L7)"))
    second = programmes.create(coordinator, provider, details(title="Marine & Port Ops (L7)"))
    third = programmes.create(coordinator, provider, details(title="Marine & Port Ops (L7)"))
    assert [first.code, second.code, third.code] == [
        "MARINE-PORT-OPS-L7",
        "MARINE-PORT-OPS-L7-2",
        "MARINE-PORT-OPS-L7-3",
    ]
    # Another provider's codes are its own.
    elsewhere = OrganisationFactory(provider=True)
    assert (
        programmes.create(coordinator, elsewhere, details(title="Marine & Port Ops (L7)")).code == "MARINE-PORT-OPS-L7"
    )


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"type": "internship"}, "type", "Choose the programme type."),
        ({"title": "   "}, "title", "Enter the programme's title."),
        ({"otj_percent": None}, "otj_percent", "Enter the off-the-job percentage of contracted hours."),
        ({"otj_percent": 0}, "otj_percent", "Enter the off-the-job percentage of contracted hours."),
        ({"otj_basis": "hours", "otj_hours": None}, "otj_hours", "Enter the minimum off-the-job hours."),
        (
            {"otj_at_risk_percent": 70, "otj_off_track_percent": 80},
            "otj_off_track_percent",
            "The off-track threshold must be at or below the at-risk threshold.",
        ),
    ],
)
def test_wrong_details_are_refused_and_nothing_is_stored(provider, coordinator, changes, field, message):
    error = refused(lambda: programmes.create(coordinator, provider, details(**changes), KSBS), field=field)
    assert error.message == message
    assert count_programmes(provider) == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"duration_months": 0},
        {"review_interval_weeks": 0},
        {"otj_basis": "weeks"},
        {"otj_percent": -20},
        {"otj_percent": 150},
    ],
    ids=["no-duration", "no-review-interval", "unknown-basis", "negative-percent", "over-100-percent"],
)
def test_impossible_figures_are_refused_with_their_field(provider, coordinator, changes):
    with pytest.raises(ApprenticeshipError) as caught:
        programmes.create(coordinator, provider, details(**changes), KSBS)
    assert caught.value.field in {"duration_months", "review_interval_weeks", "otj_basis", "otj_percent"}


# -- KSBs typed one per line --


def test_ksbs_are_typed_one_per_line_and_the_codes_letter_gives_the_kind():
    text = "K1 Understands loads\n\n  s2: Surveys a site  \nB3 - Works safely\nLO4. Explains the design\nWBLO5 Applies it\nK6a Knows codes"
    assert programmes.parse_outcomes(text) == [
        ("K1", "knowledge", "Understands loads"),
        ("S2", "skill", "Surveys a site"),
        ("B3", "behaviour", "Works safely"),
        ("LO4", "outcome", "Explains the design"),
        ("WBLO5", "outcome", "Applies it"),
        ("K6A", "knowledge", "Knows codes"),
    ]
    assert programmes.parse_outcomes("K1 " + "x" * 1500)[0][2] == "x" * 1000


def test_a_line_without_a_code_or_a_code_used_twice_is_refused_by_its_line_number():
    error = refused(
        lambda: programmes.parse_outcomes("K1 Fine\nUnderstands everything there is to know about bridges"),
        field="outcomes",
    )
    assert error.message == (
        'Line 2: start with a code such as K1, S2, B3 or LO1, then the description ("Understands everything there is to know ").'
    )
    error = refused(lambda: programmes.parse_outcomes("K1 One\n\nk1 Again"), field="outcomes")
    assert error.message == "Line 3: the code K1 is used twice."


def test_a_drafts_ksbs_are_replaced_and_a_wrong_list_changes_nothing(provider, coordinator):
    made = programmes.create(coordinator, provider, details(), KSBS)
    programmes.set_outcomes(coordinator, made, "K1 New knowledge\nS1 New skill")
    assert programmes.outcomes_text(made) == "K1 New knowledge\nS1 New skill"
    refused(lambda: programmes.set_outcomes(coordinator, made, "K1 Fine\nno code here"), field="outcomes")
    assert programmes.outcomes_text(made) == "K1 New knowledge\nS1 New skill"
    logged = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "programme.outcomes")).all()
    assert [e.summary for e in logged] == ["Set 2 KSBs on Civil Engineering"]


# -- modules --


def test_a_module_is_a_published_hub_micro_credential_added_once(provider, coordinator):
    made = programmes.create(coordinator, provider, details(), KSBS)
    record = micro_credential(provider, title="Site Surveying")
    draft_record = micro_credential(provider, title="Unfinished", publish=False)
    programmes.add_module(coordinator, made, record.id)
    assert [m.micro_credential.title for m in made.modules] == ["Site Surveying"]
    for wrong in (draft_record.id, 10**9):
        error = refused(
            lambda wrong=wrong: programmes.add_module(coordinator, made, wrong), field="micro_credential_id"
        )
        assert error.message == "Choose a published micro-credential from the hub."
    error = refused(lambda: programmes.add_module(coordinator, made, record.id), field="micro_credential_id")
    assert error.message == "Site Surveying is already a module."
    assert len(made.modules) == 1
    assert refused(lambda: programmes.remove_module(coordinator, made, 10**9)).message == (
        "That module is not part of this programme."
    )
    programmes.remove_module(coordinator, made, made.modules[0].id)
    assert made.modules == []


# -- publishing and versions --


def test_publishing_needs_ksbs(provider, coordinator):
    made = programmes.create(coordinator, provider, details())
    error = refused(lambda: programmes.publish(coordinator, made))
    assert error.message == "Add the programme's KSBs or learning outcomes before publishing it."
    assert made.is_draft and made.published_at is None


def test_a_published_programme_never_changes(provider, coordinator):
    made = programme(provider, coordinator)
    assert made.is_published and made.published_at is not None
    assert (made.status_label, made.status_colour) == ("Published", "green")
    module_id = made.modules[0].id
    extra = micro_credential(provider, title="Extra").id
    locked = "A published programme cannot be changed. Make a new version to change it."
    for call in (
        lambda: programmes.update(coordinator, made, details(title="Renamed")),
        lambda: programmes.set_outcomes(coordinator, made, "K1 Different"),
        lambda: programmes.add_module(coordinator, made, extra),
        lambda: programmes.remove_module(coordinator, made, module_id),
        lambda: programmes.publish(coordinator, made),
    ):
        assert refused(call).message == locked
    db.session.refresh(made)
    assert (made.title, made.duration_months) == ("Engineering Practice", 24)
    assert programmes.outcomes_text(made) == KSBS
    assert [m.id for m in made.modules] == [module_id]


def test_a_new_version_copies_the_published_one_and_publishing_it_retires_the_old():
    s = setting(start=date(2026, 9, 1))
    v1 = s.apprenticeship.programme
    coordinator = s.coordinator.user
    v2 = programmes.new_version(coordinator, v1)
    assert (v2.code, v2.version, v2.status) == (v1.code, 2, "draft")
    assert programmes.new_version(coordinator, v1) is v2  # one draft at a time
    assert ProgrammeDetails.of(v2) == ProgrammeDetails.of(v1)
    assert programmes.outcomes_text(v2) == programmes.outcomes_text(v1)
    assert [m.micro_credential_id for m in v2.modules] == [m.micro_credential_id for m in v1.modules]
    assert {o.id for o in v2.outcomes}.isdisjoint({o.id for o in v1.outcomes})

    revised = details(title="Engineering Practice", duration_months=30, type="modern_apprenticeship")
    programmes.update(coordinator, v2, revised, "K1 Revised knowledge")
    assert (v2.duration_months, programmes.outcomes_text(v2)) == (30, "K1 Revised knowledge")
    programmes.publish(coordinator, v2)
    db.session.refresh(v1)
    assert (v1.status, v1.status_label, v1.status_colour) == ("retired", "Replaced by a newer version", "grey")
    assert (v1.duration_months, programmes.outcomes_text(v1)) == (24, KSBS)
    # The cohort and its apprentice stay on the version they started with.
    assert s.cohort.programme_id == v1.id and s.apprenticeship.programme_id == v1.id
    assert [p.id for p in programmes.versions_of(v1)] == [v2.id, v1.id]
    assert [p.id for p in programmes.listing(s.provider)] == [v2.id]
    assert [p.id for p in programmes.published_of(s.provider)] == [v2.id]
    assert programmes.new_version(coordinator, v2).version == 3


def test_a_draft_is_changed_directly_not_versioned(provider, coordinator):
    made = programmes.create(coordinator, provider, details(), KSBS)
    assert refused(lambda: programmes.new_version(coordinator, made)).message == (
        "This version is still a draft: change it directly."
    )
    programmes.update(coordinator, made, details(title="Civil Engineering (Scotland)", duration_months=48))
    assert (made.title, made.duration_months, made.version) == ("Civil Engineering (Scotland)", 48, 1)


def test_a_copy_is_a_separate_programme(provider, coordinator):
    original = programme(provider, coordinator, title="Engineering Practice")
    named = programmes.copy(coordinator, original, "  Engineering Practice (Evening) ")
    unnamed = programmes.copy(coordinator, original, "  ")
    assert (named.title, named.code, named.version, named.status) == (
        "Engineering Practice (Evening)",
        "ENGINEERING-PRACTICE-EVENING",
        1,
        "draft",
    )
    assert (unnamed.title, unnamed.code) == ("Copy of Engineering Practice", "COPY-OF-ENGINEERING-PRACTICE")
    assert programmes.outcomes_text(named) == KSBS
    assert original.is_published and programmes.versions_of(original) == [original]
    assert {p.title for p in programmes.listing(provider)} == {
        "Engineering Practice",
        "Engineering Practice (Evening)",
        "Copy of Engineering Practice",
    }
