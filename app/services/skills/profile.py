"""A person's skills, as their employer sees them: what their credentials evidence and what their
line manager has assessed.

The rule, applied per skill:

* every micro-credential the person holds in this employer's context (`HeldCredential`) evidences
  each skill it teaches at ``level_from_scqf(its SCQF level)`` (1-4);
* only the *latest* assessment of a skill counts (a later judgement replaces an earlier one);
* the person's level is the **maximum** of the best credential level and the latest assessment.
  A credential is evidence that does not expire by someone's opinion, so an assessment can raise
  a level above what credentials show but never lower it below them.

Everything is loaded for many people at once in a fixed number of queries, so team views stay
bounded however many people or skills they show.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from app.domain.calendar import london_date
from app.extensions import db
from app.models.catalogue import MicroCredential, micro_credential_skills
from app.models.held_credentials import HeldCredential
from app.models.job_roles import AssessedSkill
from app.models.wallet import WalletCredential, WalletCredentialSkill
from app.services.catalogue.lifecycle import level_from_scqf


@dataclass
class SkillLevel:
    """One skill in a person's profile and where its level comes from."""

    skill_id: int
    credential_level: int | None = None
    credential_titles: list[str] = field(default_factory=list)
    assessed_level: int | None = None
    assessed_on: date | None = None
    assessed_note: str | None = None

    @property
    def level(self) -> int:
        return max(self.credential_level or 0, self.assessed_level or 0)

    @property
    def evidence(self) -> str:
        """Plain-English account of where the level comes from."""
        parts = []
        if self.credential_level:
            parts.append(f"level {self.credential_level} from " + ", ".join(self.credential_titles))
        if self.assessed_level:
            parts.append(f"assessed at level {self.assessed_level} on {london_date(self.assessed_on)}")
        return "; ".join(parts)


Profile = dict[int, SkillLevel]  # skill_id -> level and evidence


