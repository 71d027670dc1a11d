"""Job roles: HR defines them, their required skills and mapped micro-credentials, and who holds
them; line managers and HR record assessed skill levels. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.domain import DomainError
from app.domain.calendar import LONDON
from app.extensions import db
from app.models import Membership, MembershipStatus, MicroCredential, Occupation, RecordStatus, Skill
from app.models.job_roles import (
    PROFICIENCY_LABELS,
    AssessedSkill,
    JobRole,
    JobRoleMicroCredential,
    JobRoleSkill,
    Requirement,
)
from app.security.policy import may_assess_skills_of
from app.services import audit

# Target level given to skills copied from an ESCO occupation; HR adjusts them afterwards.
PREFILL_LEVEL = 2


class JobRoleError(DomainError):
    """A job-role rule was broken; the message is for the user."""


def _check_level(level) -> int:
    if level not in PROFICIENCY_LABELS:
        raise JobRoleError("Choose a level from 1 (awareness) to 4 (expert)")
    return int(level)


def _check_employer(org) -> None:
    if not org.is_employer:
        raise JobRoleError("Only employers have job roles")


def roles_of(org, department: str | None = None) -> list[JobRole]:
    """The employer's job roles (with skills and mappings loaded), by department then title."""
    stmt = (
        select(JobRole)
        .where(JobRole.visible_to(org))
        .options(selectinload(JobRole.skills), selectinload(JobRole.micro_credentials))
        .order_by(JobRole.department, JobRole.title)
    )
    if department:
        stmt = stmt.where(JobRole.department == department)
    return list(db.session.scalars(stmt))


def role_titles(org):
    """The employer's job roles as rows of ``id``, ``title`` and ``department`` (for choices and
    filters), by department then title: one query of three columns."""
    return db.session.execute(
        select(JobRole.id, JobRole.title, JobRole.department)
        .where(JobRole.visible_to(org))
        .order_by(JobRole.department, JobRole.title)
    ).all()


def departments_of(org) -> list[str]:
    """Departments named on the employer's roles or members, sorted."""
    names = set(db.session.scalars(select(JobRole.department).where(JobRole.visible_to(org)).distinct()))
    names |= set(db.session.scalars(select(Membership.department).where(Membership.visible_to(org)).distinct()))
    return sorted(n for n in names if n)


def holders_count(org) -> dict[int, int]:
    """job_role_id -> number of active members holding it."""
    rows = db.session.execute(
        select(Membership.job_role_id, func.count())
        .where(
            Membership.visible_to(org),
            Membership.status == MembershipStatus.ACTIVE,
            Membership.job_role_id.is_not(None),
        )
        .group_by(Membership.job_role_id)
    )
    return {role_id: count for role_id, count in rows.all() if role_id is not None}


def create_role(
    actor,
    org,
    *,
    title: str,
    department: str | None = None,
    description: str | None = None,
    occupation: Occupation | None = None,
    prefill_skills: bool = True,
) -> JobRole:
    """A new job role; with an ESCO occupation, its essential skills are copied in at level 2."""
    _check_employer(org)
    title = (title or "").strip()
    if not title:
        raise JobRoleError("Enter the job role's title")
    if db.session.scalar(select(JobRole.id).where(JobRole.visible_to(org), JobRole.title == title)):
        raise JobRoleError(f"{org.name} already has a job role called {title}")
    role = JobRole(
        organisation_id=org.id,
        title=title,
        department=(department or "").strip() or None,
        description=(description or "").strip() or None,
        esco_occupation_id=occupation.id if occupation else None,
    )
    db.session.add(role)
    db.session.flush()
    copied = []
    if occupation is not None and prefill_skills:
        for skill in occupation.skills:
            db.session.add(JobRoleSkill(job_role_id=role.id, skill_id=skill.id, target_level=PREFILL_LEVEL))
            copied.append(skill.label)
        db.session.flush()
    summary = f"Created the job role {title}"
    if copied and occupation is not None:
        summary += f" with {len(copied)} skills from the ESCO occupation {occupation.label}"
    audit.record(
        actor,
        "job_role.create",
        role,
        summary,
        organisation=org,
        department=role.department,
        occupation=occupation.uri if occupation else None,
        skills=copied,
    )
    return role


