"""Demo recruitment: Kelvin Marine's recruiter (Ruth Henderson) has a CAD Technician vacancy made
from the job role, with Iain Stewart as hiring manager and three candidates who applied through
the real service: one whose badges verify, one who shared a changed (tampered) copy of a badge,
and one who shared nothing yet. Their badges are issued by the demo college through the real
issuing service, so every check runs for real.

Idempotent: the vacancy is identified by (employer, title). Run after seeds.job_roles and
seeds.credentials. No emails are sent to anyone real (the demo addresses are .example).
"""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from app.domain.calendar import london_today
from app.extensions import db
from app.models import JobRole, Membership, MicroCredential, Organisation, User, Vacancy
from app.models.badges import IssuedCredential
from app.services import issuing, recruitment
from app.services.catalogue import lifecycle as catalogue
from app.services.verification.verifier import VerificationInput

TITLE = "CAD Technician (Govan yard)"
# (name, email, [(provider code, tampered?)], status)
CANDIDATES = [
    ("Morag Campbell", "morag.campbell@applicant.example", [("FC-ENG301", False), ("FC-DIG104", False)], "shortlisted"),
    ("Duncan Fraser", "duncan.fraser@applicant.example", [("FC-ENG301", True)], "shortlisted"),
    ("Eilidh Grant", "eilidh.grant@applicant.example", [], "applied"),
]


def _badge(provider: Organisation, coordinator: User, code: str, name: str, email: str) -> IssuedCredential:
    found = db.session.scalar(
        select(IssuedCredential)
        .join(MicroCredential)
        .where(
            IssuedCredential.organisation_id == provider.id,
            MicroCredential.code == code,
            IssuedCredential.recipient_email == email,
        )
    )
    if found is not None:
        return found
    record = catalogue.current_version(provider.id, code)
    if record is None:
        raise RuntimeError(f"{code} is missing: load seeds.catalogue first")
    return issuing.issue(coordinator, provider, record, issuing.Learner(name, email), notify=False)


def _tampered(issued: IssuedCredential) -> str:
    credential = json.loads(json.dumps(issued.credential))
    credential["credentialSubject"]["achievement"]["name"] = "Advanced 3D Ship Design (changed by hand)"
    return json.dumps(credential)


def load(log=print) -> None:
    employer = db.session.scalar(select(Organisation).where(Organisation.slug == "kelvin-marine"))
    if employer is None:
        raise RuntimeError("Kelvin Marine is missing: load seeds.organisations first")
    if db.session.scalar(select(Vacancy).where(Vacancy.organisation_id == employer.id, Vacancy.title == TITLE)):
        log("Recruitment: the demo vacancy is already there")
        return
    recruiter = db.session.scalar(select(User).where(User.email == "ruth.henderson@kelvinmarine.example"))
    manager = db.session.scalar(
        select(Membership)
        .join(User, Membership.user_id == User.id)
        .where(User.email == "iain.stewart@kelvinmarine.example", Membership.organisation_id == employer.id)
    )
    role = db.session.scalar(
        select(JobRole).where(JobRole.organisation_id == employer.id, JobRole.title == "CAD Technician")
    )
    college = db.session.scalar(select(Organisation).where(Organisation.slug == "forthside-college"))
    coordinator = db.session.scalar(select(User).where(User.email == "lorna.mcintyre@forthside.example"))
    if None in (recruiter, manager, role, college, coordinator):
        raise RuntimeError("Load seeds.organisations, seeds.job_roles and seeds.credentials first")
    today = london_today()
    vacancy = recruitment.vacancies.create(
        recruiter,
        employer,
        role,
        title=TITLE,
        closes_on=today + timedelta(days=30),
        hiring_manager=manager,
        retention_months=6,
        description="Produce 2D and 3D drawings for hull and outfit work at our Govan yard. Full time, permanent.",
        today=today,
    )
    for name, email, badges, status in CANDIDATES:
        inputs = []
        for code, tampered in badges:
            issued = _badge(college, coordinator, code, name, email)
            text = _tampered(issued) if tampered else issued.credential_jwt
            inputs.append(VerificationInput(text, "paste", None))
        candidate, _ = recruitment.applications.apply(
            vacancy, name=name, email=email, consent=True, carry_badges=True, inputs=inputs, today=today
        )
        if candidate is not None and status != "applied":
            recruitment.statuses.move(recruiter, candidate, status)
    db.session.flush()
    log(f"Recruitment: {TITLE} at {employer.name} with {len(CANDIDATES)} candidates")
