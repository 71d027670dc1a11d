"""Builders for recruitment tests: a vacancy made through the service from a job role asking for
the skill the test badges align to, candidates applying through the service, and the isolation
matrix's parameters."""

from __future__ import annotations

import json
from datetime import date, timedelta

from app.extensions import db
from app.models import JobRole, JobRoleSkill, Membership
from app.services import recruitment
from app.services.verification.verifier import VerificationInput
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.catalogue import skill
from tests.factories.verification import issued_badge

# The ESCO skill the verification factory's badges align to (SCQF level 7: proficiency level 2).
SPREADSHEETS_URI = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
TODAY = date(2026, 12, 4)


def spreadsheets():
    return skill("use spreadsheets software", SPREADSHEETS_URI)


def job_role(org, title: str = "Data Officer", skills=None) -> JobRole:
    role = JobRole(organisation_id=org.id, title=title)
    db.session.add(role)
    db.session.flush()
    for found, level in skills or [(spreadsheets(), 2), (skill("write reports"), 2)]:
        db.session.add(JobRoleSkill(job_role_id=role.id, skill_id=found.id, target_level=level))
    db.session.flush()
    return role


def vacancy(org=None, recruiter=None, *, title: str = "Data Officer", closes_on: date | None = None, **kwargs):
    org = org or OrganisationFactory(name="Clyde Analytics")
    recruiter = recruiter or member(org, "recruiter", name="Rhona Recruiter")
    return recruitment.vacancies.create(
        recruiter,
        org,
        job_role(org, title),
        title=kwargs.pop("vacancy_title", title),
        closes_on=closes_on or TODAY + timedelta(days=30),
        hiring_manager=kwargs.pop("hiring_manager", None),
        retention_months=kwargs.pop("retention_months", 6),
        description=kwargs.pop("description", "Analyse our data."),
        today=kwargs.pop("today", TODAY),
    )


def badge_text(email: str, *, tampered: bool = False, name: str = "Data Analysis with Python") -> VerificationInput:
    credential = issued_badge(email, name=name)
    if tampered:
        credential["credentialSubject"]["achievement"]["name"] = "Advanced Data Science (changed)"
    return VerificationInput(json.dumps(credential), "paste", None)


def apply(vacancy_, name: str = "Cara Candidate", email: str = "cara@candidate.example", badges=None, **kwargs):
    """An application through the service; returns (candidate, private token)."""
    made, secret = recruitment.applications.apply(
        vacancy_,
        name=name,
        email=email,
        consent=True,
        carry_badges=kwargs.pop("carry_badges", False),
        inputs=badges if badges is not None else [badge_text(email)],
        today=kwargs.pop("today", TODAY),
    )
    db.session.flush()
    return made, secret


def _isolation_vacancy(t):
    def make():
        recruiter = member(t.employer, "recruiter", name=f"{t.made.get('label', '')}Recruiter")
        return vacancy(
            t.employer,
            recruiter,
            title=f"{t.made.get('label', '')}Vacancy",
            closes_on=date.today() + timedelta(days=30),
            today=date.today(),
        )

    return t.once("vacancy", make)


def _isolation_candidate(t):
    def make():
        made, _ = apply(
            _isolation_vacancy(t),
            name=f"{t.made.get('label', '')}Candidate",
            email=f"candidate@{t.employer.slug}.example",
            badges=[],
            today=date.today(),
        )
        return made

    return t.once("candidate", make)


def _isolation_badge(t) -> int:
    def make():
        found = _isolation_candidate(t)
        [added] = recruitment.applications.add_badges(found, [badge_text(found.email)], date.today())
        return added

    return t.once("candidate_badge", make).id


def _isolation_vacancy_skill(t) -> int:
    return recruitment.fit.requirements_of(_isolation_vacancy(t))[0].id


ISOLATION_PARAMS = {
    "vacancy_id": lambda t: _isolation_vacancy(t).id,
    "candidate_id": lambda t: _isolation_candidate(t).id,
    "badge_id": _isolation_badge,
    "vacancy_skill_id": _isolation_vacancy_skill,
}


def hiring_manager(org, name: str = "Hamish Manager") -> Membership:
    user = member(org, "line_manager", name=name)
    return db.session.query(Membership).filter_by(user_id=user.id, organisation_id=org.id).one()
