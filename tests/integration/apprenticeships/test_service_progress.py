"""Each apprentice's progress status with its reasons, from what the database holds (hours
logged, review due dates, agreed actions, module results), the on track / at risk / off track
counts, and whose apprentices each person's caseload holds."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Apprenticeship, OffTheJobEntry, Party
from app.models.people import Role
from app.security import policy
from app.services.apprenticeships import cohorts, lifecycle, off_the_job, plans, progress, queries, reviews
from tests.factories.accounts import OrganisationFactory, PartnershipFactory
from tests.factories.apprenticeships import open_review, person, setting
from tests.support.queries import counting

START = date(2026, 9, 1)  # 24 months, 37.5 hours a week: target 46,992 minutes over 731 days
# 5 October 2026 is day 35: 46,992 x 35 / 731 = 2,249.96, so 2,249 minutes (37.5 hours) expected.
OCT_5 = date(2026, 10, 5)
FIRST_REVIEW_DUE = date(2026, 11, 24)
# Thresholds at 0% never judge the hours: the other reasons can be seen on their own.
HOURS_NOT_JUDGED = {"otj_at_risk_percent": 0, "otj_off_track_percent": 0}


def enrol(s, name: str, *, employer=None, line_manager=None, assessor=None, started=True) -> Apprenticeship:
    """Another apprentice in the setting's cohort."""
    employer = employer or s.employer
    apprentice = person(employer, Role.LEARNER, name=name)
    manager = line_manager or s.line_manager
    a = cohorts.enrol(
        s.coordinator.user,
        s.cohort,
        cohorts.Enrolment(employer, apprentice.user.email, manager.user.email, "37.5", getattr(assessor, "id", None)),
    )
    if started:
        for party, who in ((Party.APPRENTICE, apprentice), (Party.EMPLOYER, manager), (Party.PROVIDER, s.coordinator)):
            plans.accept(who.user, a, party, {party})
        lifecycle.change(s.coordinator.user, a, "start", today=START)
    return a


def log_days(a: Apprenticeship, first: date, days: int, hours: str = "7.5", today=OCT_5, **changes) -> None:
    for n in range(days):
        off_the_job.log(
            a.apprentice.user,
            a,
            off_the_job.EntryDetails(
                day=first + timedelta(days=n),
                activity="taught_learning",
                description="College day",
                duration_hours=hours,
                **changes,
            ),
            today,
        )


def one(a: Apprenticeship, today) -> progress.Progress:
    (found,) = progress.progress_of([a], today)
    return found


# -- hours behind --


def test_hours_against_what_is_expected_set_on_track_at_risk_and_off_track():
    s = setting(start=START, started=True)
    ahead, behind, idle = s.apprenticeship, enrol(s, "Ben Behind"), enrol(s, "Ida Idle")
    log_days(ahead, date(2026, 9, 28), 5)  # 5 x 7.5 hours = 2,250 minutes: 100%
    log_days(behind, date(2026, 9, 28), 4)  # 1,800 minutes: 80%
    found = progress.progress_of([ahead, behind, idle], OCT_5)
    assert [p.apprenticeship for p in found] == [ahead, behind, idle]
    assert [(p.hours.logged, p.hours.expected) for p in found] == [(2250, 2249), (1800, 2249), (0, 2249)]
    assert [(p.status_label, p.status_colour, p.reasons) for p in found] == [
        ("On track", "green", ("everything is up to date",)),
        ("At risk", "yellow", ("off-the-job hours 80% of expected to date (30 of 37.5 hours)",)),
        ("Off track", "red", ("off-the-job hours 0% of expected to date (0 of 37.5 hours)",)),
    ]
    assert progress.counts(found) == {"on_track": 1, "at_risk": 1, "off_track": 1}


