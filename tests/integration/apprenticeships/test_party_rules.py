"""The policy says who acts for which party twice: per record (`parties_of`, for pages) and as SQL
(`party_conditions`, for caseloads and to-do counts). They must always agree."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Apprenticeship, Party
from app.models.people import Role
from app.security.policy import assessor_condition, is_apprenticeship_assessor, parties_of, party_conditions
from app.services.apprenticeships import cohorts
from tests.factories.accounts import OrganisationFactory
from tests.factories.apprenticeships import person, setting


def _matching(membership, apprenticeship) -> set[Party]:
    found = set()
    for party, condition in party_conditions(membership).items():
        if db.session.scalar(select(Apprenticeship.id).where(Apprenticeship.id == apprenticeship.id, condition)):
            found.add(party)
    return found


def test_record_rule_and_sql_rule_agree_for_everyone_around_an_apprenticeship():
    s = setting(started=True)
    cohort_assessor = person(s.provider, Role.ASSESSOR, name="Cohort Assessor")
    cohorts.set_team(s.coordinator.user, s.cohort, s.coordinator.id, [s.assessor.id, cohort_assessor.id])
    stranger = OrganisationFactory(name="Unrelated Employer")
    people = {
        "apprentice": s.apprentice,
        "line manager": s.line_manager,
        "hr": s.hr,
        "coordinator": s.coordinator,
        "assessor": s.assessor,
        "cohort assessor": cohort_assessor,
        "other line manager": person(s.employer, Role.LINE_MANAGER),
        "other learner": person(s.employer, Role.LEARNER),
        "other assessor": person(s.provider, Role.ASSESSOR),
        "unrelated hr": person(stranger, Role.HR_MANAGER),
    }
    expected = {
        "apprentice": {Party.APPRENTICE},
        "line manager": {Party.EMPLOYER},
        "hr": {Party.EMPLOYER},
        "coordinator": {Party.PROVIDER},
        "assessor": {Party.PROVIDER},
        "cohort assessor": {Party.PROVIDER},
        "other line manager": set(),
        "other learner": set(),
        "other assessor": set(),
        "unrelated hr": set(),
    }
    a = s.apprenticeship
    for who, membership in people.items():
        assert parties_of(membership, a) == expected[who], who
        assert _matching(membership, a) == expected[who], who
        in_sql = db.session.scalar(
            select(Apprenticeship.id).where(Apprenticeship.id == a.id, assessor_condition(membership))
        )
        assert is_apprenticeship_assessor(membership, a) == bool(in_sql), who
