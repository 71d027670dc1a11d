"""The email domains an organisation routes through its single sign-on, and how it proves them.

Listing a domain only claims it. A claim is pending, and routes no sign-in anywhere, until the
organisation proves it controls the domain: a TXT record it publishes in the domain's DNS, a
confirmation link opened from a mailbox at the domain, or the platform admin's word. Several
organisations may hold pending claims on one domain (a squatter's claim never blocks the real
owner); only one may hold it verified, and once one does, the others' claims can go no further.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Organisation, SsoDomain, SsoDomainState, User, utcnow
from app.security import tokens
from app.services import audit, links, mail
from app.services.accounts.dns_proof import DnsLookupFailed, resolver
from app.services.accounts.sso import SsoError, email_domain

DOMAIN_PATTERN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
METHOD_LABELS = {"dns": "DNS record", "email": "confirmation email", "platform": "Credwork support"}


class SsoDomainError(SsoError):
    """A domain claim or proof refused; the message is shown to the person."""


class DnsCheckFailed(Exception):
    """A DNS check that did not prove the domain. Not a DomainError: the failed check is
    audited and kept (the route flashes the message), not rolled back."""


@dataclass
class DomainClaim:
    """A claim as its organisation's admin sees it: taken elsewhere when another organisation
    has verified the same domain (then this claim can never be proved)."""

    claim: SsoDomain
    taken_elsewhere: bool

    @property
    def status_label(self) -> str:
        if self.claim.is_verified:
            return "Verified"
        return "Verified by another organisation" if self.taken_elsewhere else "Pending"

    @property
    def status_colour(self) -> str:
        if self.claim.is_verified:
            return "green"
        return "red" if self.taken_elsewhere else "yellow"

    @property
    def may_prove(self) -> bool:
        return not self.claim.is_verified and not self.taken_elsewhere


# --- what is claimed and what routes ----------------------------------------------------------


def parse_domains(text: str) -> list[str]:
    """Email domains from text separated by commas, spaces or new lines, checked and lower-cased."""
    domains: list[str] = []
    for raw in re.split(r"[\s,;]+", (text or "").strip().lower()):
        domain = raw.lstrip("@").rstrip(".")
        if not domain:
            continue
        if not DOMAIN_PATTERN.match(domain):
            raise SsoDomainError(f"“{raw}” is not an email domain. Enter domains like example.co.uk", field="domains")
        if domain not in domains:
            domains.append(domain)
    if not domains:
        raise SsoDomainError("Enter at least one email domain", field="domains")
    return domains


def verified_holder(domain: str) -> SsoDomain | None:
    """The verified claim on `domain`, whichever organisation holds it."""
    return db.session.scalar(select(SsoDomain).where(SsoDomain.verified_domain == domain))


def claims_of(org: Organisation) -> list[DomainClaim]:
    """The organisation's claims, by domain, each with whether another organisation verified it."""
    claims = list(
        db.session.scalars(select(SsoDomain).where(SsoDomain.organisation_id == org.id).order_by(SsoDomain.domain))
    )
    pending = [c.domain for c in claims if not c.is_verified]
    taken = set()
    if pending:
        taken = set(
            db.session.scalars(
                select(SsoDomain.domain).where(
                    SsoDomain.verified_domain.in_(pending), SsoDomain.organisation_id != org.id
                )
            )
        )
    return [DomainClaim(c, c.domain in taken) for c in claims]


def verified_domains_of(org_id: int) -> set[str]:
    """The domains this organisation has proved: the only ones its SSO signs in."""
    return set(
        db.session.scalars(
            select(SsoDomain.domain).where(
                SsoDomain.organisation_id == org_id, SsoDomain.state == SsoDomainState.VERIFIED
            )
        )
    )


def _taken_message(domain: str) -> str:
    return (
        f"{domain} is already verified by another organisation for single sign-on. "
        "If it belongs to you, contact Credwork support."
    )


# --- claiming and removing -------------------------------------------------------------------


