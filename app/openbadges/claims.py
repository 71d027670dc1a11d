"""Reading what a Verifiable Credential claims: issuer, achievement, dates, recipient.

Pure functions over the credential JSON; tolerant of the shapes real issuers use
(a string or an object issuer, a subject object or list, an image URL or Image object).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from .issuing import LEVEL_TARGET_TYPE, normalise_email
from .result import Achievement, Check, CheckStatus, Issuer


def issuer_id(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        value = issuer.get("id")
        return value if isinstance(value, str) else None
    return issuer if isinstance(issuer, str) else None


def issuer_of(credential: dict[str, Any]) -> Issuer:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        name, url = issuer.get("name"), issuer.get("url")
        return Issuer(
            issuer_id(credential), name if isinstance(name, str) else None, url if isinstance(url, str) else None
        )
    return Issuer(issuer_id(credential))


def subject_of(credential: dict[str, Any]) -> dict[str, Any]:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list):
        subject = next((s for s in subject if isinstance(s, dict)), None)
    return subject if isinstance(subject, dict) else {}


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):  # language maps / Image objects
        for key in ("id", "@value", "en"):
            if isinstance(value.get(key), str):
                return str(value[key])
    return None


def _number(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value if isinstance(value, str) else None
    return f"{value:g}"


def achievement_of(credential: dict[str, Any]) -> Achievement:
    """The achievement summary shown to a person: name, level, credits, skills..."""
    achievement = subject_of(credential).get("achievement")
    if isinstance(achievement, list):
        achievement = next((a for a in achievement if isinstance(a, dict)), None)
    if not isinstance(achievement, dict):
        return Achievement(name=_text(credential.get("name")), description=_text(credential.get("description")))
    raw = achievement.get("alignment") or []
    alignments = [a for a in (raw if isinstance(raw, list) else [raw]) if isinstance(a, dict)]
    level = next((_text(a.get("targetName")) for a in alignments if a.get("targetType") == LEVEL_TARGET_TYPE), None)
    skills = [
        name for a in alignments if a.get("targetType") != LEVEL_TARGET_TYPE and (name := _text(a.get("targetName")))
    ]
    criteria = achievement.get("criteria")
    return Achievement(
        name=_text(achievement.get("name")) or _text(credential.get("name")),
        description=_text(achievement.get("description")),
        image=_text(achievement.get("image")),
        level=level,
        credits=_number(achievement.get("creditsAvailable")),
        skills=skills,
        criteria=_text(criteria.get("narrative")) if isinstance(criteria, dict) else None,
    )


def parse_instant(value: Any) -> datetime | None:
    """An XML Schema dateTime as an aware UTC datetime; raises ValueError when malformed."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date")
    moment = datetime.fromisoformat(value.strip())
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def window_of(credential: dict[str, Any]) -> tuple[str | None, str | None]:
    start = credential.get("validFrom", credential.get("issuanceDate"))
    end = credential.get("validUntil", credential.get("expirationDate"))
    return (start if isinstance(start, str) else None, end if isinstance(end, str) else None)


def check_validity_window(credential: dict[str, Any], now: datetime) -> tuple[Check, bool]:
    """(Check "validity_window", expired?) from validFrom/validUntil (or the VC 1.1 names)."""
    start_text, end_text = window_of(credential)
    try:
        start = parse_instant(credential.get("validFrom", credential.get("issuanceDate")))
        end = parse_instant(credential.get("validUntil", credential.get("expirationDate")))
    except ValueError as exc:
        return Check("validity_window", CheckStatus.FAIL, f"a validity date is malformed: {exc}"), False
    if start and end and end < start:
        return Check("validity_window", CheckStatus.FAIL, "the credential ends before it starts"), False
    if start and start > now:
        return Check("validity_window", CheckStatus.FAIL, f"not valid until {start_text}"), False
    if end and end < now:
        return Check("validity_window", CheckStatus.FAIL, f"expired on {end_text}"), True
    detail = f"valid from {start_text or 'issue'} " + (f"until {end_text}" if end_text else "with no expiry date")
    return Check("validity_window", CheckStatus.PASS, detail), False


def _identity_matches(identity: dict[str, Any], email: str) -> bool:
    given = identity.get("identityHash")
    if not isinstance(given, str):
        return False
    if identity.get("hashed") in (True, "true"):
        algorithm, _, digest = given.partition("$")
        if algorithm.lower() != "sha256":
            return False
        salt = str(identity.get("salt")) if isinstance(identity.get("salt"), str) else ""
        candidates = {email.strip(), normalise_email(email)}
        return any(hashlib.sha256((c + salt).encode()).hexdigest() == digest.lower() for c in candidates)
    return normalise_email(given) == normalise_email(email)


def check_recipient(credential: dict[str, Any], email: str | None) -> tuple[Check, bool | None]:
    """Compare a candidate's email with the credential's IdentityObjects (hashed or plain)."""
    if not email:
        return Check("recipient", CheckStatus.SKIP, "no email given to compare with the recipient"), None
    identities = subject_of(credential).get("identifier", [])
    identities = identities if isinstance(identities, list) else [identities]
    emails = [i for i in identities if isinstance(i, dict) and i.get("identityType", "emailAddress") == "emailAddress"]
    if not emails:
        return Check("recipient", CheckStatus.WARN, "the credential does not name its recipient by email"), None
    if any(_identity_matches(i, email) for i in emails):
        return Check("recipient", CheckStatus.PASS, f"issued to {email.strip()}"), True
    return Check("recipient", CheckStatus.FAIL, f"not issued to {email.strip()}"), False
