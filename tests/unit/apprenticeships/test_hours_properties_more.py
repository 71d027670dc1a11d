"""Properties of the off-the-job clock over arbitrary plans and breaks in learning: what is
expected never goes down as the days pass, never passes the target, and a break never brings
the end date forward."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.off_the_job import Break, Plan, TargetBasis, expected_end, expected_minutes, target_minutes


@st.composite
def plans(draw) -> Plan:
    start = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2029, 12, 31)))
    basis = draw(st.sampled_from(list(TargetBasis)))
    denominator = draw(st.integers(1, 30))
    return Plan(
        start=start,
        planned_end=start + timedelta(days=draw(st.integers(0, 1200))),
        weekly_minutes=draw(st.integers(60, 80 * 60)),
        basis=basis,
        percent=draw(st.integers(1, 100)),
        fixed_hours=draw(st.integers(1, 2000)),
        prior_learning=Fraction(draw(st.integers(0, denominator)), denominator),
    )


@st.composite
def breaks_for(draw, plan: Plan) -> list[Break]:
    """Breaks as the services allow them: none before the start, each after the last one ended,
    the last possibly still open."""
    found: list[Break] = []
    next_start = plan.start
    for _ in range(draw(st.integers(0, 4))):
        begins = next_start + timedelta(days=draw(st.integers(0, 300)))
        if draw(st.integers(0, 3)) == 0:
            found.append(Break(begins))  # still open: nothing can follow it
            break
        ends = begins + timedelta(days=draw(st.integers(0, 400)))
        found.append(Break(begins, ends))
        next_start = ends + timedelta(days=1)
    return found


@st.composite
def plan_and_breaks(draw):
    plan = draw(plans())
    return plan, draw(breaks_for(plan))


def _window(plan: Plan, breaks: list[Break]):
    """Every day from a week before the start to well after the latest possible end."""
    last = max([plan.planned_end] + [b.end or b.start for b in breaks]) + timedelta(days=plan.planned_days + 30)
    day = plan.start - timedelta(days=7)
    while day <= last:
        yield day
        day += timedelta(days=1)


@settings(max_examples=150, deadline=None)
@given(plan_and_breaks())
def test_expected_minutes_never_decrease_as_the_days_pass(case):
    plan, breaks = case
    before = -1
    for day in _window(plan, breaks):
        now = expected_minutes(plan, breaks, day)
        assert now >= before, f"expected fell from {before} to {now} on {day}"
        before = now


@settings(max_examples=150, deadline=None)
@given(plan_and_breaks())
def test_expected_minutes_never_pass_the_target(case):
    plan, breaks = case
    target = target_minutes(plan)
    assert target >= 0
    for day in _window(plan, breaks):
        assert 0 <= expected_minutes(plan, breaks, day) <= target


@settings(max_examples=150, deadline=None)
@given(plan_and_breaks())
def test_expected_minutes_stand_still_on_every_day_of_a_break(case):
    plan, breaks = case
    for b in breaks:
        last = b.end or b.start + timedelta(days=60)
        held = expected_minutes(plan, breaks, b.start - timedelta(days=1))
        day = b.start
        while day <= last:
            assert expected_minutes(plan, breaks, day) == held
            day += timedelta(days=1)


@settings(max_examples=150, deadline=None)
@given(plan_and_breaks())
def test_with_closed_breaks_the_target_is_reached_on_the_expected_last_day_and_not_before(case):
    plan, breaks = case
    closed = [b for b in breaks if b.end is not None]
    # Only breaks that began while the apprenticeship was still running count here.
    running: list[Break] = []
    for b in closed:
        if b.start <= expected_end(plan, running, b.start):
            running.append(b)
    end = expected_end(plan, running, date(2100, 1, 1))
    target = target_minutes(plan)
    assert expected_minutes(plan, running, end) == target
    if target > 0 and plan.planned_days > 1:
        assert expected_minutes(plan, running, end - timedelta(days=1)) < target


@st.composite
def any_break(draw) -> Break:
    start = draw(st.dates(min_value=date(2025, 6, 1), max_value=date(2033, 12, 31)))
    if draw(st.booleans()):
        return Break(start)
    return Break(start, start + timedelta(days=draw(st.integers(0, 500))))


@settings(max_examples=300, deadline=None)
@given(
    plan_and_breaks(),
    any_break(),
    st.dates(min_value=date(2025, 6, 1), max_value=date(2034, 12, 31)),
)
def test_adding_a_break_never_moves_the_expected_end_earlier(case, added, today):
    plan, breaks = case
    assert expected_end(plan, breaks + [added], today) >= expected_end(plan, breaks, today)
    assert expected_end(plan, breaks, today) >= plan.start + timedelta(days=plan.planned_days - 1)


@settings(max_examples=150, deadline=None)
@given(plan_and_breaks(), st.integers(0, 2000), st.integers(0, 400))
def test_the_expected_end_never_moves_earlier_as_today_moves_on(case, offset, step):
    plan, breaks = case
    today = plan.start + timedelta(days=offset)
    assert expected_end(plan, breaks, today + timedelta(days=step)) >= expected_end(plan, breaks, today)
