"""Demo job roles, employees, their credentials and assessed skills (seeds/demo/job_roles.json).

Runs after the organisations, skills and catalogue loaders. Idempotent: roles are found by
(employer, title), people by email, held credentials by (person, employer, code) and
assessments by (person, skill); only what is missing is added.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import HeldCredential, Membership, MicroCredential, Occupation, Organisation, RecordStatus, User
from app.models.job_roles import AssessedSkill, JobRole, JobRoleMicroCredential, JobRoleSkill
from app.models.people import RoleGrant
from app.security.passwords import hash_password
from app.services.accounts.organisations import join
from app.services.catalogue.lifecycle import skills_by_uri
from seeds import DEMO_PASSWORD, SEEDS_DIR

# The demo learners from seeds/demo/organisations.json get a job role, and a credential or two,
# so signing in as them shows real gaps and a pathway.
SIGN_IN_LEARNERS = {
    "callum.reid@kelvinmarine.example": ("Design Engineer", ["FC-ENG301"]),
    "priya.shah@kelvinmarine.example": ("Data Analyst", ["FC-DIG104"]),
    "amy.wilson@tayvalleyhealth.example": ("Staff Nurse", ["FC-CARE501"]),
}
FIRST_ACHIEVED = date(2024, 9, 12)
ASSESSED_ON = date(2026, 3, 16)


def load(log=print) -> None:
    data = json.loads((SEEDS_DIR / "demo" / "job_roles.json").read_text())
    records = {
        r.code: r
        for r in db.session.scalars(select(MicroCredential).where(MicroCredential.status == RecordStatus.PUBLISHED))
    }
    password_hash = None
    counts = {"roles": 0, "people": 0, "held": 0, "assessed": 0}
    for employer in data["employers"]:
        org = db.session.scalar(select(Organisation).where(Organisation.slug == employer["slug"]))
        if org is None:
            raise RuntimeError(f"Employer {employer['slug']} is missing: load seeds.organisations first")
        roles = {item["title"]: _role(org, item, counts) for item in employer["job_roles"]}
        managers = _line_managers(org)
        for person in employer["employees"]:
            user = db.session.scalar(select(User).where(User.email == person["email"]))
            if user is None:
                password_hash = password_hash or hash_password(DEMO_PASSWORD)
                user = User(email=person["email"], name=person["name"], password_hash=password_hash)
                db.session.add(user)
                db.session.flush()
                counts["people"] += 1
            membership = join(user, org, ["learner"], department=person["department"])
            role = roles[person["job_role"]]
            membership.job_role_id = membership.job_role_id or role.id
            membership.job_title = membership.job_title or role.title
            if membership.line_manager_id is None and managers:
                membership.line_manager_id = managers.get(person["department"], managers[None]).id
            _hold(user, org, [records[c] for c in person["held_credentials"]], counts)
            assessor = _assessor(membership)
            skills = skills_by_uri([a["skill"] for a in person["assessed_skills"]])
            for item in person["assessed_skills"]:
                _assess(membership, skills[item["skill"]].id, item["level"], assessor, counts)
        for email, (title, codes) in SIGN_IN_LEARNERS.items():
            user = db.session.scalar(select(User).where(User.email == email))
            membership = user and db.session.scalar(
                select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == org.id)
            )
            if membership is None:
                continue
            membership.job_role_id = membership.job_role_id or roles[title].id
            _hold(user, org, [records[c] for c in codes], counts)
    db.session.flush()
    log(
        f"Job roles: {counts['roles']} added; employees: {counts['people']} added; "
        f"held credentials: {counts['held']}; assessments: {counts['assessed']}"
    )


def _role(org: Organisation, item: dict, counts: dict) -> JobRole:
    role = db.session.scalar(select(JobRole).where(JobRole.organisation_id == org.id, JobRole.title == item["title"]))
    if role is None:
        occupation = item.get("esco_occupation") and db.session.scalar(
            select(Occupation).where(Occupation.uri == item["esco_occupation"])
        )
        role = JobRole(
            organisation_id=org.id,
            title=item["title"],
            department=item["department"],
            esco_occupation_id=occupation.id if occupation else None,
        )
        db.session.add(role)
        db.session.flush()
        counts["roles"] += 1
    have = set(db.session.scalars(select(JobRoleSkill.skill_id).where(JobRoleSkill.job_role_id == role.id)))
    skills = skills_by_uri([s["skill"] for s in item["required_skills"]])
    for need in item["required_skills"]:
        skill = skills.get(need["skill"])
        if skill is not None and skill.id not in have:
            db.session.add(JobRoleSkill(job_role_id=role.id, skill_id=skill.id, target_level=need["level"]))
    mapped = {
        (m.provider_id, m.code)
        for m in db.session.scalars(select(JobRoleMicroCredential).where(JobRoleMicroCredential.job_role_id == role.id))
    }
    providers = {
        o.slug: o.id
        for o in db.session.scalars(
            select(Organisation).where(Organisation.slug.in_({m["provider"] for m in item["micro_credentials"]}))
        )
    }
    for m in item["micro_credentials"]:
        if (providers[m["provider"]], m["code"]) not in mapped:
            db.session.add(
                JobRoleMicroCredential(
                    job_role_id=role.id,
                    provider_id=providers[m["provider"]],
                    code=m["code"],
                    requirement=m["requirement"],
                )
            )
    db.session.flush()
    return role


def _line_managers(org: Organisation) -> dict:
    """department -> a line manager there; None -> the employer's first line manager by email."""
    rows = db.session.scalars(
        select(Membership)
        .join(RoleGrant)
        .join(User, Membership.user_id == User.id)
        .where(Membership.organisation_id == org.id, RoleGrant.role == "line_manager")
        .order_by(User.email)
    ).all()
    found = {}
    for m in rows:
        found.setdefault(m.department, m)
        found.setdefault(None, m)
    return found


def _assessor(membership: Membership) -> int | None:
    if membership.line_manager_id is None:
        return None
    return db.session.get(Membership, membership.line_manager_id).user_id


def _hold(user: User, org: Organisation, records: list[MicroCredential], counts: dict) -> None:
    held_codes = set(
        db.session.scalars(
            select(MicroCredential.code)
            .join(HeldCredential, HeldCredential.micro_credential_id == MicroCredential.id)
            .where(HeldCredential.user_id == user.id, HeldCredential.organisation_id == org.id)
        )
    )
    for i, record in enumerate(records):
        if record.code in held_codes:
            continue
        db.session.add(
            HeldCredential(
                user_id=user.id,
                organisation_id=org.id,
                micro_credential_id=record.id,
                achieved_on=FIRST_ACHIEVED + timedelta(days=97 * i),
                source="recorded",
            )
        )
        counts["held"] += 1


def _assess(membership: Membership, skill_id: int, level: int, assessor: int | None, counts: dict) -> None:
    exists = db.session.scalar(
        select(AssessedSkill.id).where(AssessedSkill.membership_id == membership.id, AssessedSkill.skill_id == skill_id)
    )
    if exists is None:
        db.session.add(
            AssessedSkill(
                membership_id=membership.id,
                skill_id=skill_id,
                level=level,
                assessed_by_id=assessor,
                assessed_on=ASSESSED_ON,
                note="Recorded at the 2026 annual review",
            )
        )
        counts["assessed"] += 1