def update_role(actor, role: JobRole, *, title: str, department: str | None, description: str | None) -> None:
    """Change a role's title, department or description."""
    title = (title or "").strip()
    if not title:
        raise JobRoleError("Enter the job role's title")
    clash = db.session.scalar(
        select(JobRole.id).where(
            JobRole.organisation_id == role.organisation_id, JobRole.title == title, JobRole.id != role.id
        )
    )
    if clash:
        raise JobRoleError(f"There is already a job role called {title}")
    before = {"title": role.title, "department": role.department}
    role.title, role.department = title, (department or "").strip() or None
    role.description = (description or "").strip() or None
    db.session.flush()
    audit.record(
        actor,
        "job_role.update",
        role,
        f"Updated the job role {title}",
        before=before,
        after={"title": role.title, "department": role.department},
    )


def delete_role(actor, role: JobRole) -> None:
    """Delete a job role nobody holds (its skills and mappings go with it)."""
    holders = db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.job_role_id == role.id, Membership.status == MembershipStatus.ACTIVE)
    )
    if holders:
        raise JobRoleError(
            f"{holders} {'person holds' if holders == 1 else 'people hold'} this job role: give them another role first"
        )
    title, org_id = role.title, role.organisation_id
    audit.record(actor, "job_role.delete", role, f"Deleted the job role {title}", organisation=org_id)
    # Removed members may still point at the role; nobody active does (checked above).
    db.session.execute(update(Membership).where(Membership.job_role_id == role.id).values(job_role_id=None))
    # Load the children so the ORM cascade deletes them on every database (lazy="raise" otherwise).
    db.session.scalars(
        select(JobRole)
        .where(JobRole.id == role.id)
        .options(selectinload(JobRole.skills), selectinload(JobRole.micro_credentials))
        .execution_options(populate_existing=True)
    ).one()
    db.session.delete(role)
    db.session.flush()


def set_skill(actor, role: JobRole, skill: Skill, target_level: int) -> JobRoleSkill:
    """Require `skill` at `target_level` for the role (adds it, or changes its level)."""
    level = _check_level(target_level)
    found = db.session.scalar(
        select(JobRoleSkill).where(JobRoleSkill.job_role_id == role.id, JobRoleSkill.skill_id == skill.id)
    )
    before = found.target_level if found else None
    if found is None:
        found = JobRoleSkill(job_role_id=role.id, skill_id=skill.id, target_level=level)
        db.session.add(found)
    found.target_level = level
    db.session.flush()
    verb = "Added" if before is None else "Changed"
    audit.record(
        actor,
        "job_role.skill_set",
        role,
        f"{verb} {skill.label} at level {level} ({PROFICIENCY_LABELS[level]}) for {role.title}",
        skill=skill.uri,
        level=level,
        previous_level=before,
    )
    return found


def remove_skill(actor, role: JobRole, requirement: JobRoleSkill) -> None:
    """Stop requiring a skill for the role."""
    if requirement.job_role_id != role.id:
        raise JobRoleError("That skill is not part of this job role")
    label = db.session.get_one(Skill, requirement.skill_id).label
    db.session.delete(requirement)
    db.session.flush()
    audit.record(actor, "job_role.skill_remove", role, f"Removed {label} from {role.title}")


def map_micro_credential(actor, role: JobRole, record: MicroCredential, requirement: str) -> JobRoleMicroCredential:
    """Map a published micro-credential (any version; the mapping follows provider and code)."""
    if requirement not in set(Requirement):
        raise JobRoleError("Choose required or recommended")
    if record.status != RecordStatus.PUBLISHED:
        raise JobRoleError("Only published micro-credentials can be mapped to a job role")
    found = db.session.scalar(
        select(JobRoleMicroCredential).where(
            JobRoleMicroCredential.job_role_id == role.id,
            JobRoleMicroCredential.provider_id == record.provider_id,
            JobRoleMicroCredential.code == record.code,
        )
    )
    if found is None:
        found = JobRoleMicroCredential(job_role_id=role.id, provider_id=record.provider_id, code=record.code)
        db.session.add(found)
    found.requirement = requirement
    db.session.flush()
    audit.record(
        actor,
        "job_role.credential_map",
        role,
        f"Mapped {record.code} {record.title} to {role.title} as {requirement}",
        provider_id=record.provider_id,
        code=record.code,
        requirement=requirement,
    )
    return found


def unmap_micro_credential(actor, role: JobRole, mapping: JobRoleMicroCredential) -> None:
    if mapping.job_role_id != role.id:
        raise JobRoleError("That micro-credential is not mapped to this job role")
    code = mapping.code
    db.session.delete(mapping)
    db.session.flush()
    audit.record(actor, "job_role.credential_unmap", role, f"Removed {code} from {role.title}", code=code)


