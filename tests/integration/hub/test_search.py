"""Search relevance on the demo catalogue; the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from app.services.catalogue.search import HubFilters, search


def codes(**filters) -> list[str]:
    return [r.code for r in search(HubFilters(**filters)).records]


@pytest.mark.parametrize(
    "query, first",
    [
        ("welding", "FC-ENG304"),
        ("data analysis python", "UC-DATA701"),
        ("infection control", "FC-CARE501"),
        ("python for beginners", "FC-IT205"),
        ("ethical hacking", "UC-CYB902"),
        ("clinical coding", "UC-HI802"),
        ("cloud architecture", "UC-CLD905"),
    ],
)
def test_the_best_match_comes_first(demo, query, first):
    assert codes(q=query)[0] == first


@pytest.mark.parametrize(
    "query, expected",
    [
        ("cyber security", {"UC-CYB901", "FC-IT203", "UC-CYB903"}),
        ("infection", {"FC-CARE501", "UC-NUR806"}),
        ("leadership", {"UC-NUR806", "UC-NUR807"}),
        ("CAD", {"FC-ENG301", "FC-ENG302", "UC-ENG911", "UC-ENG913"}),
    ],
)
def test_relevant_records_are_found(demo, query, expected):
    assert expected <= set(codes(q=query))


def test_title_matches_outrank_body_matches(demo):
    found = codes(q="leadership")
    # The two records with "Leadership" in the title come before those mentioning it elsewhere.
    assert len(found) > 2
    assert set(found[:2]) == {"UC-NUR806", "UC-NUR807"}


def test_stemming_finds_other_forms_of_a_word(demo):
    assert "FC-ENG304" in codes(q="weld")
    assert "FC-ENG307" in codes(q="programming plc")


def test_skills_and_provider_names_are_searchable(demo):
    # "perform data analysis" is an ESCO skill label on several records whose titles differ.
    assert len(codes(q="perform data analysis")) >= 3
    assert set(codes(q="Caledonia machine learning")) == {"UC-DATA704"}


def test_drafts_and_nonsense_find_nothing(demo):
    assert codes(q="UC-CYB903") == ["UC-CYB903"]
    assert codes(q="UC-CYB904") == []  # a draft: never on the hub
    assert codes(q="zzqxv") == []
    assert search(HubFilters(q="and the of")).total == 0


def test_query_syntax_in_user_text_is_harmless(demo):
    for query in ['"unbalanced', "NEAR(a b)", "data*", "-welding", "title:weld", "a OR", "'; drop table x"]:
        search(HubFilters(q=query))  # no error


def test_all_words_must_match(demo):
    assert set(codes(q="cloud security")) >= {"UC-CLD906"}
    assert "FC-ENG304" not in codes(q="welding python")


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("cyb", "UC-CYB901"),  # live search: the word being typed matches as a prefix
        ("ethical hack", "UC-CYB902"),
        ("machine learn", "UC-DATA704"),
        ("weldin", "FC-ENG304"),  # mid-word, where the stem ("weld") is shorter than the typing
        ("data analys", "UC-DATA701"),
        ("python for beg", "FC-IT205"),
    ],
)
def test_the_last_word_matches_as_a_prefix_while_typing(demo, typed, expected):
    assert expected in codes(q=typed)


def test_only_the_last_word_is_a_prefix(demo):
    assert "UC-CYB902" in codes(q="ethical pen")  # penetration testing
    assert codes(q="pen ethical") == []  # "pen" is a whole word here, and no record says it
    assert codes(q='"ethical pen"') == []  # nor inside quotes
