"""Imported badges feed the skills profile, gap analysis and pathway.

Only a badge that verifies and names its holder counts, and only when it is a micro-credential
from the hub signed by that record's own provider: its achievement is the hub record's
`/hub/<provider>/<code>/v<version>/achievement.json` and its issuer is the provider's issuer DID
(anyone can sign a badge that *points* at a hub record). It then counts in the context of each
employer the holder works for, as a `HeldCredential` labelled "Verified badge the holder imported",
which HR sees and cannot edit. When a re-check finds it no longer valid, or the holder removes it,
those records go.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import delete, select

from app.extensions import db
from app.models import HeldCredential, Membership, MembershipStatus, MicroCredential, Organisation
from app.models.badges import IssuerProfile
from app.models.held_credentials import HeldCredentialSource
from app.models.wallet import WalletCredential
from app.services import links

_ACHIEVEMENT_PATH = re.compile(r"^/hub/(?P<slug>[^/]+)/(?P<code>[^/]+)/v(?P<version>\d+)/achievement\.json$")


def _achievement_id(credential: dict[str, Any] | None) -> str | None:
    subject = (credential or {}).get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    value = achievement.get("id") if isinstance(achievement, dict) else None
    return value if isinstance(value, str) else None


def hub_record_of(credential: dict[str, Any] | None, issuer_id: str | None) -> MicroCredential | None:
    """The hub record a verified credential is for, when its issuer is that record's provider."""
    achievement_id = _achievement_id(credential)
    base = links.public_url("/").rstrip("/")
    if not achievement_id or not issuer_id or not achievement_id.startswith(base):
        return None
    found = _ACHIEVEMENT_PATH.match(achievement_id[len(base) :])
    if not found:
        return None
    return db.session.scalar(
        select(MicroCredential)
        .join(Organisation, MicroCredential.provider_id == Organisation.id)
        .join(IssuerProfile, IssuerProfile.organisation_id == Organisation.id)
        .where(
            Organisation.slug == found["slug"],
            MicroCredential.code == found["code"],
            MicroCredential.version == int(found["version"]),
            IssuerProfile.did == issuer_id,
        )
    )


def _achieved_on(issued_on: str | None, fallback: date) -> date:
    try:
        return date.fromisoformat((issued_on or "")[:10])
    except ValueError:
        return fallback


def sync(entry: WalletCredential, result) -> int:
    """Make the employer records of ``entry`` match its latest check. Returns how many it has."""
    record = None
    if entry.verdict == "valid" and entry.recipient_match is True:
        record = hub_record_of(result.credential, result.issuer.id)
    if record is None:
        drop(entry)
        return 0
    employers = db.session.scalars(
        select(Membership.organisation_id)
        .join(Organisation, Membership.organisation_id == Organisation.id)
        .where(
            Membership.user_id == entry.user_id,
            Membership.status == MembershipStatus.ACTIVE,
            Organisation.kind == "employer",
        )
    ).all()
    have = set(
        db.session.scalars(
            select(HeldCredential.organisation_id).where(HeldCredential.wallet_credential_id == entry.id)
        ).all()
    )
    for org_id in employers:
        if org_id not in have:
            db.session.add(
                HeldCredential(
                    user_id=entry.user_id,
                    organisation_id=org_id,
                    micro_credential_id=record.id,
                    achieved_on=_achieved_on(result.issued_on, entry.created_at.date()),
                    source=HeldCredentialSource.VERIFIED,
                    wallet_credential_id=entry.id,
                )
            )
    db.session.flush()
    return len(employers)


def drop(entry: WalletCredential) -> None:
    db.session.execute(delete(HeldCredential).where(HeldCredential.wallet_credential_id == entry.id))
