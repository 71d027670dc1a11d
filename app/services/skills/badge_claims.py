"""Which skills a digital badge claims, and at what level (1-4), read from the credential itself.

* A hub micro-credential signed by that record's own provider claims the record's skills, at the
  level its SCQF level gives (`level_from_scqf`, as everywhere skills are compared).
* Any other badge claims each of its skill alignments whose URL is a skill in the framework (ESCO),
  at the level its SCQF level alignment gives, or awareness (1) when it states none.

Whether a claim *counts* (the badge verified and names its holder) is the caller's rule: wallets
feed the skills profile, recruitment the fit against a vacancy.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Skill
from app.openbadges.issuing import LEVEL_TARGET_TYPE
from app.services.catalogue.lifecycle import level_from_scqf
from app.services.wallet.skills_feed import hub_record_of

MAX_ALIGNMENTS = 200


def _alignments(credential: dict[str, Any] | None) -> list[dict[str, Any]]:
    subject = (credential or {}).get("credentialSubject")
    if isinstance(subject, list):
        subject = next((s for s in subject if isinstance(s, dict)), None)
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if isinstance(achievement, list):
        achievement = next((a for a in achievement if isinstance(a, dict)), None)
    raw = achievement.get("alignment") if isinstance(achievement, dict) else None
    return [a for a in (raw if isinstance(raw, list) else [raw]) if isinstance(a, dict)]


def _scqf_level(alignments: list[dict[str, Any]]) -> int | None:
    for a in alignments:
        if a.get("targetType") == LEVEL_TARGET_TYPE and str(a.get("targetFramework", "")).upper() == "SCQF":
            try:
                return int(str(a.get("targetCode", "")).strip())
            except ValueError:
                return None
    return None


def claims_of(credential: dict[str, Any] | None, issuer_id: str | None) -> list[dict[str, int]]:
    """[{"skill_id": n, "level": n}] for the skills ``credential`` claims (see the module's rule)."""
    record = hub_record_of(credential, issuer_id)
    if record is not None:
        level = level_from_scqf(record.scqf_level)
        return [{"skill_id": s.id, "level": level} for s in record.skills]
    return alignment_claims(credential)


def alignment_claims(credential: dict[str, Any] | None) -> list[dict[str, int]]:
    """The claims of a badge's own skill alignments (ESCO URLs), ignoring any hub record."""
    alignments = _alignments(credential)
    urls = {
        a["targetUrl"]
        for a in alignments
        if isinstance(a.get("targetUrl"), str) and a.get("targetType") != LEVEL_TARGET_TYPE
    }
    if not urls:
        return []
    scqf = _scqf_level(alignments)
    level = level_from_scqf(scqf) if scqf else 1
    ids = db.session.scalars(select(Skill.id).where(Skill.uri.in_(sorted(urls)[:MAX_ALIGNMENTS]))).all()
    return [{"skill_id": i, "level": level} for i in sorted(ids)]