def test_time_that_does_not_count_and_corrected_entries_are_not_hours_logged():
    s = setting(start=START, started=True)
    a = s.apprenticeship
    log_days(a, date(2026, 9, 28), 5, counts=False, not_counting_reason="Sales shifts")
    assert one(a, OCT_5).reasons == ("off-the-job hours 0% of expected to date (0 of 37.5 hours)",)
    log_days(a, date(2026, 9, 21), 5)  # 2,250 minutes: 100%
    assert one(a, OCT_5).status_label == "On track"
    # One 7.5-hour day confirmed, then corrected to half an hour: 2,250 - 450 + 30 = 1,830 minutes, 81%.
    entry = db.session.scalars(off_the_job.live_entries(a.id).where(OffTheJobEntry.day == date(2026, 9, 21))).one()
    off_the_job.confirm(s.assessor.user, a, entry, policy.off_the_job_confirm_refusal(s.assessor, a, entry))
    log_days(a, date(2026, 9, 21), 1, hours="0.5", corrects_id=entry.id)
    found = one(a, OCT_5)
    assert (found.hours.logged, found.hours.confirmed) == (1830, 0)
    assert found.reasons == ("off-the-job hours 81% of expected to date (30.5 of 37.5 hours)",)


def test_the_programmes_own_thresholds_judge_the_hours():
    s = setting(start=START, started=True, otj_at_risk_percent=80, otj_off_track_percent=50)
    log_days(s.apprenticeship, date(2026, 9, 28), 4)  # 80%
    assert one(s.apprenticeship, OCT_5).status_label == "On track"


# -- reviews, actions and modules --


def test_an_overdue_review_puts_the_apprentice_at_risk_then_off_track():
    s = setting(start=START, started=True, **HOURS_NOT_JUDGED)
    a = s.apprenticeship
    found = one(a, FIRST_REVIEW_DUE)
    assert (found.status_label, found.next_review_due, found.review_overdue_days) == ("On track", FIRST_REVIEW_DUE, 0)
    found = one(a, date(2026, 11, 30))
    assert (found.status_label, found.reasons, found.review_overdue_days) == (
        "At risk",
        ("review overdue by 6 days",),
        6,
    )
    assert one(a, date(2026, 12, 22)).reasons == ("review overdue by 28 days",)
    found = one(a, date(2026, 12, 23))
    assert (found.status_label, found.reasons) == ("Off track", ("review overdue by 29 days",))


def test_a_signed_review_is_no_longer_overdue_and_the_next_one_is_due():
    s = setting(start=START, started=True, **HOURS_NOT_JUDGED)
    a = s.apprenticeship
    review = open_review(s)
    today = date(2026, 12, 1)
    reviews.record(
        s.assessor.user,
        review,
        reviews.ReviewRecord(date(2026, 11, 30), "Going well", ""),
        off_the_job.position_of(a, today),
        today,
    )
    for party in Party:
        reviews.sign(s.member_for(party).user, review, party, {party}, today)
    found = one(a, date(2026, 12, 23))
    # The next review counts from the meeting (30 November), not from the last signature.
    assert (found.status_label, found.next_review_due, found.review_overdue_days) == ("On track", date(2027, 2, 22), 0)


def test_an_overdue_action_puts_the_apprentice_at_risk_until_it_is_done():
    s = setting(start=START, started=True, **HOURS_NOT_JUDGED)
    a = s.apprenticeship
    action = reviews.add_action(
        s.assessor.user, open_review(s), "Finish the safety log", "apprentice", date(2026, 11, 10), date(2026, 11, 1)
    )
    assert one(a, date(2026, 11, 10)).status_label == "On track"
    found = one(a, date(2026, 11, 11))
    assert (found.status_label, found.reasons, found.overdue_actions) == ("At risk", ("1 agreed action overdue",), 1)
    reviews.complete_action(s.apprentice.user, action, a)
    assert one(a, date(2026, 11, 11)).status_label == "On track"


def test_a_failed_module_puts_the_apprentice_at_risk_until_a_resit_is_passed():
    s = setting(start=START, started=True, **HOURS_NOT_JUDGED)
    a = s.apprenticeship
    module_id = a.programme.modules[0].id
    today = date(2026, 10, 12)
    plans.record_module_result(s.coordinator.user, a, module_id, "failed", date(2026, 10, 10), today)
    found = one(a, today)
    assert (found.status_label, found.reasons, found.failed_modules) == ("At risk", ("1 module not passed",), 1)
    plans.record_module_result(s.coordinator.user, a, module_id, "passed", today, today)
    assert one(a, today).reasons == ("everything is up to date",)


