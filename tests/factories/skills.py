"""Test data for job roles: skills, published micro-credentials, an employer with HR, a line
manager and two reports, and a second employer to prove isolation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import count

from sqlalchemy import select

from app.extensions import db
from app.models import HeldCredential, Membership, MicroCredential, Organisation, Skill, User
from app.models.job_roles import AssessedSkill, JobRole, JobRoleSkill
from tests.factories.accounts import OrganisationFactory, member

_seq = count(1)


def skill(label: str) -> Skill:
    found = Skill(uri=f"urn:test:skill:{next(_seq)}", label=label)
    db.session.add(found)
    db.session.flush()
    return found


def record(
    provider: Organisation,
    title: str,
    skills: list[Skill],
    *,
    price: int = 50_000,
    hours: int = 100,
    credits: int | None = 10,
    scqf_level: int = 7,
    status: str = "published",
    code: str | None = None,
    version: int = 1,
) -> MicroCredential:
    mc = MicroCredential(
        provider_id=provider.id,
        code=code or f"T-{next(_seq)}",
        version=version,
        status=status,
        title=title,
        scqf_level=scqf_level,
        scqf_credits=credits,
        notional_hours=hours,
        mode="online",
        price_pence=price,
    )
    mc.skills = list(skills)
    db.session.add(mc)
    db.session.flush()
    return mc


def membership(user: User, org: Organisation) -> Membership:
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == org.id)
    )


def job_role(org: Organisation, title: str, needs: dict[Skill, int], department: str | None = None) -> JobRole:
    role = JobRole(organisation_id=org.id, title=title, department=department)
    db.session.add(role)
    db.session.flush()
    for s, level in needs.items():
        db.session.add(JobRoleSkill(job_role_id=role.id, skill_id=s.id, target_level=level))
    db.session.flush()
    return role


def hold(user: User, org: Organisation, mc: MicroCredential, on: date = date(2026, 1, 15)) -> HeldCredential:
    held = HeldCredential(
        user_id=user.id, organisation_id=org.id, micro_credential_id=mc.id, achieved_on=on, source="recorded"
    )
    db.session.add(held)
    db.session.flush()
    return held


def assess(m: Membership, s: Skill, level: int, on: date, by: User | None = None) -> AssessedSkill:
    row = AssessedSkill(
        membership_id=m.id, skill_id=s.id, level=level, assessed_on=on, assessed_by_id=by.id if by else None
    )
    db.session.add(row)
    db.session.flush()
    return row


@dataclass
class World:
    org: Organisation
    other: Organisation
    provider: Organisation
    hr: User
    manager: User
    report: User  # reports to manager
    colleague: User  # no line manager
    outsider_hr: User  # HR at the other employer
    cad: Skill
    welding: Skill
    safety: Skill
    untaught: Skill
    role: JobRole
    other_role: JobRole

    def m(self, user: User, org: Organisation | None = None) -> Membership:
        return membership(user, org or self.org)


def build_world() -> World:
    org = OrganisationFactory(name="Clyde Fabrication")
    other = OrganisationFactory(name="Other Employer")
    provider = OrganisationFactory(provider=True)
    hr = member(org, "hr_manager", name="Hana HR")
    manager = member(org, "line_manager", "learner", name="Mags Manager")
    report = member(org, "learner", name="Rab Report")
    colleague = member(org, "learner", name="Cat Colleague")
    outsider_hr = member(other, "hr_manager", name="Olly Outsider")
    membership(report, org).line_manager_id = membership(manager, org).id
    cad, welding = skill("use CAD software"), skill("weld metal")
    safety, untaught = skill("apply health and safety standards"), skill("read the sea")
    role = job_role(org, "Fabricator", {cad: 3, welding: 2, safety: 2, untaught: 1}, department="Production")
    other_role = job_role(other, "Secret role", {cad: 1}, department="Elsewhere")
    for user in (report, colleague):
        membership(user, org).job_role_id = role.id
        membership(user, org).department = "Production"
    db.session.flush()
    return World(
        org,
        other,
        provider,
        hr,
        manager,
        report,
        colleague,
        outsider_hr,
        cad,
        welding,
        safety,
        untaught,
        role,
        other_role,
    )
