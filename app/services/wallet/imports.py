"""Bringing a badge into the wallet, and keeping its verdict fresh.

Each import is verified on arrival with the same engine as `/verify`. A badge that fails its
checks (changed, forged, or not a badge at all) is refused and nothing of it is kept; one that is
genuine but expired or revoked, or that could not be checked, is kept and shows that state.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from app.domain import DomainError
from app.extensions import db
from app.models.base import utcnow
from app.models.people import User
from app.models.verifications import Verification, reason_of
from app.models.wallet import WalletCredential, WalletCredentialSkill
from app.openbadges.result import Verdict
from app.services import audit
from app.services.skills import badge_claims
from app.services.verification.report import build_report
from app.services.verification.verifier import VerificationInput, result_payload, verify_data
from app.services.wallet import skills_feed


class WalletError(DomainError):
    """The badge cannot be taken into the wallet (message is for its holder)."""


def _document(given: VerificationInput) -> bytes:
    return given.data if isinstance(given.data, bytes) else str(given.data).encode()


def data_of(entry: WalletCredential) -> bytes | str:
    return entry.document if entry.document_kind == "upload" else entry.document.decode()


def _apply(entry: WalletCredential, payload: dict, result) -> None:
    entry.verdict = str(result.verdict)
    entry.reason = reason_of(payload)
    entry.format = result.format[:30]
    entry.issuer_name = (result.issuer.name or "")[:300] or None
    entry.achievement_name = (result.achievement.name or "")[:300] or None
    entry.recipient_match = result.recipient_match
    entry.checked_at = utcnow()
    entry.result = payload


def _keep_claims(entry: WalletCredential, result) -> None:
    """The skills the badge's own alignments claim, unless it is a hub micro-credential (which
    counts through HeldCredential instead)."""
    db.session.execute(delete(WalletCredentialSkill).where(WalletCredentialSkill.wallet_credential_id == entry.id))
    if skills_feed.hub_record_of(result.credential, result.issuer.id) is None:
        for claim in badge_claims.alignment_claims(result.credential):
            db.session.add(
                WalletCredentialSkill(wallet_credential_id=entry.id, skill_id=claim["skill_id"], level=claim["level"])
            )
    db.session.flush()


def import_badge(user, given: VerificationInput) -> tuple[WalletCredential, bool]:
    """Verify ``given`` and keep it in ``user``'s wallet. Returns (entry, added): a credential
    already in the wallet is not added twice; the new way it arrived is added to its sources."""
    result = verify_data(given.data, user.email)
    payload = result_payload(result)
    if result.verdict == Verdict.INVALID:
        why = reason_of(payload) or "it did not pass the checks"
        raise WalletError(f"This badge was not added to your wallet: {why}", field="badge")
    document = _document(given)
    identity = (result.credential_id or "")[:500] or f"sha256:{hashlib.sha256(document).hexdigest()}"
    entry = db.session.scalar(
        select(WalletCredential).where(WalletCredential.user_id == user.id, WalletCredential.identity == identity)
    )
    added = entry is None
    if entry is None:
        entry = WalletCredential(
            user_id=user.id,
            identity=identity,
            document=document,
            document_kind=given.source,
            label=(given.label or "")[:500] or None,
            sources=[given.source],
        )
        db.session.add(entry)
    else:  # the latest copy is the one kept and checked from now on
        entry.document, entry.document_kind = document, given.source
        entry.label = (given.label or "")[:500] or entry.label
        if given.source not in (entry.sources or []):
            entry.sources = [*(entry.sources or []), given.source]
    _apply(entry, payload, result)
    db.session.flush()
    _keep_claims(entry, result)
    counted = skills_feed.sync(entry, result)
    audit.record(
        user,
        "wallet.import" if added else "wallet.import_again",
        entry,
        f"{'Added' if added else 'Imported again'} {entry.achievement_name or 'a badge'} "
        f"from {entry.issuer_name or 'an unknown issuer'}: {entry.verdict_label}",
        verdict=entry.verdict,
        source=given.source,
        format=entry.format,
        counts_for_employers=counted,
    )
    return entry, added


def _check_again(actor, entry: WalletCredential, summary: str) -> None:
    owner = db.session.get(User, entry.user_id)
    before = entry.verdict
    result = verify_data(data_of(entry), owner.email if owner else None)
    _apply(entry, result_payload(result), result)
    _keep_claims(entry, result)
    skills_feed.sync(entry, result)
    audit.record(
        actor,
        "wallet.recheck",
        entry,
        f"{summary} {entry.achievement_name or 'a badge'}: {entry.verdict_label}",
        before=before,
        verdict=entry.verdict,
    )


def recheck(actor, entry: WalletCredential) -> WalletCredential:
    """Check the badge again on its holder's request (its issuer may have revoked it since)."""
    _check_again(actor, entry, "Checked again")
    db.session.flush()
    return entry


def recheck_due(limit: int, now: datetime | None = None, *, older_than_hours: int = 24) -> int:
    """The scheduled re-check: up to `limit` entries not checked for `older_than_hours`, those
    checked longest ago first. Returns how many were checked."""
    cutoff = (now or utcnow()) - timedelta(hours=older_than_hours)
    due = db.session.scalars(
        select(WalletCredential)
        .where(WalletCredential.checked_at < cutoff)
        .order_by(WalletCredential.checked_at, WalletCredential.id)
        .limit(limit)
    ).all()
    for entry in due:
        _check_again(None, entry, "Scheduled check of")
    db.session.flush()
    return len(due)


def remove(user, entry: WalletCredential) -> None:
    """The holder takes a badge out of their wallet; what was imported is deleted."""
    audit.record(
        user,
        "wallet.remove",
        entry,
        f"Removed {entry.achievement_name or 'a badge'} from their wallet",
        identity=entry.identity[:200],
    )
    skills_feed.drop(entry)
    db.session.delete(entry)
    db.session.flush()


def check_report(entry: WalletCredential, holder) -> bytes:
    """Credwork's latest check of an imported badge as the verifier's PDF report (a badge signed by
    another issuer cannot be re-signed here, so this, the file as imported, and the share link are
    what the holder can hand on)."""
    shown = Verification(
        token="",
        source="paste",
        verdict=entry.verdict,
        format=entry.format,
        issuer_name=entry.issuer_name,
        achievement_name=entry.achievement_name,
        credential_id=None if entry.identity.startswith("sha256:") else entry.identity,
        recipient_match=entry.recipient_match,
        input_label=entry.label,
        result=entry.result,
        created_at=entry.checked_at,
    )
    return build_report(shown, verified_by=f"Credwork, for {holder.name}'s wallet")
