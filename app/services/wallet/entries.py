"""The "My badges" list: one entry per credential a person holds, with every source it came from.

Three kinds of row feed it, each loaded in one query for the person:

* badges issued on Credwork to them (`IssuedCredential.user_id`: set at the award for a known
  email, or when they accept it): their state is read from Credwork's own register;
* badges they imported (`WalletCredential`): their state is the latest check;
* records an employer keeps (`HeldCredential`: recorded by HR, completed CPD, a verified badge).

An employer's record of a badge issued here, an import of a badge issued here, and several
employers' records of the same micro-credential all show as the one credential, with each
source listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.badges import IssuedCredential
from app.models.base import utcnow
from app.models.held_credentials import HeldCredential, HeldCredentialSource
from app.models.wallet import WalletCredential
from app.services.issuing.awards import credential_url

PAGE_SIZE = 20
ISSUED_HERE = "Issued on Credwork"


@dataclass
class WalletEntry:
    title: str
    issuer: str | None
    achieved_on: date | None
    status_label: str
    status_colour: str
    checked_at: datetime | None
    sources: list[str] = field(default_factory=list)
    issued: IssuedCredential | None = None
    imported: WalletCredential | None = None
    micro_credential_id: int | None = None
    # Counted in the credit record: a verified, credit-bearing badge at this SCQF level.
    scqf_level: int | None = None
    credits: int | None = None

    @property
    def counts_for_credit(self) -> bool:
        return bool(self.scqf_level and self.credits)

    def add_source(self, label: str) -> None:
        if label not in self.sources:
            self.sources.append(label)


@dataclass
class CreditTotal:
    """SCQF credit points held at one level, and how many badges make them up."""

    level: int
    points: int
    badges: int


@dataclass
class WalletPage:
    entries: list[WalletEntry]
    page: int
    total: int
    credit_record: list[CreditTotal] = field(default_factory=list)
    level: int | None = None  # the credit-record level the list is filtered to

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _issued_state(issued: IssuedCredential, now: datetime) -> tuple[str, str]:
    if issued.revoked_at:
        return "Revoked", "red"
    if issued.valid_until and issued.valid_until < now:
        return "Expired", "grey"
    return "Valid", "green"


def _held_label(held: HeldCredential) -> str:
    if held.source == HeldCredentialSource.ISSUED:  # the employer's copy of a badge issued here
        return f"In {held.organisation.name}'s records"
    return f"{held.source_label} ({held.organisation.name})"


_SCQF_LEVEL = re.compile(r"\bSCQF\b\D{0,12}(\d{1,2})\b", re.IGNORECASE)


def _scqf_credit(achievement: dict) -> tuple[int | None, int | None]:
    """(SCQF level, credit points) an imported badge states, when it states both."""
    found = _SCQF_LEVEL.search(str(achievement.get("level") or ""))
    try:
        credits = int(float(str(achievement.get("credits") or "0")))
    except ValueError:
        credits = 0
    if not found or credits <= 0 or not 1 <= int(found[1]) <= 12:
        return None, None
    return int(found[1]), credits


def credit_record(entries: list[WalletEntry]) -> list[CreditTotal]:
    """SCQF credit points by level, from verified credit-bearing badges only."""
    totals: dict[int, CreditTotal] = {}
    for e in entries:
        if e.counts_for_credit:
            total = totals.setdefault(e.scqf_level or 0, CreditTotal(e.scqf_level or 0, 0, 0))
            total.points += e.credits or 0
            total.badges += 1
    return [totals[level] for level in sorted(totals)]


def entries_of(user) -> list[WalletEntry]:
    """Every credential ``user`` holds, newest first, one entry each (three queries)."""
    now = utcnow()
    issued_rows = db.session.scalars(
        select(IssuedCredential)
        .where(IssuedCredential.user_id == user.id)
        .options(
            selectinload(IssuedCredential.organisation),
            selectinload(IssuedCredential.micro_credential),
            selectinload(IssuedCredential.programme),
        )
        .order_by(IssuedCredential.issued_at.desc(), IssuedCredential.id.desc())
    ).all()
    imports = db.session.scalars(
        select(WalletCredential)
        .where(WalletCredential.user_id == user.id)
        .order_by(WalletCredential.created_at.desc(), WalletCredential.id.desc())
    ).all()
    held_rows = db.session.scalars(
        select(HeldCredential)
        .where(HeldCredential.user_id == user.id)
        .options(selectinload(HeldCredential.micro_credential), selectinload(HeldCredential.organisation))
        .order_by(HeldCredential.achieved_on.desc(), HeldCredential.id.desc())
    ).all()

    entries: list[WalletEntry] = []
    by_issued: dict[int, WalletEntry] = {}
    by_record: dict[int, WalletEntry] = {}
    by_identity: dict[str, WalletEntry] = {}
    for issued in issued_rows:
        label, colour = _issued_state(issued, now)
        achieved = issued.achieved
        entry = WalletEntry(
            title=achieved.title,
            issuer=issued.organisation.name,
            achieved_on=issued.issued_at.date(),
            status_label=label,
            status_colour=colour,
            checked_at=now,
            sources=[ISSUED_HERE],
            issued=issued,
            micro_credential_id=issued.micro_credential_id,
        )
        if label == "Valid" and achieved.scqf_level and achieved.scqf_credits:
            entry.scqf_level, entry.credits = achieved.scqf_level, achieved.scqf_credits
        entries.append(entry)
        by_issued[issued.id] = entry
        by_identity[credential_url(issued.public_id)] = entry
        if issued.micro_credential_id and not issued.revoked_at:
            by_record.setdefault(issued.micro_credential_id, entry)
    for imported in imports:
        same = by_identity.get(imported.identity)
        if same is not None:  # a copy of a badge issued here: one credential
            for label in imported.source_labels:
                same.add_source(label)
            same.imported = imported
            continue
        entry = WalletEntry(
            title=imported.achievement_name or "Untitled badge",
            issuer=imported.issuer_name,
            achieved_on=imported.created_at.date(),
            status_label=imported.status_label,
            status_colour=imported.status_colour,
            checked_at=imported.checked_at,
            sources=list(imported.source_labels),
            imported=imported,
        )
        if imported.verdict == "valid" and imported.recipient_match is True:
            entry.scqf_level, entry.credits = _scqf_credit(imported.result.get("achievement") or {})
        entries.append(entry)
        by_identity[imported.identity] = entry
    for held in held_rows:
        same = by_issued.get(held.issued_credential_id or 0) or by_record.get(held.micro_credential_id)
        if same is None:
            record = held.micro_credential
            same = WalletEntry(
                title=record.title,
                issuer=None,
                achieved_on=held.achieved_on,
                status_label="Recorded, no digital badge",
                status_colour="grey",
                checked_at=None,
                micro_credential_id=record.id,
            )
            entries.append(same)
            by_record[record.id] = same
        same.add_source(_held_label(held))
    entries.sort(key=lambda e: e.achieved_on or date.min, reverse=True)
    return entries


def my_badges(user, page: int = 1, level: int | None = None) -> WalletPage:
    """One page of ``user``'s wallet, with their credit record; ``level`` keeps only the badges
    counted at that SCQF level."""
    entries = entries_of(user)
    record = credit_record(entries)
    if level is not None:
        entries = [e for e in entries if e.counts_for_credit and e.scqf_level == level]
    total = len(entries)
    page = max(1, min(page, max(1, -(-total // PAGE_SIZE))))
    return WalletPage(entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], page, total, record, level)


def own_import(user, entry_id: int) -> WalletCredential | None:
    """One of ``user``'s own imports (None for anyone else's: never revealed)."""
    entry = db.session.get(WalletCredential, entry_id)
    return entry if entry is not None and entry.user_id == user.id else None