def claim(actor: User, org: Organisation, text: str) -> list[SsoDomain]:
    """Claim the domains in `text` for `org`, pending until proved. All or nothing: a domain
    another organisation has verified refuses the lot."""
    if org.kind not in ("employer", "provider"):
        raise SsoDomainError("Only employers and providers can set up single sign-on")
    domains = parse_domains(text)
    held = {c.claim.domain for c in claims_of(org)}
    for domain in domains:
        holder = verified_holder(domain)
        if holder is not None and holder.organisation_id != org.id:
            raise SsoDomainError(_taken_message(domain), field="domains")
    made = []
    for domain in domains:
        if domain in held:
            continue
        row = SsoDomain(
            organisation_id=org.id,
            domain=domain,
            state=SsoDomainState.PENDING,
            dns_challenge=secrets.token_urlsafe(24),
            requested_by_id=actor.id,
        )
        db.session.add(row)
        db.session.flush()
        audit.record(
            actor,
            "sso.domain_claimed",
            row,
            f"Added {domain} to single sign-on, pending proof that {org.name} controls it",
            organisation=org,
            domain=domain,
        )
        made.append(row)
    if not made:
        raise SsoDomainError(f"{org.name} has already added {', '.join(domains)}", field="domains")
    return made


def remove(actor: User, row: SsoDomain) -> None:
    """Withdraw a claim (verified or not): sign-ins for the domain stop coming here."""
    audit.record(
        actor,
        "sso.domain_removed",
        row,
        f"Removed {row.domain} from single sign-on (it was {row.state})",
        organisation=row.organisation_id,
        domain=row.domain,
        state=row.state,
    )
    db.session.delete(row)
    db.session.flush()


# --- proving -----------------------------------------------------------------------------------


def _check_provable(row: SsoDomain) -> None:
    if row.is_verified:
        raise SsoDomainError(f"{row.domain} is already verified")
    holder = verified_holder(row.domain)
    if holder is not None and holder.id != row.id:
        raise SsoDomainError(_taken_message(row.domain))


def _verify(row: SsoDomain, method: str, actor: User | None, how: str) -> None:
    _check_provable(row)
    row.state = SsoDomainState.VERIFIED
    row.verified_domain = row.domain
    row.method = method
    row.verified_at = utcnow()
    row.verified_by_id = actor.id if actor is not None else None
    row.email_token_hash = None  # any confirmation link still out is spent
    row.email_token_expires_at = None
    try:
        with db.session.begin_nested():  # two organisations proving at once: the index decides
            db.session.flush()
    except IntegrityError:
        raise SsoDomainError(_taken_message(row.domain)) from None
    audit.record(
        actor,
        "sso.domain_verified",
        row,
        f"Verified {row.domain} for single sign-on {how}",
        organisation=row.organisation_id,
        domain=row.domain,
        method=method,
    )


def check_dns(actor: User, row: SsoDomain) -> None:
    """Prove `row` by its TXT record. A failed check is audited (the route keeps it) and
    refused with what to do next."""
    _check_provable(row)
    try:
        records = resolver().txt_records(row.domain)
    except DnsLookupFailed as exc:
        _dns_failed(actor, row, "lookup failed", str(exc))
        raise DnsCheckFailed(
            f"We could not look up the DNS records of {row.domain} just now. Try again in a few minutes."
        ) from exc
    if row.dns_record not in (r.strip() for r in records):
        _dns_failed(actor, row, "record not found", f"{len(records)} TXT records, none matching")
        raise DnsCheckFailed(
            f"We did not find the TXT record {row.dns_record} on {row.domain}. DNS changes can take "
            "a while to appear: check the record is published at the domain itself, then try again."
        )
    _verify(row, "dns", actor, "by its DNS TXT record")


def _dns_failed(actor: User, row: SsoDomain, reason: str, detail: str) -> None:
    audit.record(
        actor,
        "sso.domain_check_failed",
        row,
        f"DNS check of {row.domain} failed: {reason}",
        organisation=row.organisation_id,
        domain=row.domain,
        reason=reason,
        detail=detail[:200],
    )