@dataclass
class MappedCredential:
    mapping: JobRoleMicroCredential
    record: MicroCredential | None  # the current published version, None if none is published now


def mapped_credentials(role: JobRole) -> list[MappedCredential]:
    """The role's mappings, each resolved to its record's current published version (one query)."""
    mappings = list(role.micro_credentials)
    if not mappings:
        return []
    pairs = {(m.provider_id, m.code) for m in mappings}
    records = db.session.scalars(
        select(MicroCredential)
        .where(MicroCredential.status == RecordStatus.PUBLISHED, MicroCredential.code.in_({c for _, c in pairs}))
        .options(joinedload(MicroCredential.provider))
    ).all()
    by_pair = {(r.provider_id, r.code): r for r in records}
    found = [MappedCredential(m, by_pair.get((m.provider_id, m.code))) for m in mappings]
    return sorted(found, key=lambda f: (f.mapping.requirement != Requirement.REQUIRED, f.mapping.code))


def assign_role(actor, membership: Membership, role: JobRole | None) -> None:
    """Give a person a job role (or none). Role and person must be in the same organisation."""
    if role is not None and role.organisation_id != membership.organisation_id:
        raise JobRoleError("That job role belongs to another organisation")
    previous = membership.job_role_id
    membership.job_role_id = role.id if role else None
    if role is not None and role.department and not membership.department:
        membership.department = role.department
    db.session.flush()
    who = membership.user.name
    summary = f"{who} now holds the job role {role.title}" if role else f"{who} no longer holds a job role"
    audit.record(
        actor,
        "job_role.assign",
        membership,
        summary,
        organisation=membership.organisation_id,
        job_role_id=membership.job_role_id,
        previous_job_role_id=previous,
    )


def record_assessment(
    actor,
    actor_membership: Membership,
    membership: Membership,
    skill: Skill,
    level: int,
    assessed_on: date,
    note: str | None = None,
) -> AssessedSkill:
    """Record a line manager's (or HR's) assessed level of one skill for one person."""
    if not may_assess_skills_of(actor_membership, membership):
        raise JobRoleError("You can only assess the skills of people you manage")
    level = _check_level(level)
    if assessed_on > datetime.now(LONDON).date():
        raise JobRoleError("The assessment date must be today or in the past")
    row = AssessedSkill(
        membership_id=membership.id,
        skill_id=skill.id,
        level=level,
        assessed_by_id=actor.id,
        assessed_on=assessed_on,
        note=(note or "").strip() or None,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        actor,
        "skills.assess",
        membership,
        f"Assessed {membership.user.name} at level {level} ({PROFICIENCY_LABELS[level]}) in {skill.label}",
        organisation=membership.organisation_id,
        skill=skill.uri,
        level=level,
        assessed_on=assessed_on.isoformat(),
    )
    return row


def assessment_history(org, membership: Membership, limit: int = 50) -> list[AssessedSkill]:
    """A person's assessments, newest first, with skill and assessor loaded."""
    return list(
        db.session.scalars(
            select(AssessedSkill)
            .where(AssessedSkill.visible_to(org), AssessedSkill.membership_id == membership.id)
            .options(joinedload(AssessedSkill.skill), joinedload(AssessedSkill.assessed_by))
            .order_by(AssessedSkill.assessed_on.desc(), AssessedSkill.id.desc())
            .limit(limit)
        )
    )


def occupation(occupation_id: int | None) -> Occupation | None:
    """A framework occupation by id (None for none chosen or unknown)."""
    return db.session.get(Occupation, occupation_id) if occupation_id else None


def skill(skill_id: int) -> Skill:
    """A framework skill by id."""
    found = db.session.get(Skill, skill_id)
    if found is None:
        raise JobRoleError("Choose a skill from the skills framework", field="skill")
    return found


def occupations() -> list[Occupation]:
    """Skills-framework occupations a role can be based on, by label."""
    return list(db.session.scalars(select(Occupation).order_by(Occupation.label)))


def skills_framework() -> list[Skill]:
    """Every skill in the framework, by label (the choices when adding a skill)."""
    return list(db.session.scalars(select(Skill).order_by(Skill.label)))


def published_records() -> list[MicroCredential]:
    """Published micro-credentials that can be mapped to a role, provider loaded, by provider and code."""
    return list(
        db.session.scalars(
            select(MicroCredential)
            .where(MicroCredential.status == RecordStatus.PUBLISHED)
            .options(joinedload(MicroCredential.provider))
            .order_by(MicroCredential.code)
        )
    )
