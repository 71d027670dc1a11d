"""Vacancies: made from a job role by a recruiter, with the role's skills copied in and editable
per vacancy; listed with their candidates' counts."""

from __future__ import annotations

import calendar
import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from app.domain import DomainError
from app.extensions import db
from app.models import JobRole, JobRoleSkill, Membership, MembershipStatus, Skill, User
from app.models.recruitment import Candidate, CandidateStatus, Vacancy, VacancySkill
from app.services import audit
from app.services.recruitment import fit

PAGE_SIZE = 25
MAX_SKILLS = 40


class RecruitmentError(DomainError):
    """A recruitment step cannot be taken (message is for the person acting)."""


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_ends(vacancy: Vacancy) -> date:
    """The day after which the candidates' personal data is deleted."""
    return add_months(vacancy.closes_on, vacancy.retention_months)


def _check(title: str, closes_on: date | None, retention_months: int) -> str:
    title = (title or "").strip()
    if not title:
        raise RecruitmentError("Enter the vacancy's title", field="title")
    if len(title) > 200:
        raise RecruitmentError("The title must be 200 characters or fewer", field="title")
    if closes_on is None:
        raise RecruitmentError("Enter the closing date", field="closes_on")
    if not 1 <= int(retention_months or 0) <= 36:
        raise RecruitmentError("Keep candidates' data for between 1 and 36 months", field="retention_months")
    return title


def _check_manager(org, manager: Membership | None) -> None:
    if manager is not None and (manager.organisation_id != org.id or manager.status != MembershipStatus.ACTIVE):
        raise RecruitmentError("Choose a hiring manager from your organisation", field="hiring_manager_id")


def create(
    actor,
    org,
    role: JobRole,
    *,
    title: str,
    closes_on: date | None,
    hiring_manager: Membership | None,
    retention_months: int,
    description: str | None,
    today: date,
) -> Vacancy:
    """A vacancy from ``role``: its required skills and target levels are copied in."""
    title = _check(title, closes_on, retention_months)
    assert closes_on is not None
    if closes_on < today:
        raise RecruitmentError("The closing date must be today or later", field="closes_on")
    _check_manager(org, hiring_manager)
    vacancy = Vacancy(
        organisation_id=org.id,
        job_role_id=role.id,
        title=title,
        description=(description or "").strip() or None,
        closes_on=closes_on,
        hiring_manager_id=hiring_manager.id if hiring_manager else None,
        retention_months=int(retention_months),
        token=secrets.token_urlsafe(24),
        created_by_id=actor.id,
    )
    db.session.add(vacancy)
    db.session.flush()
    for req in db.session.scalars(select(JobRoleSkill).where(JobRoleSkill.job_role_id == role.id)):
        db.session.add(VacancySkill(vacancy_id=vacancy.id, skill_id=req.skill_id, target_level=req.target_level))
    db.session.flush()
    audit.record(actor, "vacancy.created", vacancy, f"Opened the vacancy {title} from the job role {role.title}")
    return vacancy


def update(
    actor,
    vacancy: Vacancy,
    *,
    title: str,
    closes_on: date | None,
    hiring_manager: Membership | None,
    retention_months: int,
    description: str | None,
) -> None:
    if vacancy.purged_at is not None:
        raise RecruitmentError("This vacancy's candidates have been deleted; it can no longer change")
    title = _check(title, closes_on, retention_months)
    _check_manager(vacancy.organisation, hiring_manager)
    before = {"title": vacancy.title, "closes_on": vacancy.closes_on.isoformat(), "retention": vacancy.retention_months}
    vacancy.title, vacancy.closes_on = title, closes_on  # type: ignore[assignment]
    vacancy.description = (description or "").strip() or None
    vacancy.hiring_manager_id = hiring_manager.id if hiring_manager else None
    vacancy.retention_months = int(retention_months)
    db.session.flush()
    audit.record(actor, "vacancy.updated", vacancy, f"Changed the vacancy {title}", before=before)


