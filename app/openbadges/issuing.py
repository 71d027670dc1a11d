"""Building and signing OpenBadgeCredentials (VC Data Model 2.0 + Open Badges 3.0.3).

Functions take plain values (the dataclasses below), never ORM objects, so the web
layer decides where the data comes from. Level is written as an alignment with
``targetType`` ``ext:Level`` (OB 3.0 has no level property); credits go in
``creditsAvailable``; skills are alignments to their framework URI (ESCO).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .documents import CREDENTIALS_V2, OB_V3P0_CONTEXT
from .keys import KeyPair
from .proofs import RDFC, sign
from .vc_jwt import sign_jwt

OB3_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
LEVEL_TARGET_TYPE = "ext:Level"
SKILL_TARGET_TYPE = "ceasn:Competency"


@dataclass
class IssuerProfile:
    """The awarding body as it appears in the credential; ``id`` is its DID."""

    id: str
    name: str
    url: str | None = None
    email: str | None = None
    image: str | None = None
    description: str | None = None


@dataclass
class Skill:
    """A skill the achievement aligns to, e.g. an ESCO skill by its concept URI."""

    name: str
    url: str
    framework: str = "ESCO"
    code: str | None = None
    description: str | None = None


@dataclass
class Level:
    """A framework level, e.g. Level("SCQF", "7") or Level("EQF", "5")."""

    framework: str
    level: str
    url: str | None = None

    @property
    def label(self) -> str:
        return f"{self.framework} level {self.level}"


@dataclass
class AchievementSpec:
    """What was achieved: the hub's micro-credential record, flattened."""

    id: str
    name: str
    description: str
    criteria: str
    image: str | None = None
    criteria_url: str | None = None
    achievement_type: str = "MicroCredential"
    credits_available: float | None = None
    field_of_study: str | None = None
    level: Level | None = None
    learning_outcomes: list[str] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    human_code: str | None = None


@dataclass
class EvidenceLink:
    url: str
    name: str | None = None
    description: str | None = None


@dataclass
class StatusEntry:
    """Where this credential's bit lives in a BitstringStatusList credential."""

    list_url: str
    index: int
    purpose: str = "revocation"


@dataclass
class Award:
    """One award to one learner."""

    recipient_email: str
    valid_from: datetime
    valid_until: datetime | None = None
    credential_id: str | None = None
    recipient_name: str | None = None
    evidence: list[EvidenceLink] = field(default_factory=list)
    status: StatusEntry | None = None
    salt: str | None = None


