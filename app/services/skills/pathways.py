"""Suggested pathways: weighted set cover over published micro-credentials.

Given the skills a person still needs for their job role (missing, or below the target level)
and the published micro-credentials that teach them (each with a weight: its price or its
notional hours, as the user chooses), choose the cheapest set of micro-credentials that teaches
every skill that can be taught at all.

A micro-credential *covers* a skill when it lists the skill among those it develops and would
lift the person above the level they have now (its SCQF level read through
`catalogue.level_from_scqf`): a course at the level someone already has does not close their gap.
Records the person already holds (same provider and code, any version) are never suggested again.

The solver, `solve`, is pure (no database, no Flask). Minimum weighted set cover is NP-hard, so
it works in two regimes:

* **Exact** when, after pruning, at most ``EXACT_LIMIT`` candidates remain: branch and bound,
  starting from the greedy cover as the bound to beat. Each step takes the untaught skill with
  the fewest candidates and branches on every candidate teaching it (every cover must contain one
  of them), cheapest first; a branch stops when its weight plus a lower bound (the dearest
  "cheapest way to teach one remaining skill") cannot beat the best cover found so far. If the
  search exceeds ``NODE_BUDGET`` nodes it stops and the greedy cover stands (method "greedy").
* **Greedy** otherwise: repeatedly take the candidate with the lowest weight per newly taught
  skill (Chvátal 1979). Its total is at most H(d) times the optimum, where d is the largest
  number of wanted skills one candidate teaches and H(d) = 1 + 1/2 + ... + 1/d <= ln(d) + 1
  <= ln(n) + 1 for n wanted skills. Credentials made redundant by later choices are then
  dropped, which only lowers the total.

Pruning before either: a candidate teaching none of the wanted skills is irrelevant; a candidate
whose wanted skills are a subset of another's that costs no more is dominated (swapping it for the
other never makes a cover worse). Skills no candidate teaches are reported as uncovered and left
out of the problem, so the rest still gets a pathway.

Ties: among covers of equal weight the solver prefers fewer credentials, then the lower
``tiebreak`` total (the caller passes the other measure, e.g. hours when weighing by cost), then
lower keys, so answers are deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import MicroCredential, RecordStatus, Skill, Sponsorship
from app.models.cpd import STATUS_LABELS, SponsorshipStatus
from app.services.catalogue.lifecycle import level_from_scqf

EXACT_LIMIT = 20
# Search nodes the exact solver may visit before settling for the greedy cover (well under a second).
NODE_BUDGET = 50_000


@dataclass(frozen=True)
class Candidate:
    """Something that teaches a set of skills for a weight (pence or hours)."""

    key: Hashable
    skills: frozenset
    weight: int
    tiebreak: int = 0

    def rank(self) -> tuple:
        """Additive, totally ordered cost: weight, then one per credential, then the tiebreak."""
        return (self.weight, 1, self.tiebreak)


@dataclass
class Cover:
    """The chosen candidates, what stays uncovered, and how the answer was found."""

    chosen: list[Candidate] = field(default_factory=list)
    uncovered: frozenset = frozenset()
    method: str = "exact"  # "exact" | "greedy" | "empty"
    considered: int = 0  # candidates left after pruning

    @property
    def weight(self) -> int:
        return sum(c.weight for c in self.chosen)

    @property
    def keys(self) -> list:
        return [c.key for c in self.chosen]


def _sort_key(c: Candidate) -> tuple:
    return (*c.rank(), -len(c.skills), repr(c.key))


def _add(a: tuple, b: tuple) -> tuple:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def prune(wanted: frozenset, candidates: Iterable[Candidate]) -> list[Candidate]:
    """Restrict candidates to the wanted skills and drop irrelevant and dominated ones."""
    relevant = []
    for c in candidates:
        if c.weight < 0:
            raise ValueError("weights cannot be negative")
        taught = frozenset(c.skills) & wanted
        if taught:
            relevant.append(Candidate(c.key, taught, c.weight, c.tiebreak))
    # Cheapest first, then widest: a candidate can only be dominated by one earlier in this order.
    relevant.sort(key=_sort_key)
    kept: list[Candidate] = []
    for c in relevant:
        if not any(c.skills <= k.skills for k in kept):
            kept.append(c)
    return kept


def solve(wanted: Iterable, candidates: Iterable[Candidate], exact_limit: int = EXACT_LIMIT) -> Cover:
    """The cheapest set of candidates teaching every teachable wanted skill (see module doc)."""
    wanted = frozenset(wanted)
    kept = prune(wanted, candidates)
    teachable = frozenset().union(*(c.skills for c in kept)) if kept else frozenset()
    uncovered = wanted - teachable
    if not teachable:
        return Cover([], uncovered, "empty", 0)
    chosen, method = _greedy(teachable, kept), "greedy"
    if len(kept) <= exact_limit:
        exact = _branch_and_bound(teachable, kept, chosen)
        if exact is not None:
            chosen, method = exact, "exact"
    chosen.sort(key=_sort_key)
    return Cover(chosen, uncovered, method, len(kept))


class _OutOfBudget(Exception):
    pass


def _branch_and_bound(target: frozenset, kept: list[Candidate], start: list[Candidate]) -> list[Candidate] | None:
    """The optimum, searching from the greedy cover `start` as the bound to beat; None if the
    search visits more than NODE_BUDGET nodes (then the caller keeps the greedy answer)."""
    teaching = {s: [c for c in kept if s in c.skills] for s in target}  # kept is sorted cheapest first
    cheapest = {s: cs[0].rank() for s, cs in teaching.items()}
    zero = (0, 0, 0)
    best: list = [zero, list(start)]  # [rank total, chosen]
    for c in start:
        best[0] = _add(best[0], c.rank())
    visits = [0]

    def lower_bound(left: frozenset) -> tuple:
        return max((cheapest[s] for s in left), default=zero)

    def search(left: frozenset, chosen: list[Candidate], total: tuple) -> None:
        visits[0] += 1
        if visits[0] > NODE_BUDGET:
            raise _OutOfBudget
        if not left:
            if total < best[0]:
                best[0], best[1] = total, list(chosen)
            return
        if _add(total, lower_bound(left)) >= best[0]:
            return
        pivot = min(left, key=lambda s: (len(teaching[s]), repr(s)))
        for c in teaching[pivot]:
            chosen.append(c)
            search(left - c.skills, chosen, _add(total, c.rank()))
            chosen.pop()

    try:
        search(target, [], zero)
    except _OutOfBudget:
        return None
    return best[1]


def _greedy_price(c: Candidate, left: frozenset) -> tuple:
    """Weight per newly taught skill (lower is better), then more skills, then the usual order."""
    gain = len(c.skills & left)
    return (c.weight / gain if gain else math.inf, -gain, *_sort_key(c))


def _greedy(target: frozenset, kept: list[Candidate]) -> list[Candidate]:
    left, chosen = set(target), []
    while left:
        remaining = frozenset(left)
        pick = min(kept, key=lambda c: _greedy_price(c, remaining))
        chosen.append(pick)
        left -= pick.skills
    # Reverse delete: drop the dearest credentials whose skills the others already teach.
    for c in sorted(chosen, key=_sort_key, reverse=True):
        others = [o for o in chosen if o is not c]
        if others and target <= frozenset().union(*(o.skills for o in others)):
            chosen = others
    return chosen


def harmonic(d: int) -> float:
    """H(d) = 1 + 1/2 + ... + 1/d, the greedy algorithm's worst-case ratio."""
    return sum(1 / i for i in range(1, d + 1))