def held_credentials(org, user_ids) -> dict[int, list[HeldCredential]]:
    """Credentials held in `org`'s context by each of `user_ids`, micro-credential and skills loaded."""
    ids = list(set(user_ids))
    found: dict[int, list[HeldCredential]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.scalars(
        select(HeldCredential)
        .where(HeldCredential.visible_to(org), HeldCredential.user_id.in_(ids))
        .options(selectinload(HeldCredential.micro_credential).selectinload(MicroCredential.skills))
        .order_by(HeldCredential.achieved_on.desc(), HeldCredential.id.desc())
    ).all()
    for row in rows:
        found[row.user_id].append(row)
    return found


def latest_assessments(org, membership_ids) -> dict[int, dict[int, AssessedSkill]]:
    """membership_id -> skill_id -> the latest assessment (by date, then by when it was recorded)."""
    ids = list(set(membership_ids))
    latest: dict[int, dict[int, AssessedSkill]] = defaultdict(dict)
    if not ids:
        return latest
    rows = db.session.scalars(
        select(AssessedSkill)
        .where(AssessedSkill.visible_to(org), AssessedSkill.membership_id.in_(ids))
        .order_by(AssessedSkill.assessed_on, AssessedSkill.id)
    ).all()
    for row in rows:  # ascending, so the last one written wins
        latest[row.membership_id][row.skill_id] = row
    return latest


IMPORTED = "verified badge the holder imported"


def imported_claims(user_ids) -> dict[int, list[tuple[str, list[dict[str, int]]]]]:
    """Skills claimed by badges people imported into their wallets that are not hub
    micro-credentials, counting only those that verified and name their holder: user_id ->
    [(badge name, claims)]. One query."""
    ids = list(set(user_ids))
    found: dict[int, list[tuple[str, list[dict[str, int]]]]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.execute(
        select(
            WalletCredential.id,
            WalletCredential.user_id,
            WalletCredential.achievement_name,
            WalletCredentialSkill.skill_id,
            WalletCredentialSkill.level,
        )
        .join(WalletCredentialSkill, WalletCredentialSkill.wallet_credential_id == WalletCredential.id)
        .where(WalletCredential.user_id.in_(ids), counting_import())
        .order_by(WalletCredential.id, WalletCredentialSkill.skill_id)
    ).all()
    grouped: dict[tuple[int, int], tuple[str, list[dict[str, int]]]] = {}
    for entry_id, user_id, name, skill_id, level in rows:
        grouped.setdefault((user_id, entry_id), (name or "An imported badge", []))[1].append(
            {"skill_id": skill_id, "level": level}
        )
    for (user_id, _), claim in grouped.items():
        found[user_id].append(claim)
    return found


def counting_import():
    """The rule, as SQL, for an imported badge whose skills count: it verified and names its holder."""
    return and_(WalletCredential.verdict == "valid", WalletCredential.recipient_match.is_(True))


HeldSkill = tuple[str, int | None, int]  # a held micro-credential's title, SCQF level, one of its skills


def held_skills(org, user_ids) -> dict[int, list[HeldSkill]]:
    """user_id -> (title, SCQF level, skill id) for each skill of each micro-credential they hold
    in ``org``'s context, most recently achieved first: one query of plain rows (for profiles
    that need no credential objects, such as the team grid)."""
    ids = list(set(user_ids))
    found: dict[int, list[HeldSkill]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.execute(
        select(
            HeldCredential.user_id,
            MicroCredential.title,
            MicroCredential.scqf_level,
            micro_credential_skills.c.skill_id,
        )
        .join(MicroCredential, HeldCredential.micro_credential_id == MicroCredential.id)
        .join(micro_credential_skills, micro_credential_skills.c.micro_credential_id == MicroCredential.id)
        .where(HeldCredential.visible_to(org), HeldCredential.user_id.in_(ids))
        .order_by(HeldCredential.achieved_on.desc(), HeldCredential.id.desc())
    ).all()
    for user_id, title, level, skill_id in rows:
        found[user_id].append((title, level, skill_id))
    return found


def _skills_of(credentials: dict[int, list[HeldCredential]]) -> dict[int, list[HeldSkill]]:
    return {
        user_id: [
            (h.micro_credential.title, h.micro_credential.scqf_level, s.id)
            for h in held
            for s in h.micro_credential.skills
        ]
        for user_id, held in credentials.items()
    }


def profiles_for(org, memberships, credentials: dict[int, list[HeldCredential]] | None = None) -> dict[int, Profile]:
    """membership_id -> that person's skill profile, for every membership given (one org).

    `credentials` (from `held_credentials`) may be passed in when the caller already has them;
    otherwise only their skills are read, as plain rows (`held_skills`).
    """
    memberships = list(memberships)
    skills = held_skills(org, [m.user_id for m in memberships]) if credentials is None else _skills_of(credentials)
    assessments = latest_assessments(org, [m.id for m in memberships])
    imported = imported_claims([m.user_id for m in memberships])
    profiles: dict[int, Profile] = {}
    for membership in memberships:
        profile: Profile = {}
        for title, scqf_level, skill_id in skills.get(membership.user_id, []):
            entry = profile.setdefault(skill_id, SkillLevel(skill_id))
            entry.credential_level = max(entry.credential_level or 0, level_from_scqf(scqf_level))
            if title not in entry.credential_titles:
                entry.credential_titles.append(title)
        for name, claims in imported.get(membership.user_id, []):
            title = f"{name} ({IMPORTED})"
            for claim in claims:
                entry = profile.setdefault(claim["skill_id"], SkillLevel(claim["skill_id"]))
                entry.credential_level = max(entry.credential_level or 0, int(claim["level"]))
                if title not in entry.credential_titles:
                    entry.credential_titles.append(title)
        for skill_id, assessed in assessments.get(membership.id, {}).items():
            entry = profile.setdefault(skill_id, SkillLevel(skill_id))
            entry.assessed_level = assessed.level
            entry.assessed_on = assessed.assessed_on
            entry.assessed_note = assessed.note
        profiles[membership.id] = profile
    return profiles


def profile_for(org, membership) -> Profile:
    """One person's skill profile in `org`."""
    return profiles_for(org, [membership])[membership.id]
