"""An apprentice's progress status (on track, at risk, off track), always with its reasons.

One rule, fed with figures the services gather: off-the-job hours against the hours expected to
date, review currency, overdue actions, failed modules and, once evidence is recorded, the
share of KSBs covered. Each programme sets its thresholds; `Thresholds()` holds the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.off_the_job import hours, percent_of


class ProgressStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"

    @property
    def label(self) -> str:
        return {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track"}[self.value]

    @property
    def colour(self) -> str:
        return {"on_track": "green", "at_risk": "yellow", "off_track": "red"}[self.value]


@dataclass(frozen=True)
class Thresholds:
    """When an apprentice is at risk or off track. Percentages are of what is expected by now."""

    otj_at_risk_percent: int = 90  # off-the-job hours below this share of expected: at risk
    otj_off_track_percent: int = 70  # ... below this: off track
    review_off_track_days: int = 28  # a review overdue by more days than this: off track
    # Before this many hours are expected, a shortfall is not judged (the first weeks are noisy).
    otj_grace_minutes: int = 6 * 60


@dataclass(frozen=True)
class Position:
    """The figures the status is judged on, all as of one day."""

    logged_minutes: int
    expected_minutes: int
    review_overdue_days: int = 0
    overdue_actions: int = 0
    failed_modules: int = 0
    # KSBs with signed-off evidence, as a share of all KSBs, against the share expected by now;
    # None until the programme records evidence.
    coverage_percent: int | None = None
    coverage_expected_percent: int | None = None


@dataclass(frozen=True)
class Assessment:
    status: ProgressStatus
    reasons: tuple[str, ...]


def assess(position: Position, limits: Thresholds | None = None) -> Assessment:
    """The status and every reason for it; the worst reason sets the status."""
    limits = limits or Thresholds()
    found: list[tuple[ProgressStatus, str]] = []

    share = percent_of(position.logged_minutes, position.expected_minutes)
    if share is not None and position.expected_minutes >= limits.otj_grace_minutes:
        words = (
            f"off-the-job hours {share}% of expected to date "
            f"({hours(position.logged_minutes)} of {hours(position.expected_minutes)} hours)"
        )
        if share < limits.otj_off_track_percent:
            found.append((ProgressStatus.OFF_TRACK, words))
        elif share < limits.otj_at_risk_percent:
            found.append((ProgressStatus.AT_RISK, words))

    days = position.review_overdue_days
    if days > 0:
        words = f"review overdue by {days} day{'s' if days != 1 else ''}"
        found.append(
            (ProgressStatus.OFF_TRACK if days > limits.review_off_track_days else ProgressStatus.AT_RISK, words)
        )

    if position.overdue_actions:
        n = position.overdue_actions
        found.append((ProgressStatus.AT_RISK, f"{n} agreed action{'s' if n != 1 else ''} overdue"))

    if position.failed_modules:
        n = position.failed_modules
        found.append((ProgressStatus.AT_RISK, f"{n} module{'s' if n != 1 else ''} not passed"))

    if position.coverage_percent is not None and position.coverage_expected_percent:
        if position.coverage_percent < position.coverage_expected_percent * limits.otj_at_risk_percent // 100:
            found.append(
                (
                    ProgressStatus.AT_RISK,
                    f"evidence covers {position.coverage_percent}% of KSBs, "
                    f"{position.coverage_expected_percent}% expected by now",
                )
            )

    if not found:
        return Assessment(ProgressStatus.ON_TRACK, ("everything is up to date",))
    order = [ProgressStatus.OFF_TRACK, ProgressStatus.AT_RISK]
    worst = min((status for status, _ in found), key=order.index)
    ranked = sorted(found, key=lambda item: order.index(item[0]))
    return Assessment(worst, tuple(words for _, words in ranked))
