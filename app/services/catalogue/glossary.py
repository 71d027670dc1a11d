"""The shared micro-credential language (seeds/glossary.yaml), read once per process.

Screens explain a term where it is used with `hint(slug)` and link to /glossary#slug.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

GLOSSARY_FILE = Path(__file__).resolve().parents[3] / "seeds" / "glossary.yaml"


@dataclass(frozen=True)
class Term:
    term: str
    slug: str
    definition: str
    see_also: tuple[str, ...]
    source: str


@lru_cache(maxsize=1)
def _load(path: str) -> dict[str, Term]:
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    terms = {}
    for entry in entries:
        terms[entry["slug"]] = Term(
            term=entry["term"],
            slug=entry["slug"],
            definition=" ".join(str(entry["definition"]).split()),
            see_also=tuple(entry.get("see_also") or ()),
            source=entry.get("source") or "",
        )
    return terms


def terms() -> list[Term]:
    """Every term, alphabetically."""
    return sorted(_load(str(GLOSSARY_FILE)).values(), key=lambda t: t.term.lower())


def term(slug: str) -> Term | None:
    """One term by slug, or None."""
    return _load(str(GLOSSARY_FILE)).get(slug)


def hint(slug: str) -> str:
    """The plain-English definition to show beside a field that uses the term."""
    found = term(slug)
    return found.definition if found else ""