def test_every_reason_at_once_worst_first():
    s = setting(start=START, started=True)
    a = s.apprenticeship
    reviews.add_action(s.assessor.user, open_review(s), "Read", "employer", date(2026, 11, 1), date(2026, 11, 1))
    plans.record_module_result(s.coordinator.user, a, a.programme.modules[0].id, "failed", START, START)
    found = one(a, date(2026, 12, 30))
    assert found.status_label == "Off track"
    # 30 December is day 121: 46,992 x 121 / 731 = 7,778.5 minutes, 129.6 hours; the review was due on
    # 24 November, 36 days before.
    assert found.reasons == (
        "off-the-job hours 0% of expected to date (0 of 129.6 hours)",
        "review overdue by 36 days",
        "1 agreed action overdue",
        "1 module not passed",
    )


# -- apprenticeships that are not active --


def test_only_active_apprenticeships_are_judged_and_counted():
    s = setting(start=START, started=True)
    planned = enrol(s, "Pat Planned", started=False)
    paused = enrol(s, "Paula Paused")
    lifecycle.change(s.coordinator.user, paused, "pause", reason="Ill", on=date(2026, 9, 20), today=OCT_5)
    gone = enrol(s, "Wes Withdrawn")
    lifecycle.change(s.coordinator.user, gone, "withdraw", reason="Left", today=OCT_5)
    found = progress.progress_of([planned, paused, gone, s.apprenticeship], OCT_5)
    assert [(p.status, p.status_label, p.status_colour, p.reasons) for p in found[:3]] == [
        (None, "Planned", "grey", ("not started",)),
        (None, "Paused", "grey", ("break in learning: targets and the clock are paused",)),
        (None, "Withdrawn", "grey", ()),
    ]
    assert found[0].hours.expected == 0
    assert progress.counts(found) == {"on_track": 0, "at_risk": 0, "off_track": 1}
    assert progress.progress_of([], OCT_5) == []


def _statements_for_caseload(membership) -> list[str]:
    db.session.expire_all()  # as in a fresh request
    with counting() as statements:
        queries.caseload(membership, queries.Filters(), OCT_5)
    return statements


def test_a_caseload_takes_the_same_number_of_queries_for_one_or_many():
    s = setting(start=START, started=True)
    few = _statements_for_caseload(s.coordinator)
    for n in range(4):
        log_days(enrol(s, f"Extra {n}"), date(2026, 9, 28), 1)
    many = _statements_for_caseload(s.coordinator)
    assert len(many) == len(few)


# -- caseloads --


@pytest.fixture
def world():
    """One provider with one cohort; two partner employers; an unrelated employer and provider."""
    s = setting(start=START, started=True)
    second_manager = person(s.employer, Role.LINE_MANAGER, name="Second Manager")
    other_assessor = person(s.provider, Role.ASSESSOR, name="Other Assessor")
    idle_assessor = person(s.provider, Role.ASSESSOR, name="Idle Assessor")
    elsewhere = OrganisationFactory(name="Clyde Test Shipping")
    PartnershipFactory(employer=elsewhere, provider=s.provider)
    elsewhere_hr = person(elsewhere, Role.HR_MANAGER, name="Elsie HR")
    elsewhere_manager = person(elsewhere, Role.LINE_MANAGER, name="Elmer Manager")
    a2 = enrol(s, "Bea Second", line_manager=second_manager)
    # Assessed directly by the other assessor; the cohort's assessor sees it through the cohort.
    a3 = enrol(s, "Cal Third", employer=elsewhere, line_manager=elsewhere_manager, assessor=other_assessor)
    unrelated = setting(start=START, started=True, label="Unrelated ")
    colleague = person(s.employer, Role.LEARNER, name="Colin Colleague")
    return {
        "s": s,
        "a1": s.apprenticeship,
        "a2": a2,
        "a3": a3,
        "second_manager": second_manager,
        "other_assessor": other_assessor,
        "idle_assessor": idle_assessor,
        "elsewhere_hr": elsewhere_hr,
        "elsewhere_manager": elsewhere_manager,
        "unrelated": unrelated,
        "colleague": colleague,
    }


