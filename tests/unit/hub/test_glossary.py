"""The shared glossary: every term the record form and hub use exists and reads plainly."""

from __future__ import annotations

import re
from pathlib import Path

from app.services.catalogue import glossary

TEMPLATES = Path(__file__).resolve().parents[3] / "app" / "templates"


def test_terms_load_sorted_with_unique_slugs():
    terms = glossary.terms()
    assert len(terms) >= 40
    assert [t.term.lower() for t in terms] == sorted(t.term.lower() for t in terms)
    assert glossary.term("notional-hours").definition.startswith("The")
    assert glossary.hint("no-such-term") == ""


def test_every_glossary_slug_used_by_hub_templates_exists():
    used = set()
    for folder in ("hub", "catalogue", "glossary", "platform"):
        for path in (TEMPLATES / folder).glob("*.html"):
            text = path.read_text()
            used |= set(re.findall(r'glossary="([a-z-]+)"', text))
            used |= set(re.findall(r'(?:term|hint)\("([a-z-]+)"', text))
    assert used, "the templates should use glossary terms"
    missing = sorted(slug for slug in used if glossary.term(slug) is None)
    assert missing == []


def test_see_also_points_at_real_terms():
    for t in glossary.terms():
        for slug in t.see_also:
            assert glossary.term(slug) is not None, (t.slug, slug)
