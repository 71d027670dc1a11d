"""Sharing wallet imports: a share link per badge that its holder can revoke, public or private per
badge (private by default), sending the link by email, LinkedIn's "add certification" link, and a
public profile page (off by default) listing only the badges its holder made public."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from app.extensions import db
from app.models.badges import IssuedCredential
from app.models.people import User
from app.models.wallet import WalletCredential, WalletProfile
from app.services import audit, links, mail
from app.services.issuing.awards import credential_url
from app.services.issuing.files import LINKEDIN_ADD
from app.services.wallet.imports import WalletError

PROFILE_LIMIT = 100  # a public profile lists at most this many badges


def share_url(entry: WalletCredential) -> str | None:
    return links.public_url(f"/wallet/s/{entry.share_token}") if entry.share_token else None


def start_sharing(user, entry: WalletCredential) -> str:
    """Make (or keep) the badge's share link and return it."""
    if not entry.share_token:
        entry.share_token = secrets.token_urlsafe(32)
        db.session.flush()
        audit.record(user, "wallet.share", entry, f"Made a share link for {entry.achievement_name or 'a badge'}")
    return share_url(entry) or ""


def stop_sharing(user, entry: WalletCredential) -> None:
    """Revoke the share link: it stops working at once, and a new one would be different."""
    if entry.share_token:
        entry.share_token = None
        db.session.flush()
        audit.record(user, "wallet.unshare", entry, f"Revoked the share link of {entry.achievement_name or 'a badge'}")


def set_public(user, entry: WalletCredential, public: bool) -> None:
    if entry.public != public:
        entry.public = public
        db.session.flush()
        audit.record(
            user,
            "wallet.visibility",
            entry,
            f"Made {entry.achievement_name or 'a badge'} {'public' if public else 'private'}",
            public=public,
        )


def _address(to: str) -> str:
    try:
        return validate_email((to or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise WalletError(
            "Enter an email address in the correct format, like name@example.com", field="email"
        ) from None


def email_link(user, entry: WalletCredential, to: str) -> str:
    """Send the share link to someone (making the link if there is none). Returns the address."""
    address = _address(to)
    link = start_sharing(user, entry)
    mail.send(
        address,
        f"{user.name} shared a digital badge with you: {entry.achievement_name or 'a badge'}",
        f'{user.name} has shared the badge "{entry.achievement_name or "a badge"}" from '
        f"{entry.issuer_name or 'an issuer'} with you.\n\nSee it, and how Credwork checked it, here:\n{link}\n",
    )
    audit.record(
        user, "wallet.email", entry, f"Emailed the share link of {entry.achievement_name or 'a badge'}", to=address
    )
    return address


def linkedin_url(entry: WalletCredential) -> str | None:
    """LinkedIn's "Add licence or certification" link, prefilled (needs the share link)."""
    url = share_url(entry)
    if url is None:
        return None
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": entry.achievement_name or "Digital badge",
        "organizationName": entry.issuer_name or "",
        "certUrl": url,
    }
    return f"{LINKEDIN_ADD}?{urlencode(params)}"


def shared(token: str) -> WalletCredential | None:
    """The badge a share link is for, or None (unknown or revoked)."""
    if not token or len(token) > 43:
        return None
    return db.session.scalar(select(WalletCredential).where(WalletCredential.share_token == token))


# ---- badges issued on Credwork -------------------------------------------------------------
# Their share link is their own public page (verifiers fetch the credential there, so it cannot be
# revoked without revoking the badge); LinkedIn, the downloads and the page live in issuing.


def set_issued_on_profile(user, issued: IssuedCredential, shown: bool) -> None:
    """List a badge issued to ``user`` on their public profile, or take it off."""
    if issued.on_profile != shown:
        issued.on_profile = shown
        db.session.flush()
        audit.record(
            user,
            "wallet.visibility",
            issued,
            f"{'Showed' if shown else 'Hid'} {issued.achieved.title} on their public profile",
            organisation=None,
            public=shown,
        )


def email_issued(user, issued: IssuedCredential, to: str) -> str:
    """Send the badge's public page to someone. Returns the address."""
    address = _address(to)
    link = credential_url(issued.public_id)
    mail.send(
        address,
        f"{user.name} shared a digital badge with you: {issued.achieved.title}",
        f'{user.name} has shared the badge "{issued.achieved.title}" from {issued.organisation.name} with you.\n\n'
        f"See it, download it or check it here:\n{link}\n",
    )
    audit.record(
        user, "wallet.email", issued, f"Emailed the link of {issued.achieved.title}", organisation=None, to=address
    )
    return address


# ---- the public profile ---------------------------------------------------------------


def profile_of(user) -> WalletProfile | None:
    return db.session.scalar(select(WalletProfile).where(WalletProfile.user_id == user.id))


def set_profile(user, enabled: bool) -> WalletProfile:
    profile = profile_of(user)
    if profile is None:
        profile = WalletProfile(user_id=user.id, slug=secrets.token_urlsafe(16), enabled=False)
        db.session.add(profile)
    if profile.enabled != enabled:
        profile.enabled = enabled
        db.session.flush()
        audit.record(user, "wallet.profile", profile, f"Turned their public profile {'on' if enabled else 'off'}")
    db.session.flush()
    return profile


def profile_url(profile: WalletProfile) -> str:
    return links.public_url(f"/wallet/people/{profile.slug}")


def public_profile(slug: str):
    """(holder, their public imports, the badges issued to them on Credwork that they chose to
    show and that are not revoked) for an enabled profile, else None."""
    if not slug or len(slug) > 43:
        return None
    profile = db.session.scalar(
        select(WalletProfile).where(WalletProfile.slug == slug, WalletProfile.enabled.is_(True))
    )
    if profile is None:
        return None
    holder = db.session.get(User, profile.user_id)
    badges = db.session.scalars(
        select(WalletCredential)
        .where(WalletCredential.user_id == profile.user_id, WalletCredential.public.is_(True))
        .order_by(WalletCredential.created_at.desc(), WalletCredential.id.desc())
        .limit(PROFILE_LIMIT)
    ).all()
    issued = db.session.scalars(
        select(IssuedCredential)
        .where(
            IssuedCredential.user_id == profile.user_id,
            IssuedCredential.on_profile.is_(True),
            IssuedCredential.revoked_at.is_(None),
        )
        .order_by(IssuedCredential.issued_at.desc(), IssuedCredential.id.desc())
        .limit(PROFILE_LIMIT)
    ).all()
    return holder, list(badges), list(issued)
