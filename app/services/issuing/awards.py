"""Awarding micro-credentials as Open Badges 3.0: issue, revoke, re-issue, claim.

A coordinator awards their provider's *current published* version of a micro-credential to
a learner. The award is signed twice from the same content: an ``eddsa-rdfc-2022`` Data
Integrity proof (the JSON-LD download) and an EdDSA VC-JWT. Everything is audited.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from app.domain import DomainError, calendar
from app.extensions import db
from app.models import HeldCredential, Membership, MembershipStatus, MicroCredential, Organisation, RecordStatus, User
from app.models.badges import REISSUED_REASON, IssuedCredential
from app.models.base import utcnow
from app.models.held_credentials import HeldCredentialSource
from app.openbadges import issuing as engine
from app.security import tokens
from app.services import audit, links, mail
from app.services.cpd import workflow
from app.services.issuing import issuers, status_lists

# A replaced badge is revoked with this reason (its public page says a replacement exists).
REISSUED = REISSUED_REASON


class IssuingError(DomainError):
    """The award cannot be made as asked (message is for the coordinator)."""


@dataclass
class Learner:
    """Who receives the award, as the coordinator typed it."""

    name: str
    email: str


def credential_url(public_id: str) -> str:
    """The credential's public page (and its id inside the signed credential)."""
    return links.public_url(f"/credentials/{public_id}")


