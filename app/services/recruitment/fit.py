"""A candidate's fit against a vacancy: for each skill it asks for, whether a verified badge covers
it, to what level, and which badge and check prove it.

The rule:

* a badge *claims* skills (`app.services.skills.badge_claims`: a hub record's skills, or its own
  ESCO alignments);
* a claim *counts* only when the badge verified as valid and names the candidate;
* a skill is **met** when a counting badge reaches the target level, **partly** met when one
  covers it below the target, and otherwise **not covered**. A skill claimed only by badges that
  do not count says which, and why.

Claims are worked out once, when a badge is checked, and kept on the badge; the
fit itself is arithmetic over them, so a page of candidates needs no more queries than its rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.recruitment import Candidate, CandidateBadge, Vacancy, VacancySkill


class FitState(StrEnum):
    MET = "met"
    PARTLY = "partly"
    MISSING = "missing"


FIT_LABELS = {"met": "Covered", "partly": "Covered below the target", "missing": "Not covered"}
FIT_COLOURS = {"met": "green", "partly": "yellow", "missing": "red"}


@dataclass
class SkillFit:
    """One required skill for one candidate."""

    requirement: VacancySkill
    level: int = 0
    proven_by: CandidateBadge | None = None
    # Badges that claim the skill but do not count, each with the reason.
    not_counted: list[tuple[CandidateBadge, str]] = field(default_factory=list)

    @property
    def state(self) -> FitState:
        if self.level >= self.requirement.target_level:
            return FitState.MET
        return FitState.PARTLY if self.level else FitState.MISSING

    @property
    def status_label(self) -> str:
        return FIT_LABELS[self.state]

    @property
    def status_colour(self) -> str:
        return FIT_COLOURS[self.state]


def why_not_counted(badge: CandidateBadge) -> str:
    """Why a badge's skills do not count, in words for the recruiter."""
    if badge.verdict == "valid":
        return "it does not name this candidate"
    return f"it is {badge.verdict_label.lower()}" + (f": {badge.reason}" if badge.reason else "")


def fit_of(requirements: Iterable[VacancySkill], badges: Iterable[CandidateBadge]) -> list[SkillFit]:
    badges = list(badges)
    rows = []
    for req in requirements:
        row = SkillFit(req)
        for badge in badges:
            level = max(
                (c["level"] for c in badge.claimed_skills or [] if c.get("skill_id") == req.skill_id), default=0
            )
            if not level:
                continue
            if not badge.proves_skills:
                row.not_counted.append((badge, why_not_counted(badge)))
            elif level > row.level:
                row.level, row.proven_by = level, badge
        rows.append(row)
    return rows


def score(fits: list[SkillFit]) -> tuple[int, int]:
    """(skills met, skills partly met)."""
    return (
        sum(1 for f in fits if f.state == FitState.MET),
        sum(1 for f in fits if f.state == FitState.PARTLY),
    )


def refresh(candidate: Candidate, requirements: list[VacancySkill], badges: list[CandidateBadge]) -> None:
    """Keep the candidate's fit counts (which the lists sort by) in step with their badges."""
    candidate.skills_met, candidate.skills_partly = score(fit_of(requirements, badges))


def requirements_of(vacancy: Vacancy) -> list[VacancySkill]:
    return list(
        db.session.scalars(select(VacancySkill).where(VacancySkill.vacancy_id == vacancy.id).order_by(VacancySkill.id))
    )


def refresh_vacancy(vacancy: Vacancy) -> None:
    """After the vacancy's skills change: every candidate's counts again, in two queries."""
    requirements = requirements_of(vacancy)
    candidates = db.session.scalars(
        select(Candidate).where(Candidate.vacancy_id == vacancy.id).options(selectinload(Candidate.badges))
    ).all()
    for candidate in candidates:
        refresh(candidate, requirements, candidate.badges)
    db.session.flush()


@dataclass
class Comparison:
    """The shortlist table: candidates as columns, the vacancy's skills as rows."""

    requirements: list[VacancySkill]
    candidates: list[Candidate]
    fits: dict[int, list[SkillFit]]  # candidate id -> one SkillFit per requirement, in order
    badges: dict[int, list[CandidateBadge]]  # candidate id -> their badges

    def cell(self, candidate: Candidate, index: int) -> SkillFit:
        return self.fits[candidate.id][index]


def comparison(vacancy: Vacancy, candidates: list[Candidate]) -> Comparison:
    """The table for these candidates (their badges loaded in one query)."""
    requirements = requirements_of(vacancy)
    ids = [c.id for c in candidates]
    by_candidate: dict[int, list[CandidateBadge]] = {i: [] for i in ids}
    if ids:
        for badge in db.session.scalars(
            select(CandidateBadge).where(CandidateBadge.candidate_id.in_(ids)).order_by(CandidateBadge.id)
        ):
            by_candidate[badge.candidate_id].append(badge)
    fits = {i: fit_of(requirements, by_candidate[i]) for i in ids}
    return Comparison(requirements, candidates, fits, by_candidate)