def send_confirmation(actor: User, row: SsoDomain, address: str) -> None:
    """Email a single-use, expiring link to `address`, which must be at the claimed domain."""
    _check_provable(row)
    address = (address or "").strip().lower()
    local, _, domain = address.rpartition("@")
    if not local or domain != row.domain:
        raise SsoDomainError(f"Enter an email address at {row.domain}, like it@{row.domain}", field="address")
    token, token_hash = tokens.new_token()
    hours = current_app.config["SSO_DOMAIN_CONFIRMATION_HOURS"]
    row.email_token_hash = token_hash  # a newer link replaces any earlier one
    row.email_token_expires_at = utcnow() + timedelta(hours=hours)
    row.email_sent_to = address
    db.session.flush()
    org = row.organisation
    audit.record(
        actor,
        "sso.domain_confirmation_sent",
        row,
        f"Sent a confirmation email for {row.domain} to {address}",
        organisation=row.organisation_id,
        domain=row.domain,
        sent_to=address,
    )
    mail.send(
        address,
        f"Confirm that {org.name} may use single sign-on for {row.domain}",
        f"{actor.name} of {org.name} asks Credwork to send everyone with an @{row.domain} email address "
        f"to {org.name}'s own sign-in service when they sign in to Credwork.\n\n"
        f"If you look after {row.domain}'s email for {org.name}, confirm within {hours} hours:\n"
        f"{links.public_url(f'/sso/domains/confirm/{token}')}\n\n"
        f"If {org.name} is not your organisation, or you did not expect this, ignore this email: "
        "nothing changes unless the link is used. The link works once.\n",
    )


def claim_for_token(token: str) -> SsoDomain | None:
    """The pending claim an emailed link confirms, or None when unknown, used or expired."""
    if not token:
        return None
    row = db.session.scalar(select(SsoDomain).where(SsoDomain.email_token_hash == tokens.digest(token)))
    if row is None or row.is_verified or row.email_token_expires_at is None:
        return None
    if row.email_token_expires_at <= utcnow():
        return None
    return row


def confirm_by_email(token: str, opened_by: User | None) -> SsoDomain:
    """Verify the claim an emailed link names; the link is spent either way.

    No sign-in is asked for: what this proves is that someone who reads mail at the domain
    chose to confirm, and the unguessable single-use token in the link is that proof. Asking
    the claiming admin to be signed in would add nothing (the admin is the one being checked),
    and the mailbox's owner, say the IT team's shared address, usually has no Credwork account.
    The page before this shows which organisation asks, so a stranger's request can be ignored.
    """
    row = claim_for_token(token)
    if row is None:
        raise SsoDomainError("This confirmation link has expired or has already been used")
    sent_to = row.email_sent_to
    row.email_token_hash = None
    row.email_token_expires_at = None
    _verify(row, "email", opened_by, f"through a confirmation email to {sent_to}")
    return row


def verify_by_platform(actor: User, row: SsoDomain) -> None:
    """The platform admin vouches for the claim (checked by other means, e.g. a support call)."""
    _verify(row, "platform", actor, "by Credwork support")


def pending_across_platform(limit: int = 200) -> list[DomainClaim]:
    """Pending claims of every organisation, oldest first, for the platform admin."""
    rows = list(
        db.session.scalars(
            select(SsoDomain)
            .where(SsoDomain.state == SsoDomainState.PENDING)
            .options(db.joinedload(SsoDomain.organisation), db.joinedload(SsoDomain.requested_by))
            .order_by(SsoDomain.created_at, SsoDomain.id)
            .limit(limit)
        )
    )
    taken = set(
        db.session.scalars(select(SsoDomain.domain).where(SsoDomain.verified_domain.in_({r.domain for r in rows})))
    )
    return [DomainClaim(r, r.domain in taken) for r in rows]


def count_pending() -> int:
    return (
        db.session.scalar(select(func.count()).select_from(SsoDomain).where(SsoDomain.state == SsoDomainState.PENDING))
        or 0
    )


def claim_by_id(claim_id: int) -> SsoDomain | None:
    """Any organisation's claim: for the platform admin only (platform-wide by design)."""
    return db.session.get(SsoDomain, claim_id)


__all__ = [
    "METHOD_LABELS",
    "DnsCheckFailed",
    "DomainClaim",
    "SsoDomainError",
    "check_dns",
    "claim",
    "claim_by_id",
    "claim_for_token",
    "claims_of",
    "confirm_by_email",
    "email_domain",
    "pending_across_platform",
    "remove",
    "send_confirmation",
    "verified_domains_of",
    "verified_holder",
    "verify_by_platform",
]
