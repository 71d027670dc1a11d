"""Verifying the credentials candidates bring, and keeping the results.

Every way in (the public page, a recruiter's page, a batch, the API, the CLI) ends in
:func:`run_verification`, which asks the engine (`app.openbadges.verify`) with the verifier's
fetcher (this site's own URLs in-process, everything else through the SSRF-safe fetcher) and
the hub's issuer directory, then stores a :class:`Verification`.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import SQLAlchemyError

from app.domain import DomainError
from app.extensions import db
from app.models import Organisation
from app.models.badges import IssuerProfile, SigningKey
from app.models.verifications import Verification, VerificationSource
from app.openbadges.result import Verdict, VerificationResult
from app.openbadges.verify import verify
from app.services import audit
from app.services.verification import images, schemas
from app.services.verification.fetching import verifier_fetcher

logger = logging.getLogger(__name__)
PAGE_SIZE = 25
MAX_PASTE_CHARS = 1_000_000
MAX_URL_CHARS = 2000


class VerificationInputError(DomainError):
    """What the person handed in cannot be verified at all (empty, too large, not a URL...)."""


class InputTooLarge(VerificationInputError):
    """The upload or pasted text is over the configured limit (HTTP 413 for the API)."""


def max_upload_bytes() -> int:
    return int(current_app.config.get("VERIFY_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


# ---- what was handed in ---------------------------------------------------------------


@dataclass
class VerificationInput:
    """Something to verify and how it arrived; ``label`` is a file name or URL for people."""

    data: bytes | str | dict[str, Any]
    source: str
    label: str | None = None


def input_from_upload(filename: str | None, content: bytes) -> VerificationInput:
    """A file as uploaded. Its declared content type is ignored: the engine sniffs the bytes."""
    if not content:
        raise VerificationInputError("The selected file is empty")
    if len(content) > max_upload_bytes():
        raise InputTooLarge(f"The file must be smaller than {max_upload_bytes() // (1024 * 1024)} MB")
    return VerificationInput(content, VerificationSource.UPLOAD, (filename or "upload")[:200])


def input_from_text(text: str) -> VerificationInput:
    """Pasted JSON or a JWT (a pasted link is treated as a URL)."""
    text = (text or "").strip()
    if not text:
        raise VerificationInputError("Paste the badge's JSON or JWT")
    if len(text) > MAX_PASTE_CHARS:
        raise InputTooLarge("The pasted text is too long (at most 1,000,000 characters)")
    if text.startswith(("https://", "http://")) and not any(c.isspace() for c in text):
        return input_from_url(text)
    if not _looks_like_a_badge(text):
        # Not saved as a verification: there is nothing to verify, only a form to correct.
        raise VerificationInputError(
            "That is not a badge. Paste the badge's JSON (it starts with {), its JWT (three parts "
            "separated by dots) or its web address."
        )
    return VerificationInput(text, VerificationSource.PASTE, None)


# Base64url parts separated by dots: a JWT, perhaps cut short (the engine says how it is broken).
_JWT = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){1,4}$")


def _looks_like_a_badge(text: str) -> bool:
    """A JSON object, or a compact JWT; anything else cannot be a badge."""
    if text.startswith("{"):
        return True  # parsed (with its own limits) by the engine, which explains what is wrong
    return bool(_JWT.match(text))


def input_from_url(url: str) -> VerificationInput:
    """A link to a hosted badge; the fetch itself happens in the engine, through SafeFetcher."""
    url = (url or "").strip()
    if not url:
        raise VerificationInputError("Enter the badge's web address")
    if len(url) > MAX_URL_CHARS or any(c.isspace() for c in url):
        raise VerificationInputError("Enter a web address without spaces, at most 2,000 characters")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise VerificationInputError("Enter a valid web address") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise VerificationInputError("Enter a web address starting with https://")
    return VerificationInput(url, VerificationSource.URL, url)


# ---- the hub's issuer directory -------------------------------------------------------


def _issuer_host(issuer_id: str) -> str | None:
    if issuer_id.startswith("did:web:"):
        host = issuer_id[len("did:web:") :].split(":", 1)[0]
        return host.replace("%3A", ":").replace("%3a", ":").lower()
    try:
        parts = urlsplit(issuer_id)
    except ValueError:
        return None
    return parts.netloc.lower() if parts.scheme in ("http", "https") and parts.netloc else None


def lookup_issuer(issuer_id: str) -> dict[str, Any] | None:
    """The engine's issuer_lookup: is this issuer an organisation the hub knows?

    An exact DID or URL from an issuer profile wins; otherwise a did:web or https issuer
    is matched on its host against an organisation's website. Unknown is None (a warning).
    """
    try:
        return _lookup_issuer(issuer_id)
    except SQLAlchemyError:
        # The directory is a courtesy: without it (e.g. the CLI on an empty database) the
        # issuer is simply unknown, which is a warning, never a reason to fail verification.
        logger.warning("issuer directory unavailable", exc_info=True)
        return None


def _lookup_issuer(issuer_id: str) -> dict[str, Any] | None:
    # A key's controller covers DIDs an issuer signed with before a rotation (did:key changes
    # with the key; did:web does not).
    profile = db.session.scalars(
        select(IssuerProfile)
        .outerjoin(SigningKey, SigningKey.issuer_profile_id == IssuerProfile.id)
        .where(or_(IssuerProfile.did == issuer_id, IssuerProfile.url == issuer_id, SigningKey.controller == issuer_id))
        .options(db.joinedload(IssuerProfile.organisation))
    ).first()
    if profile is not None:
        return _known(profile.organisation)
    host = _issuer_host(issuer_id)
    if not host:
        return None
    for org in db.session.scalars(select(Organisation).where(Organisation.website.is_not(None))):
        website = org.website or ""
        site = _issuer_host(website if "://" in website else f"https://{website}")
        if site and (site == host or site == f"www.{host}" or host == f"www.{site}"):
            return _known(org)
    return None


def _known(org: Organisation) -> dict[str, Any]:
    return {"known": True, "quality_assured": bool(org.quality_assured), "name": org.name}


# ---- running the engine ---------------------------------------------------------------


def verify_data(data: bytes | str | dict[str, Any], recipient_email: str | None) -> VerificationResult:
    """Run the engine with the application's fetcher, issuer directory and schema directory."""
    return verify(
        data,
        fetcher=verifier_fetcher(),
        recipient_email=recipient_email or None,
        issuer_lookup=_cached(lookup_issuer),
        schema_dir=schemas.schema_dir(),
    )


