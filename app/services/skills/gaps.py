"""Skills gaps: a person's skills against their job role, and a team's as a grid.

Each required skill of the role is in one of three states:

* **covered**: the person's level (see `skills_profile`) is at or above the role's target;
* **partly covered**: they have the skill, below the target;
* **missing**: no credential or assessment shows the skill at all.

Every state has a text label and a tag colour; screens show both, never colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Membership, MembershipStatus, User
from app.models.catalogue import MicroCredential
from app.models.held_credentials import HeldCredential
from app.models.job_roles import PROFICIENCY_LABELS, JobRole, JobRoleSkill
from app.models.skills import Skill
from app.services.skills.profile import Profile, SkillLevel, held_credentials, profiles_for


class GapState(StrEnum):
    COVERED = "covered"
    PARTLY = "partly"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return {"covered": "Covered", "partly": "Partly covered", "missing": "Missing"}[self.value]

    @property
    def colour(self) -> str:
        """GOV.UK tag colour: green, yellow, red, always shown with the label."""
        return {"covered": "green", "partly": "yellow", "missing": "red"}[self.value]


def gap_state(level: int | None, target: int) -> GapState:
    """Covered at or above target, partly below it, missing when the person has no level."""
    if not level:
        return GapState.MISSING
    return GapState.COVERED if level >= target else GapState.PARTLY


@dataclass
class SkillGap:
    skill: Skill
    target: int
    evidence: SkillLevel | None

    @property
    def level(self) -> int:
        return self.evidence.level if self.evidence else 0

    @property
    def state(self) -> GapState:
        return gap_state(self.level, self.target)

    @property
    def text(self) -> str:
        """Short cell text, e.g. "Partly covered: level 2 of 3"."""
        return f"{self.state.label}: level {self.level} of {self.target}"

    @property
    def target_label(self) -> str:
        return f"{self.target} ({PROFICIENCY_LABELS[self.target]})"


@dataclass
class PersonGaps:
    membership: Membership
    job_role: JobRole | None
    gaps: list[SkillGap] = field(default_factory=list)
    profile: Profile = field(default_factory=dict)
    held: list[HeldCredential] = field(default_factory=list)  # newest first, micro-credential loaded

    def in_state(self, state: GapState) -> list[SkillGap]:
        return [g for g in self.gaps if g.state == state]

    @property
    def to_learn(self) -> list[SkillGap]:
        """Skills a pathway should teach: missing or below target."""
        return [g for g in self.gaps if g.state != GapState.COVERED]

    @property
    def held_keys(self) -> set[tuple[int, str]]:
        """(provider_id, code) of every micro-credential held, whatever the version."""
        return {(h.micro_credential.provider_id, h.micro_credential.code) for h in self.held}

    @property
    def held_once(self) -> list[HeldOnce]:
        """Each micro-credential held (any version), once, with every source that records it (an award on
        Credwork that HR also recorded is one credential, not two)."""
        merged: dict[tuple[int, str], HeldOnce] = {}
        for h in self.held:  # newest first: the newest version held names the entry
            key = (h.micro_credential.provider_id, h.micro_credential.code)
            entry = merged.setdefault(key, HeldOnce(h.micro_credential, h.achieved_on))
            entry.achieved_on = min(entry.achieved_on, h.achieved_on)
            if h.source_label not in entry.sources:
                entry.sources.append(h.source_label)
        return list(merged.values())

    @property
    def counts(self) -> dict[GapState, int]:
        return {state: len(self.in_state(state)) for state in GapState}


@dataclass
class HeldOnce:
    """One micro-credential a person holds and where the employer's records of it come from."""

    micro_credential: MicroCredential
    achieved_on: date
    sources: list[str] = field(default_factory=list)


def roles_with_skills(org, role_ids) -> dict[int, JobRole]:
    """Job roles by id with their required skills (each skill loaded) and mappings, in three queries."""
    ids = [i for i in set(role_ids) if i]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(JobRole)
        .where(JobRole.visible_to(org), JobRole.id.in_(ids))
        .options(selectinload(JobRole.skills).joinedload(JobRoleSkill.skill), selectinload(JobRole.micro_credentials))
    ).all()
    return {r.id: r for r in rows}


def _sorted_requirements(role: JobRole) -> list[JobRoleSkill]:
    return sorted(role.skills, key=lambda rs: (-rs.target_level, rs.skill.label))


def gaps_for(org, memberships, *, with_credentials: bool = True) -> list[PersonGaps]:
    """Gaps for each membership against its own job role (people without a role get no gaps);
    ``with_credentials=False`` leaves out each person's held credentials (a grid shows only the
    gaps, and reading the credentials' skills as plain rows is much cheaper)."""
    memberships = list(memberships)
    roles = roles_with_skills(org, [m.job_role_id for m in memberships])
    credentials = held_credentials(org, [m.user_id for m in memberships]) if with_credentials else None
    profiles = profiles_for(org, memberships, credentials)
    result = []
    for m in memberships:
        role = roles.get(m.job_role_id)
        profile = profiles[m.id]
        gaps = (
            [SkillGap(rs.skill, rs.target_level, profile.get(rs.skill_id)) for rs in _sorted_requirements(role)]
            if role
            else []
        )
        result.append(PersonGaps(m, role, gaps, profile, (credentials or {}).get(m.user_id, [])))
    return result