def set_skill(actor, vacancy: Vacancy, skill: Skill, target_level: int) -> None:
    """Ask for ``skill`` at ``target_level`` (1-4), or change the level asked for."""
    if not 1 <= int(target_level or 0) <= 4:
        raise RecruitmentError("Choose a target level from 1 to 4", field="target_level")
    found = db.session.scalar(
        select(VacancySkill).where(VacancySkill.vacancy_id == vacancy.id, VacancySkill.skill_id == skill.id)
    )
    if found is None:
        count = db.session.scalar(select(func.count()).where(VacancySkill.vacancy_id == vacancy.id)) or 0
        if count >= MAX_SKILLS:
            raise RecruitmentError(f"A vacancy can ask for at most {MAX_SKILLS} skills", field="skill_id")
        db.session.add(VacancySkill(vacancy_id=vacancy.id, skill_id=skill.id, target_level=int(target_level)))
    else:
        found.target_level = int(target_level)
    db.session.flush()
    fit.refresh_vacancy(vacancy)
    audit.record(
        actor, "vacancy.skill_set", vacancy, f"Asked for {skill.label} at level {target_level} in {vacancy.title}"
    )


def remove_skill(actor, vacancy: Vacancy, requirement: VacancySkill) -> None:
    label = requirement.skill.label
    db.session.delete(requirement)
    db.session.flush()
    fit.refresh_vacancy(vacancy)
    audit.record(actor, "vacancy.skill_removed", vacancy, f"No longer asks for {label} in {vacancy.title}")


def by_token(token: str) -> Vacancy | None:
    """A vacancy by its application link (None once its candidates' data is deleted)."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Vacancy).where(Vacancy.token == token, Vacancy.purged_at.is_(None)))


@dataclass
class VacancyRow:
    vacancy: Vacancy
    candidates: int
    new: int  # applied and not yet moved on: the recruiter's to-do


def visible_stmt(org, membership: Membership | None, manages: bool):
    """Vacancies this person sees: all of the organisation's for a recruiter, otherwise those
    they are the hiring manager for."""
    stmt = select(Vacancy).where(Vacancy.visible_to(org))
    if not manages:
        stmt = stmt.where(Vacancy.hiring_manager_id == (membership.id if membership else -1))
    return stmt


def vacancies_page(org, membership, manages: bool, page: int) -> tuple[list[VacancyRow], int, int]:
    """One page of vacancies, closing soonest first, with counts: three queries."""
    stmt = visible_stmt(org, membership, manages)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = max(1, min(page, pages))
    rows = db.session.scalars(
        stmt.order_by(Vacancy.purged_at.is_not(None), Vacancy.closes_on.desc(), Vacancy.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    counts = {
        vid: (n, new)
        for vid, n, new in db.session.execute(
            select(
                Candidate.vacancy_id,
                func.count(),
                func.sum(case((Candidate.status == CandidateStatus.APPLIED, 1), else_=0)),
            )
            .where(Candidate.vacancy_id.in_([v.id for v in rows]))
            .group_by(Candidate.vacancy_id)
        )
    }
    return [VacancyRow(v, *(counts.get(v.id) or (0, 0))) for v in rows], page, pages


def new_applications(org, membership, manages: bool) -> int:
    """Candidates waiting for a first look, for the dashboard's to-dos: one query."""
    visible = visible_stmt(org, membership, manages).with_only_columns(Vacancy.id)
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Candidate)
            .where(Candidate.vacancy_id.in_(visible), Candidate.status == CandidateStatus.APPLIED)
        )
        or 0
    )


def hiring_manager_choices(org) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(User, Membership.user_id == User.id)
            .where(Membership.organisation_id == org.id, Membership.status == MembershipStatus.ACTIVE)
            .order_by(User.name)
            .options(db.joinedload(Membership.user))
            .limit(500)
        )
    )