def check_email(email: str) -> str:
    """The normalised email, or IssuingError with a message fit for a form."""
    try:
        return validate_email((email or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise IssuingError(
            "Enter an email address in the correct format, like name@example.com", field="email"
        ) from None


def awardable(org: Organisation) -> list[MicroCredential]:
    """The provider's published micro-credentials (current versions), by title."""
    return list(
        db.session.scalars(
            select(MicroCredential)
            .where(MicroCredential.provider_id == org.id, MicroCredential.status == RecordStatus.PUBLISHED)
            .order_by(MicroCredential.title)
        )
    )


def _record_links(record: MicroCredential) -> dict[str, str]:
    # Paths of the hub's public routes (app.blueprints.hub) for this exact version.
    hub = links.public_url(f"/hub/{record.provider.slug}/{record.code}")
    return {
        "achievement": f"{hub}/v{record.version}/achievement.json",
        "page": f"{hub}?version={record.version}",
        "image": f"{hub}/v{record.version}/image.svg",
    }


def achievement_spec(record: MicroCredential) -> engine.AchievementSpec:
    """The hub record as the engine's AchievementSpec (level, credits, outcomes, ESCO skills)."""
    urls = _record_links(record)
    return engine.AchievementSpec(
        id=urls["achievement"],
        name=record.title,
        description=record.summary or record.title,
        criteria=f"Passed the assessment ({record.assessment_type or 'as set by the provider'}).",
        criteria_url=urls["page"],
        image=urls["image"],
        achievement_type="MicroCredential",
        credits_available=float(record.scqf_credits) if record.scqf_credits else None,
        # The 1EdTech schema requires a targetUrl on every alignment: our glossary explains SCQF levels.
        level=engine.Level("SCQF", str(record.scqf_level), url=links.public_url("/glossary#scqf-level")),
        learning_outcomes=list(record.learning_outcomes or []),
        skills=[
            engine.Skill(name=s.label, url=s.uri, framework="ESCO", description=s.description) for s in record.skills
        ],
        human_code=record.code,
    )


def _issuer_spec(profile) -> engine.IssuerProfile:
    return engine.IssuerProfile(id=profile.did, name=profile.name, url=profile.url)


def sign(
    actor,
    org,
    spec: engine.AchievementSpec,
    learner: Learner,
    *,
    valid_until: datetime | None,
    evidence_url: str | None,
    **achieved: int,
) -> IssuedCredential:
    """Sign `spec` for `learner` (both proofs) and keep it; `achieved` names what it is for
    (micro_credential_id, or programme_id and apprenticeship_id)."""
    profile = issuers.ensure_profile(actor, org)
    key = issuers.current_key(profile)
    status_list, index = status_lists.allocate(profile)
    public_id = str(uuid.uuid4())
    now = utcnow()
    award = engine.Award(
        recipient_email=learner.email,
        recipient_name=learner.name,
        valid_from=now,
        valid_until=valid_until,
        credential_id=credential_url(public_id),
        evidence=[engine.EvidenceLink(url=evidence_url, name="Evidence")] if evidence_url else [],
        status=engine.StatusEntry(status_lists.url_of(status_list), index),
    )
    pair = issuers.key_pair(key)
    signed = engine.issue(_issuer_spec(profile), spec, award, pair, verification_method=key.verification_method)
    jwt = engine.issue_jwt(signed, pair, verification_method=key.verification_method)
    issued = IssuedCredential(
        public_id=public_id,
        organisation_id=org.id,
        issuer_profile_id=profile.id,
        signing_key_id=key.id,
        **achieved,
        recipient_name=learner.name,
        recipient_email=learner.email,
        issued_at=now,
        valid_until=valid_until,
        evidence_url=evidence_url,
        credential_text=json.dumps(signed, ensure_ascii=False),
        credential_jwt=jwt,
        status_list_id=status_list.id,
        status_index=index,
        issued_by_id=getattr(actor, "id", None),
    )
    db.session.add(issued)
    db.session.flush()
    return issued


def _link_learner(issued: IssuedCredential, record: MicroCredential) -> None:
    """Record the award in the learner's employer record(s), when they are a Credwork user."""
    user = db.session.scalar(select(User).where(User.email == issued.recipient_email))
    if user is None:
        return
    issued.user_id = user.id
    employers = db.session.scalars(
        select(Membership.organisation_id)
        .join(Organisation)
        .where(
            Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE, Organisation.kind == "employer"
        )
    ).all()
    for org_id in employers:
        db.session.add(
            HeldCredential(
                user_id=user.id,
                organisation_id=org_id,
                micro_credential_id=record.id,
                achieved_on=issued.issued_at.date(),
                source=HeldCredentialSource.ISSUED,
                issued_credential_id=issued.id,
            )
        )
    workflow.link_issued_credential(user, record, issued.id)


def claim_link_days() -> int:
    return int(current_app.config.get("CLAIM_LINK_DAYS", 30))


def claim_link_expired(issued: IssuedCredential, now: datetime | None = None) -> bool:
    """The claim link has passed its expiry (links sent before expiry existed never expire)."""
    return bool(issued.claim_expires_at and (now or utcnow()) >= issued.claim_expires_at)


def send_claim(issued: IssuedCredential) -> None:
    """Email the learner a single-use link to accept the badge (only its digest is stored).

    Sending again replaces the link: the one sent before stops working."""
    record, org = issued.micro_credential, issued.organisation
    token, digest = tokens.new_token()
    issued.claim_token_hash = digest
    issued.claim_expires_at = utcnow() + timedelta(days=claim_link_days())
    link = links.public_url(f"/credentials/claim/{token}")
    mail.send(
        issued.recipient_email,
        f"Your badge from {org.name}: {record.title}",
        f"Dear {issued.recipient_name},\n\n{org.name} has awarded you the micro-credential "
        f'"{record.title}" as a digital badge (Open Badges 3.0).\n\nAccept it here (the link works once, '
        f"until {calendar.london(issued.claim_expires_at)}):\n"
        f"{link}\n\nAnyone you share it with can check it at {credential_url(issued.public_id)}\n",
    )


def _check_resendable(issued: IssuedCredential) -> None:
    if issued.claimed_at:
        raise IssuingError("The learner has already accepted this badge")
    if issued.revoked_at:
        raise IssuingError("This badge is revoked: there is nothing to accept")


def resend_claim(actor, issued: IssuedCredential) -> None:
    """The provider sends the learner a fresh claim link (the old one stops working)."""
    _check_resendable(issued)
    send_claim(issued)
    db.session.flush()
    audit.record(
        actor,
        "credential.claim_resend",
        issued,
        f"Sent {issued.recipient_name} a new link to accept their badge",
        organisation=issued.organisation_id,
        public_id=issued.public_id,
        expires=issued.claim_expires_at.isoformat() if issued.claim_expires_at else None,
    )


def renew_expired_claim(token: str) -> IssuedCredential:
    """Whoever holds an expired link asks for a new one; it goes only to the address awarded."""
    issued = find_claim(token)
    if issued is None:
        raise IssuingError("This link is not valid")
    _check_resendable(issued)
    if not claim_link_expired(issued):
        raise IssuingError("This link still works: accept the badge with it")
    send_claim(issued)
    db.session.flush()
    audit.record(
        None,
        "credential.claim_renew",
        issued,
        f"A new link to accept the badge was sent to {issued.recipient_name}'s email address",
        organisation=issued.organisation_id,
        public_id=issued.public_id,
    )
    return issued


def issue(
    actor,
    org: Organisation,
    record: MicroCredential,
    learner: Learner,
    *,
    valid_until: datetime | None = None,
    evidence_url: str | None = None,
    notify: bool = True,
    reissue_of: IssuedCredential | None = None,
) -> IssuedCredential:
    """Award ``record`` (the provider's current published version) to ``learner``."""
    if record.provider_id != org.id:
        raise IssuingError("You can only award your own organisation's micro-credentials", field="micro_credential_id")
    if record.status != RecordStatus.PUBLISHED:
        raise IssuingError(
            f"{record.code} version {record.version} is not published: award the current version",
            field="micro_credential_id",
        )
    name = (learner.name or "").strip()
    if not name or len(name) > 200:
        raise IssuingError("Enter the learner's full name (up to 200 characters)", field="name")
    email = check_email(learner.email)
    if evidence_url and not evidence_url.startswith(("https://", "http://")):
        raise IssuingError("The evidence link must start with https://", field="evidence_url")
    if valid_until and valid_until <= utcnow():
        raise IssuingError("The expiry date must be in the future", field="valid_until")
    issued = sign(
        actor,
        org,
        achievement_spec(record),
        Learner(name, email),
        valid_until=valid_until,
        evidence_url=evidence_url,
        micro_credential_id=record.id,
    )
    issued.reissue_of_id = reissue_of.id if reissue_of else None
    _link_learner(issued, record)
    if notify:
        send_claim(issued)
    db.session.flush()
    audit.record(
        actor,
        "credential.issue",
        issued,
        f"Awarded {record.title} to {name} ({email})",
        organisation=org,
        public_id=issued.public_id,
        micro_credential=f"{record.code} v{record.version}",
        reissue_of=reissue_of.public_id if reissue_of else None,
    )
    return issued


def revoke(actor, issued: IssuedCredential, reason: str) -> IssuedCredential:
    """Revoke with a reason: sets the bit in the published status list (and drops HR records)."""
    reason = (reason or "").strip()
    if not reason:
        raise IssuingError("Give a reason for revoking the badge", field="reason")
    if issued.revoked_at:
        raise IssuingError("This badge is already revoked")
    issued.revoked_at = utcnow()
    issued.revocation_reason = reason[:500]
    issued.revoked_by_id = getattr(actor, "id", None)
    db.session.flush()
    status_lists.publish(issued.status_list)
    # A revoked badge no longer counts as evidence of a skill in anyone's record.
    db.session.execute(
        delete(HeldCredential).where(
            HeldCredential.issued_credential_id == issued.id, HeldCredential.source == HeldCredentialSource.ISSUED
        )
    )
    audit.record(
        actor,
        "credential.revoke",
        issued,
        f"Revoked the badge of {issued.recipient_name}: {reason}",
        organisation=issued.organisation_id,
        public_id=issued.public_id,
        reason=reason,
    )
    return issued


def reissue(
    actor,
    issued: IssuedCredential,
    *,
    valid_until: datetime | None = None,
    evidence_url: str | None = None,
    notify: bool = True,
) -> IssuedCredential:
    """A new badge for the same learner (current version of the record); the old one is revoked."""
    old_record = issued.micro_credential
    record = db.session.scalar(
        select(MicroCredential).where(
            MicroCredential.provider_id == old_record.provider_id,
            MicroCredential.code == old_record.code,
            MicroCredential.status == RecordStatus.PUBLISHED,
        )
    )
    if record is None:
        raise IssuingError(f"{old_record.code} has no published version to award")
    org = db.session.get_one(Organisation, issued.organisation_id)
    fresh = issue(
        actor,
        org,
        record,
        Learner(issued.recipient_name, issued.recipient_email),
        valid_until=valid_until,
        evidence_url=evidence_url or issued.evidence_url,
        notify=notify,
        reissue_of=issued,
    )
    if not issued.revoked_at:
        revoke(actor, issued, REISSUED)
    audit.record(
        actor,
        "credential.reissue",
        fresh,
        f"Re-issued the badge of {issued.recipient_name}",
        organisation=org,
        old=issued.public_id,
        new=fresh.public_id,
    )
    return fresh


def find_claim(token: str) -> IssuedCredential | None:
    """The credential a claim link is for (claimed or not), or None for an unknown token."""
    if not token or len(token) > 200:
        return None
    return db.session.scalar(select(IssuedCredential).where(IssuedCredential.claim_token_hash == tokens.digest(token)))


def claim(token: str, user=None) -> IssuedCredential:
    """Accept a badge from its emailed link. The link works once."""
    issued = find_claim(token)
    if issued is None:
        raise IssuingError("This link is not valid")
    if issued.claimed_at:
        raise IssuingError("This link has already been used")
    if claim_link_expired(issued):
        raise IssuingError(
            f"This link expired on {calendar.london(issued.claim_expires_at)}. Ask for a new one below: "
            "it is sent to the email address the badge was awarded to"
        )
    issued.claimed_at = utcnow()
    if user is not None and getattr(user, "email", "").lower() == issued.recipient_email:
        already = db.session.scalar(
            select(func.count(HeldCredential.id)).where(HeldCredential.issued_credential_id == issued.id)
        )
        if not already and not issued.revoked_at:  # an account made after the award
            _link_learner(issued, issued.micro_credential)
        issued.user_id = user.id
    db.session.flush()
    audit.record(
        user if getattr(user, "is_authenticated", False) else None,
        "credential.claim",
        issued,
        f"{issued.recipient_name} accepted their badge",
        organisation=issued.organisation_id,
        public_id=issued.public_id,
    )
    return issued


def accept(user, issued: IssuedCredential) -> IssuedCredential:
    """A signed-in recipient accepts a badge already linked to their account, from their wallet
    (the emailed link does the same for anyone holding it)."""
    if issued.user_id != user.id:
        raise IssuingError("This badge was not awarded to you")
    if issued.claimed_at:
        raise IssuingError("You have already accepted this badge")
    if issued.revoked_at:
        raise IssuingError("This badge is revoked: there is nothing to accept")
    issued.claimed_at = utcnow()
    issued.claim_token_hash = None  # the emailed link is spent too
    db.session.flush()
    audit.record(
        user,
        "credential.claim",
        issued,
        f"{issued.recipient_name} accepted their badge from their wallet",
        organisation=issued.organisation_id,
        public_id=issued.public_id,
    )
    return issued


def linked_to(user, credential_id: int) -> IssuedCredential | None:
    """A badge issued to ``user``'s account (None for anyone else's: never revealed)."""
    issued = db.session.get(IssuedCredential, credential_id)
    return issued if issued is not None and issued.user_id == user.id else None


def unclaimed_count(user) -> int:
    """Badges linked to ``user`` that they have not accepted yet (one COUNT query)."""
    return (
        db.session.scalar(
            select(func.count(IssuedCredential.id)).where(
                IssuedCredential.user_id == user.id,
                IssuedCredential.claimed_at.is_(None),
                IssuedCredential.revoked_at.is_(None),
            )
        )
        or 0
    )


def by_public_id(public_id: str) -> IssuedCredential | None:
    return db.session.scalar(select(IssuedCredential).where(IssuedCredential.public_id == str(public_id)))


STATES = {"valid": "Valid", "revoked": "Revoked", "expired": "Expired"}


def issued_by(
    org: Organisation, page: int = 1, per_page: int = 50, *, search: str = "", state: str = ""
) -> tuple[list[IssuedCredential], int]:
    """One page of the provider's awards, newest first, and the total count, filtered by the
    learner's name or email (``search``) and by state (valid, revoked, expired)."""
    now = utcnow()
    where = [IssuedCredential.organisation_id == org.id]
    if search.strip():
        pattern = f"%{search.strip().lower()[:100]}%"
        where.append(
            func.lower(IssuedCredential.recipient_name).like(pattern) | IssuedCredential.recipient_email.like(pattern)
        )
    if state == "revoked":
        where.append(IssuedCredential.revoked_at.is_not(None))
    elif state == "expired":
        where += [IssuedCredential.revoked_at.is_(None), IssuedCredential.valid_until <= now]
    elif state == "valid":
        where += [
            IssuedCredential.revoked_at.is_(None),
            IssuedCredential.valid_until.is_(None) | (IssuedCredential.valid_until > now),
        ]
    total = db.session.scalar(select(func.count(IssuedCredential.id)).where(*where))
    rows = db.session.scalars(
        select(IssuedCredential)
        .where(*where)
        .options(selectinload(IssuedCredential.micro_credential))
        .order_by(IssuedCredential.issued_at.desc(), IssuedCredential.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return list(rows), total or 0


def replacement_of(issued: IssuedCredential) -> IssuedCredential | None:
    """The badge that re-issued this one, if any."""
    return db.session.scalar(select(IssuedCredential).where(IssuedCredential.reissue_of_id == issued.id))