def person_gaps(org, membership: Membership) -> PersonGaps:
    """One person's gaps against their job role."""
    return gaps_for(org, [membership])[0]


@dataclass
class TeamGrid:
    """People (rows) by required skills (columns); a cell is None where the skill is not in that
    person's role."""

    people: list[PersonGaps]
    skills: list  # Skill, in column order

    def __post_init__(self):
        self._cells = {(p.membership.id, g.skill.id): g for p in self.people for g in p.gaps}

    def cell(self, person: PersonGaps, skill) -> SkillGap | None:
        return self._cells.get((person.membership.id, skill.id))

    def summary(self, skill) -> dict[GapState, int]:
        """How many people are in each state for one skill (a column total)."""
        counts = {state: 0 for state in GapState}
        for person in self.people:
            gap = self.cell(person, skill)
            if gap:
                counts[gap.state] += 1
        return counts


def team_stmt(org, line_manager: Membership | None, department: str | None, job_role_id: int | None, *, names=True):
    """The members in scope; ``names=False`` leaves out the join to their accounts (for counts)."""
    stmt = select(Membership)
    if names:
        stmt = stmt.join(User, Membership.user_id == User.id)
    stmt = stmt.where(Membership.visible_to(org), Membership.status == MembershipStatus.ACTIVE)
    if line_manager is not None:
        stmt = stmt.where(Membership.line_manager_id == line_manager.id)
    if department:
        stmt = stmt.where(Membership.department == department)
    if job_role_id:
        stmt = stmt.where(Membership.job_role_id == job_role_id)
    return stmt


def team_members(
    org, *, line_manager: Membership | None = None, department: str | None = None, job_role_id: int | None = None
) -> list[Membership]:
    """Active members of `org` (with user loaded): one manager's reports, or everyone, filtered."""
    stmt = team_stmt(org, line_manager, department, job_role_id)
    return list(db.session.scalars(stmt.options(joinedload(Membership.user)).order_by(User.name)).unique())


TEAM_PAGE_SIZE = 25


@dataclass
class TeamPage:
    """One page of a team (people by name) and counts over the whole team."""

    members: list[Membership]
    page: int
    total: int
    by_role: list[tuple[str, int]]  # (job role title, people), largest first; "No job role" too

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // TEAM_PAGE_SIZE))

    @property
    def first(self) -> int:
        return (self.page - 1) * TEAM_PAGE_SIZE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * TEAM_PAGE_SIZE, self.total)


def team_page(
    org,
    *,
    line_manager: Membership | None = None,
    department: str | None = None,
    job_role_id: int | None = None,
    page: int = 1,
) -> TeamPage:
    """One page of the team, TEAM_PAGE_SIZE people by name, with how many people hold each job role:
    three queries however large the team (the count by role gives the total; the page's gaps are
    then loaded for those people only)."""
    stmt = team_stmt(org, line_manager, department, job_role_id)
    scope = team_stmt(org, line_manager, department, job_role_id, names=False)
    per_role = dict(
        db.session.execute(
            scope.with_only_columns(Membership.job_role_id, func.count()).group_by(Membership.job_role_id)
        ).all()
    )
    total = sum(per_role.values())
    page = max(1, min(page, max(1, -(-total // TEAM_PAGE_SIZE))))
    members = list(
        db.session.scalars(
            stmt.options(joinedload(Membership.user))
            .order_by(User.name, Membership.id)
            .limit(TEAM_PAGE_SIZE)
            .offset((page - 1) * TEAM_PAGE_SIZE)
        ).unique()
    )
    titles = dict(
        db.session.execute(
            select(JobRole.id, JobRole.title).where(JobRole.id.in_([r for r in per_role if r is not None]))
        ).all()
    )
    by_title: dict[str, int] = {}
    for role_id, n in per_role.items():
        title = titles.get(role_id, "No job role") if role_id is not None else "No job role"
        by_title[title] = by_title.get(title, 0) + n
    counts = sorted(by_title.items(), key=lambda pair: (-pair[1], pair[0]))
    return TeamPage(members, page, total, counts)


def _grid(people: list[PersonGaps]) -> TeamGrid:
    columns: dict[int, Skill] = {}
    for person in people:
        for gap in person.gaps:
            columns.setdefault(gap.skill.id, gap.skill)
    return TeamGrid(people, sorted(columns.values(), key=lambda s: s.label))


def team_grid(org, memberships) -> TeamGrid:
    """One heat map for these people (columns: every skill any of their roles needs); people
    without a job role are left out."""
    return _grid([p for p in gaps_for(org, memberships, with_credentials=False) if p.job_role is not None])


def team_grids(org, memberships) -> list[tuple[JobRole, TeamGrid]]:
    """One heat map per job role, by department and title: people in a role share its columns,
    so each table stays dense however many roles the team spans."""
    by_role: dict[int, list[PersonGaps]] = {}
    for person in gaps_for(org, memberships, with_credentials=False):
        if person.job_role is not None:
            by_role.setdefault(person.job_role.id, []).append(person)
    grids = [(role, _grid(people)) for people in by_role.values() if (role := people[0].job_role) is not None]
    return sorted(grids, key=lambda pair: (pair[0].department or "", pair[0].title))