# --- Pathways for people -------------------------------------------------------------------

WEIGHTS = {"cost": ("price_pence", "notional_hours"), "hours": ("notional_hours", "price_pence")}
WEIGHT_LABELS = {"cost": "lowest cost", "hours": "fewest hours"}


def parse_by(value: str | None) -> str:
    """The weighting asked for in a query string: "hours", otherwise "cost"."""
    return "hours" if value == "hours" else "cost"


@dataclass
class Pathway:
    """A suggested set of published micro-credentials and what it adds up to."""

    by: str
    records: list  # MicroCredential, cheapest first
    teaches: dict[int, list]  # record id -> the needed skills it teaches
    uncovered: list  # Skill: needed, but taught by no published micro-credential
    method: str
    considered: int
    # Micro-credentials already on the way through CPD: (record, the request's status label).
    in_progress: list = field(default_factory=list)

    @property
    def is_approximate(self) -> bool:
        """The greedy cover stood in for the optimum (too many choices to check them all)."""
        return self.method == "greedy"

    @property
    def total_pence(self) -> int:
        return sum(r.price_pence for r in self.records)

    @property
    def total_hours(self) -> int:
        return sum(r.notional_hours for r in self.records)

    @property
    def total_credits(self) -> int:
        return sum(r.scqf_credits or 0 for r in self.records)

    @property
    def non_credit_bearing(self) -> int:
        return sum(1 for r in self.records if not r.scqf_credits)


