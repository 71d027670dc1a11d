"""Off-the-job hours arithmetic: the target, the hours expected by a given day, and how breaks in
learning and recognised prior learning move them.

Everything is whole minutes and calendar days, counted inclusively (an apprenticeship that
starts and ends on the same day lasts one day). The clock runs on every calendar day of the
planned duration except days inside a break in learning, so a part-time apprentice's target
is smaller (it is a share of fewer contracted hours) but their clock runs the same way.

`expected_minutes` never decreases as the day moves on and never exceeds the target: during a
break it stands still, and it stops at the target on the last planned day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import cached_property


class TargetBasis(StrEnum):
    """How a programme sets its off-the-job target."""

    PERCENT = "percent"  # a percentage of contracted hours over the planned duration
    HOURS = "hours"  # a fixed minimum of hours for the whole apprenticeship


@dataclass(frozen=True)
class Break:
    """A break in learning, inclusive of both days; `end` is None while it lasts."""

    start: date
    end: date | None = None

    def days_until(self, day: date) -> int:
        """How many days of the break fall on or before `day`."""
        last = day if self.end is None else min(self.end, day)
        return max(0, (last - self.start).days + 1)

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Plan:
    """What the training plan fixes: dates, contracted hours, the target rule and the share of
    the programme already recognised as prior learning (0 to 1)."""

    start: date
    planned_end: date  # the contract's planned last day, before prior learning and breaks
    weekly_minutes: int
    basis: TargetBasis
    percent: int = 20
    fixed_hours: int = 0
    prior_learning: Fraction = field(default_factory=Fraction)

    @property
    def contract_days(self) -> int:
        return max(1, (self.planned_end - self.start).days + 1)

    @cached_property
    def planned_days(self) -> int:
        """The planned duration in days after recognised prior learning (at least one day)."""
        if not self.prior_learning:
            return self.contract_days  # the same as below, without fractions (a caseload asks 1,000 times)
        return max(1, round(self.contract_days * (1 - self.prior_learning)))

    @property
    def days_saved(self) -> int:
        return self.contract_days - self.planned_days


def target_minutes(plan: Plan) -> int:
    """The off-the-job target for the whole apprenticeship, reduced pro rata by prior learning."""
    if plan.basis == TargetBasis.HOURS:
        return int(plan.fixed_hours * 60 * (1 - plan.prior_learning))
    # The percentage of the contracted minutes (weekly minutes over the planned weeks), rounded
    # down: whole numbers throughout.
    return plan.weekly_minutes * plan.planned_days * plan.percent // 700


def break_days(breaks: list[Break], until: date) -> int:
    """Days spent in breaks on or before `until` (a day inside two breaks counts once)."""
    total, covered_to = 0, None
    for b in sorted(breaks, key=lambda b: b.start):
        last = until if b.end is None else min(b.end, until)
        first = b.start if covered_to is None else max(b.start, covered_to + timedelta(days=1))
        if last >= first:
            total += (last - first).days + 1
        covered_to = last if covered_to is None else max(covered_to, last)
    return total


def expected_end(plan: Plan, breaks: list[Break], today: date) -> date:
    """The planned last day, moved on by every day spent in a break (an open break counts up to
    `today`)."""
    last = max((b.end or today for b in breaks), default=plan.start)
    return plan.start + timedelta(days=plan.planned_days - 1 + break_days(breaks, max(last, today)))


def active_days(plan: Plan, breaks: list[Break], day: date) -> int:
    """Days of the planned duration that have run by the end of `day` (breaks excluded)."""
    if day < plan.start:
        return 0
    elapsed = (day - plan.start).days + 1 - break_days(breaks, day)
    return max(0, min(plan.planned_days, elapsed))


def expected_minutes(plan: Plan, breaks: list[Break], day: date) -> int:
    """Off-the-job minutes expected by the end of `day`: the target pro rata to the planned days
    that have run."""
    return target_minutes(plan) * active_days(plan, breaks, day) // plan.planned_days


def percent_of(part: int, whole: int) -> int | None:
    """`part` as a whole percentage of `whole`, or None when there is nothing to compare with."""
    if whole <= 0:
        return None
    share = abs(part) * 100 // whole  # toward zero, as int() of the exact fraction
    return share if part >= 0 else -share


def hours(minutes: int) -> str:
    """Minutes as hours for people: 90 -> "1.5", 600 -> "10", 50 -> "0.8"."""
    tenths = (minutes * 10 + 30) // 60  # half a tenth rounds up, in whole numbers (no float drift)
    return f"{tenths // 10}.{tenths % 10}".removesuffix(".0")
