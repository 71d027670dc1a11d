"""Programmes (versioned like hub records), cohorts, and adding apprentices one at a time or by
CSV: all or nothing, with every wrong row listed."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Apprenticeship, AuditEvent
from app.models.people import Role
from app.services.apprenticeships import ApprenticeshipError, cohorts, programmes
from tests.factories.accounts import OrganisationFactory
from tests.factories.apprenticeships import person, programme, setting


def _csv(*rows: str) -> bytes:
    return (
        "apprentice_email,employer,line_manager_email,assessor_email,weekly_hours,start_date\n" + "\n".join(rows)
    ).encode()


def test_a_published_programme_never_changes_and_a_new_version_leaves_apprentices_on_theirs():
    s = setting()
    first = s.apprenticeship.programme
    with pytest.raises(ApprenticeshipError, match="Make a new version"):
        programmes.update(s.coordinator.user, first, programmes.ProgrammeDetails.of(first), "K9 Something new")
    draft = programmes.new_version(s.coordinator.user, first)
    assert (draft.code, draft.version, draft.status) == (first.code, 2, "draft")
    assert [o.code for o in draft.outcomes] == [o.code for o in first.outcomes]
    assert programmes.new_version(s.coordinator.user, first) is draft  # one draft at a time
    programmes.set_outcomes(s.coordinator.user, draft, "K1 Knows more\nS1 Does more\nB1 Behaves\nB2 Leads")
    programmes.publish(s.coordinator.user, draft)
    db.session.refresh(first)
    assert first.status == "retired" and draft.status == "published"
    assert s.apprenticeship.programme_id == first.id  # the apprentice keeps version 1
    copy = programmes.copy(s.coordinator.user, draft, "Engineering Practice (Aberdeen)")
    assert copy.version == 1 and copy.code != draft.code and len(copy.outcomes) == 4


def test_ksbs_are_typed_one_a_line_and_wrong_lines_are_named():
    assert programmes.parse_outcomes("K1 Knows\nS2: Does\nB3 - Behaves\nWBLO1 Leads a project") == [
        ("K1", "knowledge", "Knows"),
        ("S2", "skill", "Does"),
        ("B3", "behaviour", "Behaves"),
        ("WBLO1", "outcome", "Leads a project"),
    ]
    with pytest.raises(ApprenticeshipError, match="Line 2: start with a code"):
        programmes.parse_outcomes("K1 Knows\nno code here")
    with pytest.raises(ApprenticeshipError, match="Line 2: the code K1 is used twice"):
        programmes.parse_outcomes("K1 Knows\nK1 Again")


def test_a_programme_needs_its_ksbs_before_it_is_published_and_cohorts_need_a_published_one():
    provider = OrganisationFactory(provider=True)
    coordinator = person(provider, Role.PROVIDER_COORDINATOR)
    draft = programme(provider, coordinator.user, publish=False)
    with pytest.raises(ApprenticeshipError, match="published programmes"):
        cohorts.create_cohort(coordinator.user, provider, draft, "Too soon", draft.created_at.date())
    empty = programmes.create(
        coordinator.user, provider, programmes.ProgrammeDetails("other", "Empty", 12, "hours", otj_hours=100)
    )
    with pytest.raises(ApprenticeshipError, match="KSBs or learning outcomes before publishing"):
        programmes.publish(coordinator.user, empty)


def test_the_employer_must_be_a_partner_and_people_are_found_by_their_work_email():
    s = setting()
    stranger = OrganisationFactory(name="Not A Partner")
    person(stranger, Role.LEARNER, email="someone@notapartner.example")
    with pytest.raises(ApprenticeshipError, match="partnership") as refused:
        cohorts.enrol(
            s.coordinator.user,
            s.cohort,
            cohorts.Enrolment(stranger, "someone@notapartner.example", "x@y.example", "37.5"),
        )
    assert refused.value.field == "employer_id"
    with pytest.raises(ApprenticeshipError, match="Ask the employer to invite them first"):
        cohorts.enrol(
            s.coordinator.user,
            s.cohort,
            cohorts.Enrolment(s.employer, "nobody@example.org", s.line_manager.user.email, "37.5"),
        )
    with pytest.raises(ApprenticeshipError, match="already in this cohort"):
        cohorts.enrol(
            s.coordinator.user,
            s.cohort,
            cohorts.Enrolment(s.employer, s.apprentice.user.email, s.line_manager.user.email, "37.5"),
        )
    with pytest.raises(ApprenticeshipError, match="own line manager"):
        other = person(s.employer, Role.LEARNER)
        cohorts.enrol(
            s.coordinator.user, s.cohort, cohorts.Enrolment(s.employer, other.user.email, other.user.email, "37.5")
        )


def test_a_good_csv_imports_every_row():
    s = setting()
    one, two = person(s.employer, Role.LEARNER), person(s.employer, Role.LEARNER)
    made = cohorts.import_csv(
        s.coordinator.user,
        s.cohort,
        _csv(
            f"{one.user.email},Kelvin Test Marine,{s.line_manager.user.email},{s.assessor.user.email},37.5,",
            f"{two.user.email.upper()},kelvin test marine,{s.line_manager.user.email},,22.5,2026-09-07",
        ),
    )
    assert [a.weekly_minutes for a in made] == [2250, 1350]
    assert str(made[1].start_date) == "2026-09-07"
    assert db.session.query(AuditEvent).filter_by(action="cohort.import").count() == 1


def test_a_csv_with_any_wrong_row_imports_nothing_and_lists_every_wrong_row():
    s = setting()
    good = person(s.employer, Role.LEARNER)
    before = db.session.query(Apprenticeship).count()
    with pytest.raises(cohorts.CsvImportError) as refused:
        cohorts.import_csv(
            s.coordinator.user,
            s.cohort,
            _csv(
                f"{good.user.email},Kelvin Test Marine,{s.line_manager.user.email},,37.5,",
                f"ghost@example.org,Kelvin Test Marine,{s.line_manager.user.email},,37.5,",
                f"{good.user.email},Someone Else Ltd,{s.line_manager.user.email},,37.5,",
                f"{good.user.email},Kelvin Test Marine,{s.line_manager.user.email},,lots,",
                f"{good.user.email},Kelvin Test Marine,{s.line_manager.user.email},,37.5,07/09/2026",
                f"{good.user.email},Kelvin Test Marine,{s.line_manager.user.email},,37.5,",
            ),
        )
    assert db.session.query(Apprenticeship).count() == before  # not even the good first row
    rows = dict(refused.value.rows)
    assert sorted(rows) == [3, 4, 5, 6, 7]
    assert "ghost@example.org" in rows[3]
    assert "not one of your partner employers" in rows[4]
    assert "weekly hours as a number" in rows[5]
    assert "is not a date like 2026-09-01" in rows[6]
    assert "already in this cohort" in rows[7]
    assert refused.value.message == "Nothing was imported: 5 rows need correcting."


@pytest.mark.parametrize(
    "content, words",
    [
        (
            b"name,email\nA,b@c",
            "The header row is missing: apprentice_email, employer, line_manager_email, weekly_hours",
        ),
        (b"\xff\xfe\x00bad", "not UTF-8 text"),
        (b"apprentice_email,employer,line_manager_email,weekly_hours\n", "The file has no apprentices in it."),
    ],
)
def test_an_unreadable_csv_is_refused_whole(content, words):
    s = setting()
    with pytest.raises(cohorts.CsvImportError) as refused:
        cohorts.import_csv(s.coordinator.user, s.cohort, content)
    assert words in refused.value.rows[0][1]


def test_the_import_page_shows_each_wrong_row_and_saves_nothing(app, login):
    import io

    s = setting()
    client = login(s.coordinator.user, c=app.test_client())
    response = client.post(
        f"/cohorts/{s.cohort.id}/import",
        data={
            "file": (
                io.BytesIO(_csv(f"ghost@example.org,Kelvin Test Marine,{s.line_manager.user.email},,37.5,")),
                "cohort.csv",
            )
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was imported: 1 row need" in page and "ghost@example.org" in page
    assert db.session.query(Apprenticeship).filter_by(cohort_id=s.cohort.id).count() == 1
