"""The verification history's GET filters."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from app.blueprints.verification.forms import HistoryFilters


def test_history_filters_keep_a_known_verdict_and_a_lower_case_candidate():
    history = HistoryFilters.from_args(MultiDict({"candidate": " Ann@Example.org ", "verdict": "revoked", "page": "2"}))
    assert history == HistoryFilters(candidate="ann@example.org", verdict="revoked", page=2)
    assert history.query_args() == {"candidate": "ann@example.org", "verdict": "revoked"}
    assert HistoryFilters.from_args(MultiDict({"verdict": "maybe", "page": "-3"})) == HistoryFilters()