def candidate_records(skill_ids) -> list:
    """Published micro-credentials teaching any of these skills, skills and provider loaded."""
    if not skill_ids:
        return []
    return list(
        db.session.scalars(
            select(MicroCredential)
            .where(
                MicroCredential.status == RecordStatus.PUBLISHED,
                MicroCredential.skills.any(Skill.id.in_(list(skill_ids))),
            )
            .options(selectinload(MicroCredential.skills), joinedload(MicroCredential.provider))
        )
    )


def suggest_pathway(org, person, by: str = "cost") -> Pathway:
    """The cheapest pathway (by "cost" or "hours") for a person's gaps (`gaps.PersonGaps`).

    `org` is the employer asking; every published record on the hub is a candidate today, and the
    argument is where a rule such as "partner providers only" would apply.
    """
    by = parse_by(by)
    needed = {gap.skill.id: gap.skill for gap in person.to_learn}
    current = {gap.skill.id: gap.level for gap in person.to_learn}
    already = person.held_keys
    on_the_way = cpd_in_progress(person.membership)
    records = {r.id: r for r in candidate_records(needed) if (r.provider_id, r.code) not in already | set(on_the_way)}

    def raises(record) -> frozenset[int]:
        # A record helps with a skill only if it would lift the person above the level they
        # already have (a level 5 course does not close a gap for someone already at level 2).
        gives = level_from_scqf(record.scqf_level)
        return frozenset(s.id for s in record.skills if s.id in needed and gives > current[s.id])

    primary, secondary = WEIGHTS[by]
    cover = solve(
        needed, [Candidate(r.id, raises(r), getattr(r, primary), getattr(r, secondary)) for r in records.values()]
    )
    chosen = [records[c.key] for c in cover.chosen]
    teaches = {r.id: [needed[i] for i in sorted(raises(r), key=lambda i: needed[i].label)] for r in chosen}
    uncovered = sorted((needed[i] for i in cover.uncovered), key=lambda s: s.label)
    return Pathway(by, chosen, teaches, uncovered, cover.method, cover.considered, list(on_the_way.values()))


# A CPD request in one of these states means the person is already on the way to the record.
IN_PROGRESS = ("submitted", "endorsed", "more_information_needed", "approved", "approved_with_conditions", "enrolled")


def cpd_in_progress(membership) -> dict[tuple[int, str], tuple]:
    """{(provider id, code): (micro-credential, status label)} for the person's CPD requests in
    progress in this employer: the pathway shows these instead of suggesting them again."""
    rows = db.session.execute(
        select(MicroCredential, Sponsorship.status)
        .join(Sponsorship, Sponsorship.micro_credential_id == MicroCredential.id)
        .where(
            Sponsorship.organisation_id == membership.organisation_id,
            Sponsorship.person_id == membership.user_id,
            Sponsorship.status.in_(IN_PROGRESS),
        )
        .options(joinedload(MicroCredential.provider))
    ).all()
    return {(r.provider_id, r.code): (r, STATUS_LABELS[SponsorshipStatus(status)]) for r, status in rows}