def _cached(lookup):
    seen: dict[str, Any] = {}

    def cached(issuer_id: str):
        if issuer_id not in seen:
            seen[issuer_id] = lookup(issuer_id)
        return seen[issuer_id]

    return cached


def result_payload(result: VerificationResult) -> dict[str, Any]:
    """The JSON kept for a verification (and shown by the API): the engine's own shape."""
    payload = result.to_json()
    payload["verdict"] = str(result.verdict)
    return payload


def run_verification(
    data: bytes | str | dict[str, Any],
    *,
    recipient_email: str | None,
    source: str,
    organisation: Organisation | None = None,
    actor=None,
    candidate_email: str | None = None,
    input_label: str | None = None,
    api_key=None,
    batch=None,
) -> Verification:
    """Verify ``data`` and store the result.

    ``recipient_email`` is checked against the credential's recipient; ``candidate_email``
    (defaults to it) files the result under a candidate in the organisation's history.
    Without an organisation (the public page) nothing identifies the person: no email and
    no actor are stored, and the result is reachable only through its random token.
    """
    if source not in set(VerificationSource):
        raise ValueError(f"unknown verification source {source!r}")
    recipient_email = (recipient_email or "").strip() or None
    result = verify_data(data, recipient_email)
    payload = result_payload(result)
    if result.claims_proven:  # never fetch on a forger's behalf
        images.keep_image(payload, verifier_fetcher())
    anonymous = organisation is None
    candidate = None if anonymous else ((candidate_email or recipient_email or "").strip().lower() or None)
    verification = Verification(
        token=secrets.token_urlsafe(32),
        organisation_id=organisation.id if organisation is not None else None,
        actor_id=None if anonymous else getattr(actor, "id", None),
        api_key_id=getattr(api_key, "id", None),
        batch_id=getattr(batch, "id", None),
        source=str(source),
        verdict=str(result.verdict),
        format=result.format[:30],
        issuer_id=_clip(result.issuer.id, 500),
        issuer_name=_clip(result.issuer.name, 300),
        achievement_name=_clip(result.achievement.name, 300),
        credential_id=_clip(result.credential_id, 500),
        candidate_email=_clip(candidate, 320),
        recipient_match=result.recipient_match,
        input_label=_clip(input_label, 500),
        result=payload,
    )
    db.session.add(verification)
    db.session.flush()
    setattr(verification, "parsed_credential", result.credential)  # noqa: B010 (not a column)
    if not anonymous:
        audit.record(
            actor,
            "verification.run",
            verification,
            f"Verified {verification.achievement_name or 'a credential'}: {verification.verdict_label}",
            organisation=organisation,
            verdict=verification.verdict,
            source=str(source),
            candidate=candidate,
            api_key=getattr(api_key, "prefix", None),
        )
    return verification


def _clip(value: str | None, length: int) -> str | None:
    return value[:length] if isinstance(value, str) else None


def result_of(verification: Verification) -> dict[str, Any]:
    """The stored result JSON with when/who, for the JSON download and the API."""
    payload = dict(verification.result)
    payload["verified_at"] = verification.created_at.isoformat()
    payload["source"] = verification.source
    if verification.candidate_email:
        payload["candidate_email"] = verification.candidate_email
    return payload


# ---- an organisation's history --------------------------------------------------------


@dataclass
class HistoryPage:
    verifications: list[Verification]
    page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def history(org: Organisation, *, candidate: str = "", verdict: str = "", page: int = 1) -> HistoryPage:
    """The organisation's verifications, newest first, filtered by (part of) the candidate's email
    and by verdict. Two queries whatever the size."""
    stmt = select(Verification).where(Verification.visible_to(org))
    candidate = candidate.strip().lower()[:320]
    if candidate:
        stmt = stmt.where(Verification.candidate_email.contains(candidate, autoescape=True))
    if verdict in {str(v) for v in Verdict}:
        stmt = stmt.where(Verification.verdict == verdict)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, min(page, max(1, -(-total // PAGE_SIZE))))
    rows = db.session.scalars(
        stmt.order_by(Verification.created_at.desc(), Verification.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return HistoryPage(list(rows), page, total)


def public_verification(token: str) -> Verification | None:
    """An anonymous verification by its token (never one that belongs to an organisation)."""
    if not token or len(token) > 64:
        return None
    return db.session.scalars(
        select(Verification).where(Verification.token == token, Verification.organisation_id.is_(None))
    ).first()


def purge_anonymous(older_than_days: int) -> int:
    """Delete anonymous (public-page) verifications older than ``older_than_days``; their
    links stop working. Returns how many went. Organisations' own results are kept."""
    cutoff = datetime.now(UTC) - timedelta(days=max(0, older_than_days))
    result: Any = db.session.execute(
        delete(Verification).where(Verification.organisation_id.is_(None), Verification.created_at < cutoff)
    )
    db.session.flush()
    return result.rowcount or 0