def caseload_of(membership, today=OCT_5, **filters) -> set[int]:
    found = queries.caseload(membership, queries.Filters(**filters), today, per_page=10_000)
    return {p.apprenticeship.id for p in found.rows}


def test_each_person_sees_their_own_caseload(world):
    s, a1, a2, a3 = world["s"], world["a1"].id, world["a2"].id, world["a3"].id
    expected = {
        "employer HR": (s.hr, {a1, a2}),
        "line manager": (s.line_manager, {a1}),
        "second line manager": (world["second_manager"], {a2}),
        "coordinator": (s.coordinator, {a1, a2, a3}),
        "cohort assessor": (s.assessor, {a1, a2, a3}),
        "direct assessor": (world["other_assessor"], {a3}),
        "apprentice": (s.apprentice, {a1}),
        "other employer's HR": (world["elsewhere_hr"], {a3}),
        "other employer's line manager": (world["elsewhere_manager"], {a3}),
    }
    for who, (membership, ids) in expected.items():
        assert caseload_of(membership) == ids, who
        assert queries.has_caseload(membership), who


def test_people_with_no_part_see_nothing(world):
    unrelated = world["unrelated"]
    for membership in (
        world["idle_assessor"],
        world["colleague"],
        unrelated.hr,
        unrelated.coordinator,
        unrelated.assessor,
        unrelated.line_manager,
        unrelated.apprentice,
    ):
        found = caseload_of(membership) - {unrelated.apprenticeship.id}
        assert found == set(), membership.user.name
    for membership in (world["idle_assessor"], world["colleague"]):
        assert caseload_of(membership) == set()
        assert not queries.has_caseload(membership)
    # A third organisation with no apprenticeships at all sees nothing.
    stranger = person(OrganisationFactory(name="Third Test Org"), Role.HR_MANAGER, name="Theo Third")
    assert caseload_of(stranger) == set() and not queries.has_caseload(stranger)
    assert not queries.has_caseload(None)


def test_a_caseload_holds_exactly_the_apprenticeships_the_policy_lets_the_person_open(world):
    s = world["s"]
    everyone = db.session.scalars(select(Apprenticeship)).all()
    people = [s.hr, s.line_manager, s.apprentice, s.coordinator, s.assessor]
    people += [world[k] for k in ("second_manager", "other_assessor", "idle_assessor", "elsewhere_hr", "colleague")]
    for membership in people:
        allowed = {a.id for a in everyone if policy.may_view_apprenticeship(membership, a)}
        assert caseload_of(membership) == allowed, membership.user.name


def test_caseload_counts_filters_and_pages(world):
    s = world["s"]
    log_days(world["a1"], date(2026, 9, 28), 5)  # on track; the others are off track
    found = queries.caseload(s.coordinator, queries.Filters(), OCT_5, per_page=2)
    assert found.counts == {"on_track": 1, "at_risk": 0, "off_track": 2}
    assert (found.total, found.pages, found.page) == (3, 2, 1)
    assert [p.apprenticeship.apprentice.user.name for p in found.rows] == ["Aila Apprentice", "Bea Second"]
    assert [p.apprenticeship.id for p in queries.caseload(s.coordinator, queries.Filters(page=9), OCT_5, 2).rows] == [
        world["a3"].id
    ]
    assert caseload_of(s.coordinator, progress="off_track") == {world["a2"].id, world["a3"].id}
    assert caseload_of(s.coordinator, q="bea") == {world["a2"].id}
    assert caseload_of(s.coordinator, partner_id=world["elsewhere_hr"].organisation_id) == {world["a3"].id}
    lifecycle.change(s.coordinator.user, world["a2"], "withdraw", reason="Left", today=OCT_5)
    assert caseload_of(s.coordinator, status="withdrawn") == {world["a2"].id}
    # The employer's HR counts only their own apprentices.
    assert queries.caseload(s.hr, queries.Filters(), OCT_5).counts == {"on_track": 1, "at_risk": 0, "off_track": 0}
