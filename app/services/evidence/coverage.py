"""The coverage matrix: for each KSB, the evidence signed off, the evidence submitted, and a red,
amber or green state. Red: nothing yet; amber: submitted but not signed off; green: signed off.
One apprentice's matrix, and a cohort's heat map, each in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db
from app.models import Apprenticeship, EvidenceClaim, EvidenceEntry, Membership, ProgrammeOutcome, User

RAG = {
    "green": ("Signed off", "green"),
    "amber": ("Submitted, not signed off", "yellow"),
    "red": ("No evidence yet", "red"),
}


def state(signed: int, submitted: int) -> str:
    if signed:
        return "green"
    return "amber" if submitted else "red"


@dataclass
class Cell:
    outcome: ProgrammeOutcome
    signed_off: list = field(default_factory=list)  # entries
    submitted: list = field(default_factory=list)

    @property
    def rag(self) -> str:
        return state(len(self.signed_off), len(self.submitted))

    @property
    def status_label(self) -> str:
        return RAG[self.rag][0]

    @property
    def status_colour(self) -> str:
        return RAG[self.rag][1]


def matrix(a: Apprenticeship) -> list[Cell]:
    """Each KSB of the programme with the entries that show it."""
    cells = {o.id: Cell(o) for o in a.programme.outcomes}
    rows = db.session.execute(
        select(EvidenceClaim.outcome_id, EvidenceClaim.signed_off_at, EvidenceEntry)
        .join(EvidenceEntry, EvidenceClaim.entry_id == EvidenceEntry.id)
        .where(EvidenceEntry.apprenticeship_id == a.id, EvidenceEntry.status != "draft")
        .order_by(EvidenceEntry.work_date)
    ).all()
    for outcome_id, signed_at, entry in rows:
        cell = cells.get(outcome_id)
        if cell is None:
            continue
        (cell.signed_off if signed_at else cell.submitted).append(entry)
    return list(cells.values())


def share_covered(cells: list[Cell]) -> int:
    """Percentage of KSBs that are green."""
    return sum(1 for c in cells if c.rag == "green") * 100 // len(cells) if cells else 0


@dataclass
class HeatMap:
    outcomes: list
    rows: list  # (apprenticeship id, name, {outcome id: "red" | "amber" | "green"})
    total: int
    page: int
    pages: int


def heat_map(condition, outcomes: list, page: int = 1, per_page: int = 50) -> HeatMap:
    """The RAG state of every KSB for a page of apprentices (by name) matching `condition`."""
    total = db.session.scalar(select(func.count(Apprenticeship.id)).where(condition)) or 0
    pages = max(1, -(-total // per_page))
    page = max(1, min(page, pages))
    people = db.session.execute(
        select(Apprenticeship.id, User.name)
        .join(Membership, Apprenticeship.apprentice_id == Membership.id)
        .join(User, Membership.user_id == User.id)
        .where(condition)
        .order_by(func.lower(User.name), Apprenticeship.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    ids = [a for a, _ in people]
    signed = func.count(EvidenceClaim.signed_off_at)
    counts = (
        db.session.execute(
            select(EvidenceEntry.apprenticeship_id, EvidenceClaim.outcome_id, signed, func.count(EvidenceClaim.id))
            .join(EvidenceEntry, EvidenceClaim.entry_id == EvidenceEntry.id)
            .where(EvidenceEntry.apprenticeship_id.in_(ids), EvidenceEntry.status != "draft")
            .group_by(EvidenceEntry.apprenticeship_id, EvidenceClaim.outcome_id)
        ).all()
        if ids
        else []
    )
    states: dict[int, dict[int, str]] = {a: {} for a in ids}
    for a, outcome_id, signed_count, all_count in counts:
        states[a][outcome_id] = state(signed_count, all_count - signed_count)
    rows = [(a, name, {o.id: states[a].get(o.id, "red") for o in outcomes}) for a, name in people]
    return HeatMap(outcomes, rows, total, page, pages)
