"""Suggested pathways: weighted set cover over published micro-credentials.

Pure functions with no database or Flask: given the skills a person is missing and the
micro-credentials that teach them (each with a weight: its price or its notional hours), choose
the cheapest set of micro-credentials that teaches every skill that can be taught at all.

Minimum weighted set cover is NP-hard, so :func:`solve` works in two regimes:

* **Exact** when, after pruning, at most ``EXACT_LIMIT`` candidates remain: branch and bound.
  Each step takes the untaught skill with the fewest candidates and branches on every candidate
  teaching it (every cover must contain one of them), cheapest first; a branch stops when its
  weight plus a lower bound (the dearest "cheapest way to teach one remaining skill") cannot beat
  the best cover found so far.
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

EXACT_LIMIT = 20


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
    return tuple(x + y for x, y in zip(a, b))


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
    if len(kept) <= exact_limit:
        chosen, method = _branch_and_bound(teachable, kept), "exact"
    else:
        chosen, method = _greedy(teachable, kept), "greedy"
    chosen.sort(key=_sort_key)
    return Cover(chosen, uncovered, method, len(kept))


def _branch_and_bound(target: frozenset, kept: list[Candidate]) -> list[Candidate]:
    teaching = {s: [c for c in kept if s in c.skills] for s in target}  # kept is sorted cheapest first
    cheapest = {s: cs[0].rank() for s, cs in teaching.items()}
    best: list = [None, None]  # [rank total, chosen]
    zero = (0, 0, 0)

    def lower_bound(left: frozenset) -> tuple:
        return max((cheapest[s] for s in left), default=zero)

    def search(left: frozenset, chosen: list[Candidate], total: tuple) -> None:
        if not left:
            if best[0] is None or total < best[0]:
                best[0], best[1] = total, list(chosen)
            return
        if best[0] is not None and _add(total, lower_bound(left)) >= best[0]:
            return
        pivot = min(left, key=lambda s: (len(teaching[s]), repr(s)))
        for c in teaching[pivot]:
            chosen.append(c)
            search(left - c.skills, chosen, _add(total, c.rank()))
            chosen.pop()

    search(target, [], zero)
    return best[1]


def _greedy(target: frozenset, kept: list[Candidate]) -> list[Candidate]:
    left, chosen = set(target), []
    while left:
        def price(c: Candidate) -> tuple:
            gain = len(c.skills & left)
            return (c.weight / gain if gain else math.inf, -gain, *_sort_key(c))
        pick = min(kept, key=price)
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
