"""The team skills summary: how well a team covers the skills its job roles need, by job role and
by department, the skills most often short, and the people furthest from their role, all counted
in the database (a few grouped queries whatever the team's size), before anyone drills down to the
paginated grid of people.

The rule is the skills profile's (`app.services.skills.profile`), written as SQL: a person's level
in a skill is the highest of what the credentials held in this employer's records give
(`level_from_scqf_sql`), what verified badges they imported claim (`counting_import`), and their
latest assessment; a requirement is covered at or above its target, partly below it, missing with
no level. `tests/integration/job_roles/test_team_summary.py` holds the two together.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, func, select, union_all
from sqlalchemy.orm import joinedload

from app import data_version
from app.extensions import cache, db
from app.models import HeldCredential, JobRole, JobRoleSkill, Membership, MicroCredential, Skill, User, utcnow
from app.models.catalogue import micro_credential_skills
from app.models.job_roles import AssessedSkill
from app.models.wallet import WalletCredential, WalletCredentialSkill
from app.services.catalogue.lifecycle import level_from_scqf_sql
from app.services.skills.gaps import team_stmt
from app.services.skills.profile import counting_import

TOP = 10


@dataclass
class Coverage:
    """Requirements (person x required skill) in a group, and how many are covered."""

    label: str
    people: int
    requirements: int
    covered: int
    partly: int
    key: int | str | None = None  # job role id or department, for the drill-down link

    @property
    def missing(self) -> int:
        return self.requirements - self.covered - self.partly

    @property
    def percent(self) -> int:
        return round(100 * self.covered / self.requirements) if self.requirements else 0


@dataclass
class Shortfall:
    skill: str
    short: int  # people below target (partly or missing)
    needing: int  # people whose role needs it


@dataclass
class Furthest:
    membership_id: int
    name: str
    role: str
    requirements: int
    covered: int

    @property
    def short(self) -> int:
        return self.requirements - self.covered


@dataclass
class TeamSummary:
    """Plain figures (no database rows), so a summary can be kept in a cache."""

    people: int
    with_role: int
    overall: Coverage
    by_role: list[Coverage]
    by_department: list[Coverage]
    biggest_gaps: list[Shortfall]
    furthest: list[Furthest]
    counted_at: datetime


def _fit(org, scope):
    """One row per (person in scope, skill their role needs): target and level. Levels are looked
    for only where a role needs the skill, so the work grows with the requirements, not with
    everything people hold."""
    req = (
        select(
            scope.c.id.label("mid"),
            scope.c.user_id.label("user_id"),
            scope.c.department.label("department"),
            JobRoleSkill.job_role_id.label("job_role_id"),
            JobRoleSkill.skill_id.label("skill_id"),
            JobRoleSkill.target_level.label("target"),
        )
        .select_from(scope)
        .join(JobRoleSkill, JobRoleSkill.job_role_id == scope.c.job_role_id)
        .cte("req")
    )
    held = (
        select(req.c.mid, req.c.skill_id, level_from_scqf_sql(MicroCredential.scqf_level).label("level"))
        .select_from(req)
        .join(HeldCredential, and_(HeldCredential.user_id == req.c.user_id, HeldCredential.visible_to(org)))
        .join(
            micro_credential_skills,
            and_(
                micro_credential_skills.c.micro_credential_id == HeldCredential.micro_credential_id,
                micro_credential_skills.c.skill_id == req.c.skill_id,
            ),
        )
        .join(MicroCredential, MicroCredential.id == HeldCredential.micro_credential_id)
    )
    imported = (
        select(req.c.mid, req.c.skill_id, WalletCredentialSkill.level)
        .select_from(req)
        .join(WalletCredential, and_(WalletCredential.user_id == req.c.user_id, counting_import()))
        .join(
            WalletCredentialSkill,
            and_(
                WalletCredentialSkill.wallet_credential_id == WalletCredential.id,
                WalletCredentialSkill.skill_id == req.c.skill_id,
            ),
        )
    )
    ranked = (
        select(
            req.c.mid,
            req.c.skill_id,
            AssessedSkill.level,
            func.row_number()
            .over(
                partition_by=(AssessedSkill.membership_id, AssessedSkill.skill_id),
                order_by=(AssessedSkill.assessed_on.desc(), AssessedSkill.id.desc()),
            )
            .label("rn"),
        )
        .select_from(req)
        .join(AssessedSkill, and_(AssessedSkill.membership_id == req.c.mid, AssessedSkill.skill_id == req.c.skill_id))
        .subquery("ranked")
    )
    latest = select(ranked.c.mid, ranked.c.skill_id, ranked.c.level).where(ranked.c.rn == 1)
    levels = union_all(held, imported, latest).subquery("levels")
    best = (
        select(levels.c.mid, levels.c.skill_id, func.max(levels.c.level).label("level"))
        .group_by(levels.c.mid, levels.c.skill_id)
        .subquery("best")
    )
    return (
        select(
            req.c.mid,
            req.c.department,
            req.c.job_role_id,
            req.c.skill_id,
            req.c.target,
            func.coalesce(best.c.level, 0).label("level"),
        )
        .select_from(req)
        .outerjoin(best, and_(best.c.mid == req.c.mid, best.c.skill_id == req.c.skill_id))
        .subquery("fit")
    )


class _Tally:
    """Counts for one group, added to a requirement at a time."""

    __slots__ = ("people", "requirements", "covered", "partly")

    def __init__(self) -> None:
        self.people: set[int] = set()
        self.requirements = self.covered = self.partly = 0

    def add(self, mid: int, met: bool, part: bool) -> None:
        self.people.add(mid)
        self.requirements += 1
        self.covered += met
        self.partly += part

    def coverage(self, label: str, key=None) -> Coverage:
        return Coverage(label, len(self.people), self.requirements, self.covered, self.partly, key=key)


def summary(
    org, *, line_manager: Membership | None = None, department: str | None = None, job_role_id: int | None = None
) -> TeamSummary:
    """The summary of everyone in scope (one line manager's reports, or the whole organisation,
    filtered). One query fetches each requirement with the person's level (a row per person and
    required skill); the groupings are counted from those rows; three small queries name what they
    found. At 10,000 staff with five required skills each that is 50,000 short rows."""
    scope = (
        team_stmt(org, line_manager, department, job_role_id)
        .with_only_columns(Membership.id, Membership.user_id, Membership.department, Membership.job_role_id)
        .cte("scope")
    )
    people, with_role = db.session.execute(
        select(func.count(), func.count(scope.c.job_role_id)).select_from(scope)
    ).one()
    rows = db.session.execute(select(_fit(org, scope))).tuples().all()
    everyone = _Tally()
    by_role_tally: dict[int, _Tally] = defaultdict(_Tally)
    by_department_tally: dict[str, _Tally] = defaultdict(_Tally)
    by_skill: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # skill -> [short, needing]
    by_person: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # membership -> [requirements, covered]
    for mid, dept, role_id, skill_id, target, level in rows:  # one pass over every requirement
        met, part = level >= target, 0 < level < target
        everyone.add(mid, met, part)
        by_role_tally[role_id].add(mid, met, part)
        by_department_tally[dept or ""].add(mid, met, part)
        skill = by_skill[skill_id]
        skill[0] += not met
        skill[1] += 1
        person = by_person[mid]
        person[0] += 1
        person[1] += met
    titles = dict(db.session.execute(select(JobRole.id, JobRole.title).where(JobRole.visible_to(org))).all())
    by_role = sorted(
        (tally.coverage(titles.get(role_id, ""), key=role_id) for role_id, tally in by_role_tally.items()),
        key=lambda c: (c.percent, c.label),
    )
    by_department = sorted(
        (tally.coverage(dept or "No department", key=dept or None) for dept, tally in by_department_tally.items()),
        key=lambda c: (c.percent, c.label),
    )
    short_skills = {k: v for k, v in by_skill.items() if v[0]}
    labels = dict(db.session.execute(select(Skill.id, Skill.label).where(Skill.id.in_(list(short_skills)))).all())
    biggest = sorted(
        (Shortfall(labels.get(k, ""), short, needing) for k, (short, needing) in short_skills.items()),
        key=lambda g: (-g.short, g.skill),
    )[:TOP]
    far = sorted(((n - c, n, c, mid) for mid, (n, c) in by_person.items() if n > c), key=lambda t: (-t[0], t[3]))[:TOP]
    members = {
        m.id: m
        for m in db.session.scalars(
            select(Membership).where(Membership.id.in_([f[3] for f in far])).options(joinedload(Membership.user))
        ).unique()
    }
    furthest = [
        Furthest(mid, members[mid].user.name, titles.get(members[mid].job_role_id or 0) or "", n, c)
        for _, n, c, mid in far
    ]
    return TeamSummary(
        people, with_role, everyone.coverage("Everyone"), by_role, by_department, biggest, furthest, utcnow()
    )


def cached_summary(
    org, *, line_manager: Membership | None = None, department: str | None = None, job_role_id: int | None = None
) -> TeamSummary:
    """`summary`, kept for TEAM_SUMMARY_CACHE_SECONDS per organisation and filter (the page says
    when its figures were counted): at 10,000 staff one summary takes over half a second to count,
    HR opens it often, and in a large organisation something changes every minute. A shared cache
    (Redis) serves every instance."""
    key = "team-summary:" + ":".join(
        str(x) for x in (org.id, getattr(line_manager, "id", ""), department or "", job_role_id or "")
    )
    found = cache.get(key)
    if found is None:
        found = summary(org, line_manager=line_manager, department=department, job_role_id=job_role_id)
        cache.set(key, found, timeout=current_app.config.get("TEAM_SUMMARY_CACHE_SECONDS", 120))
    return found


def line_managers(org) -> list[tuple[int, str]]:
    """Everyone who manages someone in ``org``, by name, as (``id``, ``name``) pairs for the
    filters: one query of two columns, kept in the cache until the data changes (and at most
    TEAM_SUMMARY_CACHE_SECONDS)."""
    key = f"line-managers:{data_version.current()}:{org.id}"
    found = cache.get(key)
    if found is None:
        managers = select(Membership.line_manager_id).where(
            Membership.organisation_id == org.id, Membership.line_manager_id.is_not(None)
        )
        found = [
            (member_id, name)
            for member_id, name in db.session.execute(
                select(Membership.id, User.name)
                .join(User, User.id == Membership.user_id)
                .where(Membership.id.in_(managers))
                .order_by(User.name, Membership.id)
            )
        ]
        cache.set(key, found, timeout=current_app.config.get("TEAM_SUMMARY_CACHE_SECONDS", 120))
    return found