def iso(moment: datetime) -> str:
    """UTC ``YYYY-MM-DDTHH:MM:SSZ`` (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_email(email: str, salt: str) -> str:
    """``sha256$<hex>`` of the normalised email followed by the salt (OB identity hash)."""
    return "sha256$" + hashlib.sha256((normalise_email(email) + salt).encode("utf-8")).hexdigest()


def _image(url: str | None) -> dict[str, str] | None:
    return {"id": url, "type": "Image"} if url else None


def _alignments(spec: AchievementSpec) -> list[dict[str, Any]]:
    aligned = []
    # The 1EdTech schema requires targetUrl on every alignment: a level without a URL to explain
    # it is left out rather than making the credential fail schema validation.
    if spec.level and spec.level.url:
        aligned.append(
            {
                "type": ["Alignment"],
                "targetName": spec.level.label,
                "targetCode": spec.level.level,
                "targetFramework": spec.level.framework,
                "targetType": LEVEL_TARGET_TYPE,
                "targetUrl": spec.level.url,
            }
        )
    for skill in spec.skills:
        entry = {
            "type": ["Alignment"],
            "targetName": skill.name,
            "targetUrl": skill.url,
            "targetFramework": skill.framework,
            "targetType": SKILL_TARGET_TYPE,
        }
        if skill.code:
            entry["targetCode"] = skill.code
        if skill.description:
            entry["targetDescription"] = skill.description
        aligned.append(entry)
    return aligned


def _achievement(spec: AchievementSpec) -> dict[str, Any]:
    narrative = spec.criteria
    if spec.learning_outcomes:
        narrative += "\n\nLearning outcomes:\n" + "\n".join(f"- {o}" for o in spec.learning_outcomes)
    criteria: dict[str, Any] = {"narrative": narrative}
    if spec.criteria_url:
        criteria["id"] = spec.criteria_url
    achievement: dict[str, Any] = {
        "id": spec.id,
        "type": ["Achievement"],
        "achievementType": spec.achievement_type,
        "name": spec.name,
        "description": spec.description,
        "criteria": criteria,
    }
    optional = {
        "image": _image(spec.image),
        "creditsAvailable": spec.credits_available,
        "fieldOfStudy": spec.field_of_study,
        "humanCode": spec.human_code,
        "alignment": _alignments(spec) or None,
    }
    achievement.update({k: v for k, v in optional.items() if v is not None})
    return achievement


def achievement_document(spec: AchievementSpec) -> dict[str, Any]:
    """The Achievement on its own, as published at its id URL (JSON-LD with the OB 3.0 context)."""
    return {"@context": [CREDENTIALS_V2, OB_V3P0_CONTEXT], **_achievement(spec)}


def _issuer(profile: IssuerProfile) -> dict[str, Any]:
    issuer: dict[str, Any] = {"id": profile.id, "type": ["Profile"], "name": profile.name}
    optional = {
        "url": profile.url,
        "email": profile.email,
        "description": profile.description,
        "image": _image(profile.image),
    }
    issuer.update({k: v for k, v in optional.items() if v is not None})
    return issuer


def build_credential(issuer: IssuerProfile, achievement: AchievementSpec, award: Award) -> dict[str, Any]:
    """An unsigned OpenBadgeCredential for one learner (recipient = salted email hash)."""
    salt = award.salt or secrets.token_hex(16)
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": hash_email(award.recipient_email, salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": salt,
            }
        ],
        "achievement": _achievement(achievement),
    }
    if award.recipient_name:
        subject["name"] = award.recipient_name
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2, OB_V3P0_CONTEXT],
        "id": award.credential_id or f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement.name,
        "issuer": _issuer(issuer),
        "validFrom": iso(award.valid_from),
        "awardedDate": iso(award.valid_from),
        "credentialSubject": subject,
        "credentialSchema": [{"id": OB3_SCHEMA, "type": "JsonSchema"}],
    }
    if award.valid_until:
        credential["validUntil"] = iso(award.valid_until)
    if award.evidence:
        credential["evidence"] = [
            {
                k: v
                for k, v in {"id": e.url, "type": ["Evidence"], "name": e.name, "description": e.description}.items()
                if v is not None
            }
            for e in award.evidence
        ]
    if award.status:
        s = award.status
        credential["credentialStatus"] = {
            "id": f"{s.list_url}#{s.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": s.purpose,
            "statusListIndex": str(s.index),
            "statusListCredential": s.list_url,
        }
    return credential


def build_status_list_credential(
    issuer_id: str,
    list_url: str,
    encoded_list: str,
    *,
    purpose: str = "revocation",
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> dict[str, Any]:
    """An unsigned BitstringStatusListCredential published at ``list_url``.

    ``encoded_list`` is the GZIP+base64url bitstring (see ``status.encode_status_list``).
    Sign it with :func:`sign_credential` using the issuer's current key; verifiers only
    trust a list whose proof verifies with a key of the list's own issuer.
    """
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": iso(valid_from or datetime.now(UTC)),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list,
        },
    }
    if valid_until:
        credential["validUntil"] = iso(valid_until)
    return credential


def sign_credential(
    credential: dict[str, Any],
    key_pair: KeyPair,
    *,
    verification_method: str,
    suite: str = RDFC,
    created: datetime | None = None,
) -> dict[str, Any]:
    """Add a Data Integrity proof (``eddsa-rdfc-2022`` by default) made with the issuer's key."""
    return sign(
        credential,
        key_pair,
        verification_method=verification_method,
        suite=suite,
        created=iso(created) if created else None,
        proof_as_list=True,
    )


def issue(
    issuer: IssuerProfile, achievement: AchievementSpec, award: Award, key_pair: KeyPair, *, verification_method: str
) -> dict[str, Any]:
    """Build and sign an OpenBadgeCredential with ``eddsa-rdfc-2022``."""
    return sign_credential(
        build_credential(issuer, achievement, award), key_pair, verification_method=verification_method
    )


def issue_jwt(credential: dict[str, Any], key_pair: KeyPair, *, verification_method: str) -> str:
    """The same credential (any embedded proof removed) as an EdDSA VC-JWT (VC-JOSE-COSE)."""
    return sign_jwt(credential, key_pair, kid=verification_method)
