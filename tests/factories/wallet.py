"""Wallet entries made directly (no verification run), for pages and the isolation matrix."""

from __future__ import annotations

from app.extensions import db
from app.models import WalletCredential, WalletProfile, utcnow


def wallet_entry(user, *, name: str = "Imported badge", verdict: str = "valid", identity: str | None = None):
    entry = WalletCredential(
        user_id=user.id,
        identity=identity or f"urn:test:{user.id}:{name}",
        document=b"{}",
        document_kind="paste",
        sources=["paste"],
        format="ob3-di",
        issuer_name="Caledonian College",
        achievement_name=name,
        verdict=verdict,
        checked_at=utcnow(),
        result={"checks": []},
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _isolation_entry(t) -> int:
    return t.once("wallet_entry", lambda: wallet_entry(t.employer_person, name=f"{t.employer.name} wallet badge")).id


def _isolation_share_token(t) -> str:
    entry = db.session.get(WalletCredential, _isolation_entry(t))
    entry.share_token = entry.share_token or f"share-{t.employer.slug}"
    db.session.flush()
    return entry.share_token


def _isolation_profile_slug(t) -> str:
    def make():
        profile = WalletProfile(user_id=t.employer_person.id, slug=f"profile-{t.employer.slug}", enabled=True)
        db.session.add(profile)
        db.session.flush()
        return profile

    return t.once("wallet_profile", make).slug


ISOLATION_PARAMS = {
    "entry_id": _isolation_entry,
    "share_token": _isolation_share_token,
    "profile_slug": _isolation_profile_slug,
}
