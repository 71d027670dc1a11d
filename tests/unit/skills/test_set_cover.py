"""The pathway solver (weighted set cover): hand-checked instances and a brute-force oracle."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.skills import pathways
from app.services.skills.pathways import Candidate, harmonic, prune, solve


def C(key, skills, weight, tiebreak=0):
    return Candidate(key, frozenset(skills), weight, tiebreak)


# Greedy takes P first (2 per skill) and then needs a 5 for skill 4: 11. The optimum is Q + R = 10.
GREEDY_TRAP = [C("P", "123", 6), C("Q", "12", 5), C("R", "34", 5), C("S", "4", 5)]


def test_exact_finds_the_optimum_greedy_misses():
    exact = solve("1234", GREEDY_TRAP)
    assert exact.method == "exact"
    assert sorted(exact.keys) == ["Q", "R"] and exact.weight == 10

    greedy = solve("1234", GREEDY_TRAP, exact_limit=0)
    assert greedy.method == "greedy"
    assert greedy.weight == 11
    assert greedy.weight <= harmonic(3) * exact.weight


def test_an_exact_search_over_budget_keeps_the_greedy_cover(monkeypatch):
    monkeypatch.setattr(pathways, "NODE_BUDGET", 1)
    cover = solve("1234", GREEDY_TRAP)
    assert cover.method == "greedy" and cover.weight == 11


def test_skills_no_candidate_teaches_are_reported_and_the_rest_still_covered():
    cover = solve({"cad", "welding", "secret-skill"}, [C("A", {"cad"}, 100), C("B", {"welding"}, 200)])
    assert cover.uncovered == {"secret-skill"}
    assert sorted(cover.keys) == ["A", "B"] and cover.weight == 300


def test_nothing_teachable_gives_an_empty_pathway():
    cover = solve({"x"}, [C("A", {"y"}, 1)])
    assert cover.chosen == [] and cover.uncovered == {"x"} and cover.method == "empty"
    assert solve(set(), [C("A", {"y"}, 1)]).chosen == []


def test_by_cost_and_by_hours_choose_differently():
    # One broad course that is dear but short, or two cheap long ones.
    courses = {"broad": ({"a", "b"}, 90000, 20), "cheap-a": ({"a"}, 20000, 60), "cheap-b": ({"b"}, 25000, 80)}
    by_cost = solve({"a", "b"}, [C(k, s, p, h) for k, (s, p, h) in courses.items()])
    by_hours = solve({"a", "b"}, [C(k, s, h, p) for k, (s, p, h) in courses.items()])
    assert sorted(by_cost.keys) == ["cheap-a", "cheap-b"] and by_cost.weight == 45000
    assert by_hours.keys == ["broad"] and by_hours.weight == 20


def test_ties_prefer_fewer_credentials_then_the_tiebreak():
    cover = solve({"a", "b"}, [C("A", {"a"}, 50), C("B", {"b"}, 50), C("AB", {"a", "b"}, 100)])
    assert cover.keys == ["AB"]
    cover = solve({"a"}, [C("slow", {"a"}, 50, tiebreak=90), C("quick", {"a"}, 50, tiebreak=10)])
    assert cover.keys == ["quick"]


def test_prune_drops_irrelevant_and_dominated_candidates():
    kept = prune(
        frozenset("ab"),
        [C("irrelevant", "z", 1), C("narrow-dear", "a", 300), C("wide-cheap", "ab", 200), C("free-b", "b", 0)],
    )
    assert {c.key for c in kept} == {"wide-cheap", "free-b"}
    # Skills outside the wanted set are ignored when comparing.
    kept = prune(frozenset("a"), [C("A", "ax", 10), C("B", "ay", 10, tiebreak=1)])
    assert [c.key for c in kept] == ["A"]


def test_negative_weights_are_refused():
    try:
        solve("a", [C("A", "a", -1)])
    except ValueError:
        return
    raise AssertionError("a negative weight was accepted")


def test_large_instances_use_greedy_and_still_cover_everything():
    skills = [f"s{i}" for i in range(30)]
    candidates = [
        C(f"c{i}", {skills[i], skills[(i + 1) % 30], skills[(i * 7) % 30]}, 100 + (i * 37) % 50) for i in range(30)
    ]
    cover = solve(skills, candidates)
    assert cover.method == "greedy" and cover.considered > 20
    assert frozenset().union(*(c.skills for c in cover.chosen)) == frozenset(skills)


def brute_force(wanted, candidates):
    wanted = frozenset(wanted)
    teachable = wanted & frozenset().union(*(c.skills for c in candidates)) if candidates else frozenset()
    best = None
    for r in range(len(candidates) + 1):
        for combo in combinations(candidates, r):
            taught = frozenset().union(*(c.skills for c in combo)) if combo else frozenset()
            if teachable <= taught:
                weight = sum(c.weight for c in combo)
                best = weight if best is None else min(best, weight)
    return best, wanted - teachable


SKILLS = list("abcdefg")
instances = st.tuples(
    st.sets(st.sampled_from(SKILLS), min_size=1, max_size=7),
    st.lists(
        st.tuples(st.sets(st.sampled_from(SKILLS), min_size=1, max_size=4), st.integers(0, 60), st.integers(0, 9)),
        max_size=9,
    ),
)


@settings(max_examples=300, deadline=None)
@given(instances)
def test_exact_matches_brute_force_and_greedy_stays_within_its_bound(instance):
    wanted, raw = instance
    candidates = [C(i, s, w, t) for i, (s, w, t) in enumerate(raw)]
    optimum, uncovered = brute_force(wanted, candidates)

    for limit in (20, 0):  # exact, then forced greedy
        cover = solve(wanted, candidates, exact_limit=limit)
        assert cover.uncovered == uncovered
        taught = frozenset().union(*(c.skills for c in cover.chosen)) if cover.chosen else frozenset()
        assert frozenset(wanted) - uncovered <= taught
        assert len(set(cover.keys)) == len(cover.keys)
        if limit:
            assert cover.weight == optimum
        else:
            largest = max((len(c.skills & frozenset(wanted)) for c in candidates), default=0)
            assert cover.weight <= harmonic(largest) * optimum + 1e-9
