""" "Did you mean": a corrected hub query from the vocabulary of published records.

One function, `suggest(q)`, over two backends: on PostgreSQL pg_trgm's similarity() and its
trigram-indexed % operator; on SQLite the same trigram similarity computed here, in Python, over
a bounded set of candidates. The vocabulary (search_terms) is kept by search_index.

A word is corrected only when the vocabulary does not hold it: first by splitting it into two
words the vocabulary holds ("cybersecurity" -> "cyber security"), else by the most similar
word ("pyhton" -> "python"). A few queries per search, whatever the catalogue's size.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select, text

from app.extensions import db
from app.models import SearchTerm

# pg_trgm's default threshold (0.3) misses a swapped pair of letters in a short word
# ("pyhton" and "python" share 3 of 11 trigrams: 0.27), so ours is a little lower.
THRESHOLD = 0.25
SHORTEST = 3  # shorter words are left as typed
MOST_WORDS = 6  # corrections tried per query
SQLITE_CANDIDATES = 5000  # vocabulary words scored in Python per misspelt word, at most

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ALNUM = re.compile(r"[^\W_]+", re.UNICODE)


def trigrams(value: str) -> set[str]:
    """The trigrams pg_trgm takes from a string: each lower-case word (runs of letters and
    digits), padded with two spaces in front and one behind, cut into overlapping threes."""
    grams: set[str] = set()
    for word in _ALNUM.findall(value.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): the trigrams two strings share over all the trigrams of both."""
    first, second = trigrams(a), trigrams(b)
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def suggest(q: str) -> str | None:
    """`q` with its misspelt words corrected from the vocabulary, or None when nothing would
    change (every word is known, or nothing known is close enough)."""
    words = [w.lower() for w in _WORD.findall(q) if len(w) >= SHORTEST]
    if not words:
        return None
    known = _known(words)
    corrections: dict[str, str] = {}
    for word in dict.fromkeys(words):
        if word in known or len(corrections) >= MOST_WORDS:
            continue
        correction = _split(word, known) or _nearest(word)
        if correction:
            corrections[word] = correction
    if not corrections:
        return None

    def corrected(match: re.Match) -> str:
        return corrections.get(match.group(0).lower(), match.group(0))

    return _WORD.sub(corrected, q)


def _splits(word: str) -> list[tuple[str, str]]:
    return [(word[:i], word[i:]) for i in range(SHORTEST, len(word) - SHORTEST + 1)]


def _known(words: list[str]) -> set[str]:
    """Which of the words, and of the halves they split into, the vocabulary holds (one query)."""
    wanted = set(words)
    for word in words:
        for head, tail in _splits(word):
            wanted.update((head, tail))
    return set(db.session.scalars(select(SearchTerm.term).where(SearchTerm.term.in_(sorted(wanted)))))


def _split(word: str, known: set[str]) -> str | None:
    # The split whose shorter half is longest: "cybersecurity" is "cyber security", not "cybers ecurity".
    halves = [(head, tail) for head, tail in _splits(word) if head in known and tail in known]
    if not halves:
        return None
    head, tail = max(halves, key=lambda pair: min(len(pair[0]), len(pair[1])))
    return f"{head} {tail}"


def _nearest(word: str) -> str | None:
    """The vocabulary word most like `word` (similarity, then how often it is said), if any is
    at least THRESHOLD alike."""
    if db.session.get_bind().dialect.name == "postgresql":
        # % uses the GIN trigram index with the threshold set for this transaction only.
        db.session.execute(
            text("SELECT set_config('pg_trgm.similarity_threshold', :threshold, true)"),
            {"threshold": str(THRESHOLD)},
        )
        alike = func.similarity(SearchTerm.term, word)
        row = db.session.execute(
            select(SearchTerm.term)
            .where(SearchTerm.term.op("%")(word), alike >= THRESHOLD)
            .order_by(alike.desc(), SearchTerm.frequency.desc(), SearchTerm.term)
            .limit(1)
        ).first()
        return row[0] if row else None
    # SQLite: words of a length that could reach the threshold, the most said first.
    shortest, longest = max(1, int(len(word) * THRESHOLD) - 1), int(len(word) / THRESHOLD) + 1
    candidates = db.session.execute(
        select(SearchTerm.term, SearchTerm.frequency)
        .where(func.length(SearchTerm.term).between(shortest, longest))
        .order_by(SearchTerm.frequency.desc(), SearchTerm.term)
        .limit(SQLITE_CANDIDATES)
    ).all()
    best: tuple[float, int, str] | None = None
    for term, frequency in candidates:
        score = similarity(word, term)
        if score >= THRESHOLD and (best is None or (score, frequency) > best[:2]):
            best = (score, frequency, term)
    return best[2] if best else None
