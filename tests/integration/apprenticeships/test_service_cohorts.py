"""Cohorts and enrolment: a cohort on one of the provider's published programmes, its team from
the provider's own people, apprentices named by email from partner employers, and the CSV
import that enrols every row or none, listing each wrong row by its line number."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Apprenticeship, AuditEvent, Cohort
from app.models.people import MembershipStatus, Role
from app.services.apprenticeships import ApprenticeshipError, cohorts
from app.services.apprenticeships.cohorts import CsvImportError, Enrolment
from tests.factories.accounts import OrganisationFactory, PartnershipFactory
from tests.factories.apprenticeships import person, programme, setting

START = date(2026, 9, 1)
HEADER = "apprentice_email,employer,line_manager_email,assessor_email,weekly_hours,start_date"


def refused(call, *, field: str | None = None) -> ApprenticeshipError:
    with pytest.raises(ApprenticeshipError) as caught:
        call()
    assert caught.value.field == field
    return caught.value


def in_cohort(cohort) -> int:
    return db.session.scalar(select(func.count(Apprenticeship.id)).where(Apprenticeship.cohort_id == cohort.id))


@pytest.fixture
def s():
    return setting(start=START)


# -- cohorts --


def test_a_cohort_starts_on_one_of_the_providers_published_programmes(s):
    made = cohorts.create_cohort(s.coordinator.user, s.provider, s.apprenticeship.programme, "  ", date(2027, 1, 11))
    assert (made.name, made.start_date, made.organisation_id) == (
        "Engineering Practice January 2027",
        date(2027, 1, 11),
        s.provider.id,
    )
    logged = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "cohort.create")).all()
    assert [(e.organisation_id, e.summary) for e in logged if e.subject_id == str(made.id)] == [
        (s.provider.id, "Created cohort Engineering Practice January 2027 on Engineering Practice")
    ]


def test_a_cohort_is_refused_on_a_draft_or_another_providers_programme(s):
    draft = programme(s.provider, s.coordinator.user, title="Welding", publish=False)
    other = setting(start=START, label="Other ")
    before = db.session.scalar(select(func.count(Cohort.id)))
    for wrong in (draft, other.apprenticeship.programme):
        error = refused(
            lambda wrong=wrong: cohorts.create_cohort(s.coordinator.user, s.provider, wrong, "X", START),
            field="programme_id",
        )
        assert error.message == "Choose one of your published programmes."
    assert db.session.scalar(select(func.count(Cohort.id))) == before


def test_the_team_comes_from_the_providers_own_coordinators_and_assessors(s):
    second = person(s.provider, Role.ASSESSOR, name="Bea Assessor")
    cohorts.set_team(s.coordinator.user, s.cohort, s.coordinator.id, [second.id, s.assessor.id])
    assert {m.id for m in s.cohort.assessors} == {second.id, s.assessor.id}
    error = refused(
        lambda: cohorts.set_team(s.coordinator.user, s.cohort, s.assessor.id, []),
        field="coordinator_id",
    )
    assert error.message == "Choose a coordinator from your organisation."
    outsider = setting(start=START, label="Other ").assessor
    for wrong in (s.hr.id, s.coordinator.id, outsider.id):
        error = refused(
            lambda wrong=wrong: cohorts.set_team(s.coordinator.user, s.cohort, s.coordinator.id, [wrong]),
            field="assessor_ids",
        )
        assert error.message == "Choose assessors from your organisation."
    assert {m.id for m in s.cohort.assessors} == {second.id, s.assessor.id}


def test_the_planned_end_is_the_programmes_duration_in_months_from_the_start(s):
    # Two years from 1 September 2026: the last day is 31 August 2028.
    assert s.apprenticeship.planned_end_date == date(2028, 8, 31)
    assert cohorts.planned_end(date(2027, 3, 15), s.apprenticeship.programme) == date(2029, 3, 14)
    # A month that is too short for the day keeps to its last day.
    assert cohorts.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert cohorts.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert cohorts.add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert cohorts.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


# -- enrolment --


def enrolment(s, apprentice=None, manager=None, **changes) -> Enrolment:
    values = {
        "employer": s.employer,
        "apprentice_email": (apprentice or person(s.employer, Role.LEARNER, name="Nia New")).user.email,
        "line_manager_email": (manager or s.line_manager).user.email,
        "weekly_hours": "37.5",
    }
    values.update(changes)
    return Enrolment(**values)


def test_enrolment_finds_people_by_email_whatever_its_case_and_takes_the_cohorts_assessor(s):
    newcomer = person(s.employer, Role.LEARNER, name="Nia New", email="Nia.New@Example.org")
    a = cohorts.enrol(
        s.coordinator.user,
        s.cohort,
        enrolment(
            s,
            newcomer,
            apprentice_email="  nia.new@EXAMPLE.org ",
            weekly_hours="20",
            start_date=date(2026, 9, 14),
            planned_end_date=date(2027, 9, 13),
        ),
    )
    assert (a.apprentice_id, a.assessor_id, a.weekly_minutes) == (newcomer.id, s.assessor.id, 1200)
    assert (a.start_date, a.planned_end_date) == (date(2026, 9, 14), date(2027, 9, 13))


def test_enrolment_from_an_employer_that_is_not_a_partner_is_refused(s):
    stranger = OrganisationFactory(name="Stranger Test Ltd")
    ended = OrganisationFactory(name="Former Test Partner")
    PartnershipFactory(employer=ended, provider=s.provider, status="ended")
    for employer in (stranger, ended, None):
        error = refused(
            lambda employer=employer: cohorts.enrol(s.coordinator.user, s.cohort, enrolment(s, employer=employer)),
            field="employer_id",
        )
        assert error.message == "Choose an employer you are in partnership with."
    assert in_cohort(s.cohort) == 1


def test_enrolment_of_someone_who_does_not_work_at_the_employer_is_refused(s):
    elsewhere = setting(start=START, label="Other ")
    error = refused(
        lambda: cohorts.enrol(s.coordinator.user, s.cohort, enrolment(s, apprentice_email=" ghost@example.org ")),
        field="apprentice_email",
    )
    assert error.message == (
        "Nobody with the email ghost@example.org works at Kelvin Test Marine in Credwork. "
        "Ask the employer to invite them first."
    )
    # Working at another employer is not working at this one.
    refused(
        lambda: cohorts.enrol(s.coordinator.user, s.cohort, enrolment(s, elsewhere.apprentice)),
        field="apprentice_email",
    )
    # Nor is having left.
    leaver = person(s.employer, Role.LEARNER, name="Lee Leaver")
    leaver.status = MembershipStatus.REMOVED
    db.session.flush()
    refused(lambda: cohorts.enrol(s.coordinator.user, s.cohort, enrolment(s, leaver)), field="apprentice_email")
    error = refused(
        lambda: cohorts.enrol(s.coordinator.user, s.cohort, enrolment(s, manager=elsewhere.line_manager)),
        field="line_manager_email",
    )
    assert error.message == (
        f"Nobody with the email {elsewhere.line_manager.user.email} works at Kelvin Test Marine in Credwork."
    )
    assert in_cohort(s.cohort) == 1


def test_enrolment_is_refused_for_ones_own_line_manager_an_outside_assessor_or_twice(s):
    newcomer = person(s.employer, Role.LEARNER, name="Nia New")
    error = refused(
        lambda: cohorts.enrol(s.coordinator.user, s.cohort, enrolment(s, newcomer, manager=newcomer)),
        field="line_manager_email",
    )
    assert error.message == "The apprentice cannot be their own line manager."
    error = refused(
        lambda: cohorts.enrol(s.coordinator.user, s.cohort, enrolment(s, newcomer, assessor_id=s.coordinator.id)),
        field="assessor_id",
    )
    assert error.message == "Choose an assessor from your organisation."
    error = refused(
        lambda: cohorts.enrol(s.coordinator.user, s.cohort, enrolment(s, s.apprentice)), field="apprentice_email"
    )
    assert error.message == f"{s.apprentice.user.email} is already in this cohort."
    error = refused(
        lambda: cohorts.enrol(s.coordinator.user, s.cohort, enrolment(s, newcomer, planned_end_date=START)),
        field="planned_end_date",
    )
    assert error.message == "The planned end date must be after the start date."
    assert in_cohort(s.cohort) == 1


@pytest.mark.parametrize(
    "typed,message",
    [
        ("lots", "Enter contracted weekly hours as a number, like 37.5."),
        ("", "Enter contracted weekly hours as a number, like 37.5."),
        ("0", "Contracted weekly hours must be more than 0 and at most 60."),
        ("-10", "Contracted weekly hours must be more than 0 and at most 60."),
        ("60.5", "Contracted weekly hours must be more than 0 and at most 60."),
        ("NaN", "Contracted weekly hours must be more than 0 and at most 60."),
    ],
)
def test_enrolment_with_wrong_weekly_hours_is_refused(s, typed, message):
    error = refused(
        lambda: cohorts.enrol(s.coordinator.user, s.cohort, enrolment(s, weekly_hours=typed)), field="weekly_hours"
    )
    assert error.message == message
    assert in_cohort(s.cohort) == 1


def test_weekly_hours_under_a_minute_are_refused(s):
    refused(
        lambda: cohorts.enrol(s.coordinator.user, s.cohort, enrolment(s, weekly_hours="0.01")), field="weekly_hours"
    )


# -- CSV import --


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def rolled_back(call) -> CsvImportError:
    """Run the import as a route does: a refusal rolls back what the request wrote."""
    savepoint = db.session.begin_nested()
    with pytest.raises(CsvImportError) as caught:
        call()
    savepoint.rollback()
    return caught.value


def test_a_good_file_enrols_every_row(s):
    nia = person(s.employer, Role.LEARNER, name="Nia New")
    rob = person(s.employer, Role.LEARNER, name="Rob Row")
    second = person(s.provider, Role.ASSESSOR, name="Bea Assessor")
    content = "\ufeff" + "\n".join(
        [
            " Apprentice_Email , EMPLOYER,line_manager_email,assessor_email,weekly_hours,start_date",
            f"{nia.user.email},kelvin test marine,{s.line_manager.user.email},{second.user.email},30,2026-09-14",
            f"{rob.user.email.upper()}, Kelvin Test Marine ,{s.line_manager.user.email},,37.5,",
        ]
    )
    made = cohorts.import_csv(s.coordinator.user, s.cohort, content.encode("utf-8"))
    assert [(a.apprentice_id, a.assessor_id, a.weekly_minutes, a.start_date) for a in made] == [
        (nia.id, second.id, 1800, date(2026, 9, 14)),
        (rob.id, s.assessor.id, 2250, START),
    ]
    assert made[0].planned_end_date == date(2028, 9, 13)
    assert in_cohort(s.cohort) == 3
    (logged,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "cohort.import"))
    assert (logged.organisation_id, logged.summary) == (s.provider.id, "Imported 2 apprentices into September cohort")


def test_one_wrong_row_imports_nothing_and_every_wrong_row_is_listed_by_line(s):
    good = [person(s.employer, Role.LEARNER, name=f"Good {n}") for n in range(2)]
    manager = s.line_manager.user.email
    content = csv(
        f"{good[0].user.email},Kelvin Test Marine,{manager},,37.5,",
        f"{good[1].user.email},Nowhere Test Ltd,{manager},,37.5,",
        f"{good[1].user.email},Kelvin Test Marine,{manager},,37.5,",
        f"ghost@example.org,Kelvin Test Marine,{manager},,37.5,",
    )
    error = rolled_back(lambda: cohorts.import_csv(s.coordinator.user, s.cohort, content))
    assert error.message == "Nothing was imported: 2 rows need correcting."
    assert error.rows == [
        (3, '"Nowhere Test Ltd" is not one of your partner employers.'),
        (
            5,
            "Nobody with the email ghost@example.org works at Kelvin Test Marine in Credwork. "
            "Ask the employer to invite them first.",
        ),
    ]
    assert in_cohort(s.cohort) == 1
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "cohort.import")) == 0


def test_each_kind_of_wrong_row(s):
    nia = person(s.employer, Role.LEARNER, name="Nia New").user.email
    rob = person(s.employer, Role.LEARNER, name="Rob Row").user.email
    manager = s.line_manager.user.email
    other = setting(start=START, label="Other ")  # an employer that is not this provider's partner
    rows = [
        (f"{nia},Other Kelvin Test Marine,{manager},,37.5,", '"Other Kelvin Test Marine" is not one of your partner employers.'),
        (f"ghost@example.org,Kelvin Test Marine,{manager},,37.5,", "Nobody with the email ghost@example.org works at Kelvin Test Marine in Credwork. Ask the employer to invite them first."),
        (f"{nia},Kelvin Test Marine,{other.line_manager.user.email},,37.5,", f"Nobody with the email {other.line_manager.user.email} works at Kelvin Test Marine in Credwork."),
        (f"{nia},Kelvin Test Marine,{manager},,lots,", "Enter contracted weekly hours as a number, like 37.5."),
        (f"{nia},Kelvin Test Marine,{manager},,0,", "Contracted weekly hours must be more than 0 and at most 60."),
        (f"{nia},Kelvin Test Marine,{manager},,75,", "Contracted weekly hours must be more than 0 and at most 60."),
        (f"{nia},Kelvin Test Marine,{manager},,,", "Enter contracted weekly hours as a number, like 37.5."),
        (f"{nia},Kelvin Test Marine,{manager},,37.5,01/09/2026", '"01/09/2026" is not a date like 2026-09-01.'),
        (f"{nia},Kelvin Test Marine,{manager},,37.5,2026-02-30", '"2026-02-30" is not a date like 2026-09-01.'),
        (f"{nia},Kelvin Test Marine,{manager},{other.assessor.user.email},37.5,", f"{other.assessor.user.email} is not an assessor in your organisation."),
        (f"{s.apprentice.user.email},Kelvin Test Marine,{manager},,37.5,", f"{s.apprentice.user.email} is already in this cohort."),
        (f"{rob},Kelvin Test Marine,{manager},,37.5,", None),
        (f"{rob},Kelvin Test Marine,{manager},,37.5,", f"{rob} is already in this cohort."),  # the same row twice
    ]  # fmt: skip
    error = rolled_back(lambda: cohorts.import_csv(s.coordinator.user, s.cohort, csv(*(row for row, _ in rows))))
    assert error.rows == [(line, message) for line, (_, message) in enumerate(rows, start=2) if message]
    assert in_cohort(s.cohort) == 1


def test_a_file_that_is_not_utf8_is_refused(s):
    content = csv(f"zoë@example.org,Kelvin Test Marine,{s.line_manager.user.email},,37.5,").decode().encode("cp1252")
    error = rolled_back(lambda: cohorts.import_csv(s.coordinator.user, s.cohort, content))
    assert error.rows == [(1, "The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")]
    assert in_cohort(s.cohort) == 1


def test_one_wrong_row_is_summed_up_in_good_english(s):
    error = rolled_back(lambda: cohorts.import_csv(s.coordinator.user, s.cohort, "Zoë".encode("cp1252")))
    assert error.message == "Nothing was imported: 1 row needs correcting."


@pytest.mark.parametrize(
    "header,missing",
    [
        ("apprentice_email,employer,line_manager_email,assessor_email,start_date", "weekly_hours"),
        ("email,employer,manager,hours", "apprentice_email, line_manager_email, weekly_hours"),
        ("", "apprentice_email, employer, line_manager_email, weekly_hours"),
    ],
)
def test_a_header_row_missing_a_column_is_refused(s, header, missing):
    content = csv(f"x@example.org,Kelvin Test Marine,{s.line_manager.user.email},37.5", header=header)
    if not header:
        content = b""
    error = rolled_back(lambda: cohorts.import_csv(s.coordinator.user, s.cohort, content))
    assert error.rows == [
        (
            1,
            f"The header row is missing: {missing}. Columns: apprentice_email, employer, line_manager_email, "
            "assessor_email, weekly_hours, start_date.",
        )
    ]
    assert in_cohort(s.cohort) == 1


def test_a_file_with_no_apprentices_is_refused(s):
    error = rolled_back(lambda: cohorts.import_csv(s.coordinator.user, s.cohort, csv()))
    assert error.rows == [(2, "The file has no apprentices in it.")]


def test_a_file_holds_at_most_500_apprentices(s):
    rows = [f"p{n}@example.org,Nowhere Test Ltd,m@example.org,,37.5," for n in range(501)]
    error = rolled_back(lambda: cohorts.import_csv(s.coordinator.user, s.cohort, csv(*rows)))
    assert len(error.rows) == 501
    assert error.rows[-1] == (502, "A file can hold at most 500 apprentices.")
    assert error.rows[-2] == (501, '"Nowhere Test Ltd" is not one of your partner employers.')


def test_row_errors_give_the_files_own_line_numbers_even_after_a_blank_line(s):
    nia = person(s.employer, Role.LEARNER, name="Nia New").user.email
    manager = s.line_manager.user.email
    content = f"{HEADER}\n{nia},Kelvin Test Marine,{manager},,37.5,\n\nghost@example.org,Kelvin Test Marine,{manager},,37.5,\n"
    error = rolled_back(lambda: cohorts.import_csv(s.coordinator.user, s.cohort, content.encode()))
    assert [line for line, _ in error.rows] == [4]  # line 3 of the file is the blank one


def test_a_row_with_weekly_hours_under_a_minute_is_listed(s):
    nia = person(s.employer, Role.LEARNER, name="Nia New").user.email
    content = csv(f"{nia},Kelvin Test Marine,{s.line_manager.user.email},,0.01,")
    error = rolled_back(lambda: cohorts.import_csv(s.coordinator.user, s.cohort, content))
    assert [line for line, _ in error.rows] == [2]
