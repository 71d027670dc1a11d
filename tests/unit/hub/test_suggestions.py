"""The trigram similarity behind "Did you mean" on SQLite, the same figures as pg_trgm's."""

from __future__ import annotations

import pytest

from app.services.catalogue.suggestions import THRESHOLD, similarity, trigrams


def test_trigrams_are_padded_words_as_pg_trgm_cuts_them():
    assert trigrams("Cat") == {"  c", " ca", "cat", "at "}
    assert trigrams("a-b") == {"  a", " a ", "  b", " b "}  # each word on its own
    assert trigrams("") == set()


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("python", "python", 1.0),
        ("pyhton", "python", 3 / 11),  # a swapped pair: only the ends are shared
        ("machne", "machine", 5 / 10),
        ("dta", "data", 2 / 7),
        ("zzqxv", "python", 0.0),
        ("", "", 0.0),
    ],
)
def test_similarity_is_shared_trigrams_over_all(a, b, expected):
    assert similarity(a, b) == pytest.approx(expected)
    assert similarity(b, a) == pytest.approx(expected)


def test_the_threshold_admits_a_swapped_pair_but_not_a_different_word():
    assert similarity("pyhton", "python") >= THRESHOLD
    assert similarity("welding", "python") < THRESHOLD
