"""The KSB ratings radar chart of a review, as geometry for a server-rendered SVG: one axis per
KSB, one polygon per party. The page shows the same figures as a table for screen readers."""

from __future__ import annotations

import math
from dataclasses import dataclass

SIZE = 360
CENTRE = SIZE / 2
RADIUS = 130
PARTY_STYLES = {
    # (colour, dash pattern): parties differ in line style as well as colour.
    "apprentice": ("#1d70b8", ""),
    "employer": ("#d4351c", "6 4"),
    "provider": ("#00703c", "2 3"),
}


@dataclass(frozen=True)
class Axis:
    code: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class Series:
    party: str
    colour: str
    dash: str
    points: str


@dataclass(frozen=True)
class Radar:
    size: int
    centre: float
    axes: list[Axis]
    rings: list[str]  # polygon points for scores 1..5
    series: list[Series]


def _point(index: int, count: int, fraction: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return CENTRE + RADIUS * fraction * math.cos(angle), CENTRE + RADIUS * fraction * math.sin(angle)


def radar(outcomes, scores: dict[int, dict[str, int]]) -> Radar | None:
    """The chart for `outcomes` (KSBs in order) and `scores` ({outcome id: {party: 1..5}});
    None with fewer than three KSBs, where a radar says nothing a table does not."""
    count = len(outcomes)
    if count < 3:
        return None
    axes = []
    for i, outcome in enumerate(outcomes):
        x, y = _point(i, count, 1)
        lx, ly = _point(i, count, 1.16)
        anchor = "middle" if abs(lx - CENTRE) < 10 else ("start" if lx > CENTRE else "end")
        axes.append(Axis(outcome.code, round(x, 1), round(y, 1), round(lx, 1), round(ly + 4, 1), anchor))
    rings = [
        " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(i, count, level / 5) for i in range(count)))
        for level in range(1, 6)
    ]
    series = []
    for party, (colour, dash) in PARTY_STYLES.items():
        given = [scores.get(o.id, {}).get(party) for o in outcomes]
        if not any(given):
            continue
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(i, count, (s or 0) / 5) for i, s in enumerate(given)))
        series.append(Series(party, colour, dash, points))
    return Radar(SIZE, CENTRE, axes, rings, series)
