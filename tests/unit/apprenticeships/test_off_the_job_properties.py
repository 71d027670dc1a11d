"""Properties of the hours expected to date, over any plan and any breaks: it never goes down as
time passes, never exceeds the target, and a break never brings the end date forward."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.off_the_job import Break, Plan, TargetBasis, expected_end, expected_minutes, target_minutes

EXAMPLES = settings(max_examples=300, deadline=None)


@st.composite
def plans(draw) -> Plan:
    start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31)))
    length = draw(st.integers(min_value=1, max_value=2_000))
    items = draw(st.integers(min_value=1, max_value=30))
    return Plan(
        start=start,
        planned_end=start + timedelta(days=length),
        weekly_minutes=draw(st.integers(min_value=60, max_value=60 * 60)),
        basis=draw(st.sampled_from(list(TargetBasis))),
        percent=draw(st.integers(min_value=1, max_value=100)),
        fixed_hours=draw(st.integers(min_value=1, max_value=3_000)),
        prior_learning=Fraction(draw(st.integers(min_value=0, max_value=items - 1)), items),
    )


@st.composite
def breaks_after(draw, start: date) -> list[Break]:
    found, cursor = [], start
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        begin = cursor + timedelta(days=draw(st.integers(min_value=0, max_value=400)))
        if draw(st.booleans()):
            end = begin + timedelta(days=draw(st.integers(min_value=0, max_value=200)))
            found.append(Break(begin, end))
            cursor = end + timedelta(days=1)
        else:
            found.append(Break(begin))  # still open: nothing can follow it
            break
    return found


@EXAMPLES
@given(data=st.data())
def test_expected_to_date_never_decreases_and_never_exceeds_the_target(data):
    plan = data.draw(plans())
    breaks = data.draw(breaks_after(plan.start))
    target = target_minutes(plan)
    first = data.draw(st.dates(min_value=plan.start - timedelta(days=30), max_value=plan.start + timedelta(days=3_000)))
    later = first + timedelta(days=data.draw(st.integers(min_value=0, max_value=1_500)))
    earlier_figure = expected_minutes(plan, breaks, first)
    later_figure = expected_minutes(plan, breaks, later)
    assert 0 <= earlier_figure <= later_figure <= target


@EXAMPLES
@given(data=st.data())
def test_by_the_expected_end_the_whole_target_is_expected(data):
    plan = data.draw(plans())
    breaks = [b for b in data.draw(breaks_after(plan.start)) if b.end is not None]
    today = plan.start + timedelta(days=5_000)
    assert expected_minutes(plan, breaks, expected_end(plan, breaks, today)) == target_minutes(plan)


@EXAMPLES
@given(data=st.data())
def test_a_break_never_brings_the_end_forward(data):
    plan = data.draw(plans())
    breaks = [b for b in data.draw(breaks_after(plan.start)) if b.end is not None]
    last = max((b.end for b in breaks if b.end), default=plan.start)
    begin = last + timedelta(days=data.draw(st.integers(min_value=1, max_value=300)))
    extra = Break(begin, begin + timedelta(days=data.draw(st.integers(min_value=0, max_value=200))))
    today = begin + timedelta(days=400)
    assert expected_end(plan, [*breaks, extra], today) >= expected_end(plan, breaks, today)
