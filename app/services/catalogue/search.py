"""Searching the public hub: one function, `search(filters)`, over SQLite FTS5 or PostgreSQL
full-text search (chosen by the database dialect), with filters, sorting and pages.

The index itself (SQLite FTS5 tables, PostgreSQL's stored tsvector) is kept by
app.services.catalogue.search_index. Each page costs a fixed number of queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import String, cast, func, literal_column, select, text
from sqlalchemy.orm import joinedload, load_only

from app.extensions import db
from app.models import MicroCredential, Organisation, RecordStatus, Skill
from app.models.catalogue import FTS_TABLE, FTS_WORDS_TABLE, FUNDING, MODES, micro_credential_skills
from app.services.catalogue import suggestions

PAGE_SIZE = 20
SORTS = {
    "relevance": "Best match",
    "title": "Title (A to Z)",
    "price": "Price (lowest first)",
    "price-desc": "Price (highest first)",
    "level": "SCQF level (lowest first)",
    "level-desc": "SCQF level (highest first)",
}
QA_FILTERS = {
    "assured": "Quality-assured by Credwork",
    "credit-rated": "Credit-rated",
    "internal": "Internal quality assurance",
    "none": "No formal quality assurance",
}
# PostgreSQL's 'english' configuration drops these; SQLite's FTS5 does not, so the SQLite
# query drops them too and both databases answer the same question.
STOP_WORDS = frozenset(
    "a an and are as at be by for from in into is it of on or the to with your you this that these those".split()
)
_TERM = re.compile(r"\w+", re.UNICODE)
_LAST_WORD = re.compile(r"(?:^|\s)(\w+)$", re.UNICODE)


def _int(value, low=None, high=None):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


@dataclass
class HubFilters:
    """What the visitor asked for; built from the query string, turned back into one."""

    q: str = ""
    skill: int | None = None
    level_min: int | None = None
    level_max: int | None = None
    credits_min: int | None = None
    credits_max: int | None = None
    credit: str = ""  # "yes" credit-bearing, "no" not, "" either
    mode: list[str] = field(default_factory=list)
    provider: str = ""
    price_min: int | None = None  # whole pounds
    price_max: int | None = None
    qa: str = ""
    funding: str = ""
    sort: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> HubFilters:
        """Read filters from request.args, ignoring anything malformed."""
        getlist = getattr(args, "getlist", lambda k: [args[k]] if k in args else [])
        return cls(
            q=(args.get("q") or "").strip()[:200],
            skill=_int(args.get("skill"), 1),
            level_min=_int(args.get("level_min"), 1, 12),
            level_max=_int(args.get("level_max"), 1, 12),
            credits_min=_int(args.get("credits_min"), 0),
            credits_max=_int(args.get("credits_max"), 0),
            credit=args.get("credit") if args.get("credit") in ("yes", "no") else "",
            mode=[m for m in getlist("mode") if m in MODES],
            provider=(args.get("provider") or "").strip()[:80],
            price_min=_int(args.get("price_min"), 0),
            price_max=_int(args.get("price_max"), 0),
            qa=args.get("qa") if args.get("qa") in QA_FILTERS else "",
            funding=args.get("funding") if args.get("funding") in FUNDING else "",
            sort=args.get("sort") if args.get("sort") in SORTS else "",
            page=_int(args.get("page"), 1, 10_000) or 1,
        )

    @property
    def effective_sort(self) -> str:
        if self.sort and (self.sort != "relevance" or self.q):
            return self.sort
        return "relevance" if self.q else "title"

    def query_args(self, **changes) -> dict:
        """The filters as URL parameters (empty ones left out), for links and pagination."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None, []) and not (k == "page" and v == 1)}


@dataclass
class HubPage:
    records: list[MicroCredential]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def dialect() -> str:
    return db.session.get_bind().dialect.name


# What a results page shows; loading only these keeps the sort narrow (it is most of the cost).
LISTED_COLUMNS = (
    MicroCredential.id,
    MicroCredential.provider_id,
    MicroCredential.code,
    MicroCredential.version,
    MicroCredential.status,
    MicroCredential.title,
    MicroCredential.summary,
    MicroCredential.scqf_level,
    MicroCredential.scqf_credits,
    MicroCredential.notional_hours,
    MicroCredential.mode,
    MicroCredential.price_pence,
    MicroCredential.quality_assured_until,  # read through MicroCredential.quality_assured
    MicroCredential.qa_type,
)


def search(filters: HubFilters) -> HubPage:
    """Published micro-credentials matching `filters`: one page, with their providers loaded.

    Records carry only the columns a results list shows (LISTED_COLUMNS); load a record
    itself for anything else."""
    stmt, rank = _statement(filters)
    total = _count(stmt)
    orders: dict[str, list[Any]] = {
        "relevance": [rank] if rank is not None else [MicroCredential.title],
        "title": [MicroCredential.title],
        "price": [MicroCredential.price_pence],
        "price-desc": [MicroCredential.price_pence.desc()],
        "level": [MicroCredential.scqf_level],
        "level-desc": [MicroCredential.scqf_level.desc()],
    }
    order = orders[filters.effective_sort]
    records = (
        db.session.scalars(
            stmt.options(load_only(*LISTED_COLUMNS), joinedload(MicroCredential.provider))
            .order_by(*order, MicroCredential.title, MicroCredential.id)
            .limit(PAGE_SIZE)
            .offset((filters.page - 1) * PAGE_SIZE)
        )
        .unique()
        .all()
    )
    return HubPage(list(records), total or 0, filters.page)


def _statement(filters: HubFilters):
    stmt = select(MicroCredential).where(MicroCredential.status == RecordStatus.PUBLISHED)
    rank = None
    if filters.q:
        stmt, rank = _match(stmt, filters.q)
    return _filtered(stmt, filters), rank


def _count(stmt) -> int:
    return (
        db.session.scalar(select(func.count()).select_from(stmt.with_only_columns(MicroCredential.id).subquery())) or 0
    )


FEW_RESULTS = 3  # a search finding fewer than this may offer "Did you mean"


def did_you_mean(filters: HubFilters, found: HubPage) -> str | None:
    """For a search that found nothing or few: its query with misspelt words corrected from the
    hub's vocabulary, when that finds more (with the same filters); else None."""
    if not filters.q or found.total >= FEW_RESULTS:
        return None
    corrected = suggestions.suggest(filters.q)
    if not corrected or corrected.lower() == filters.q.lower():
        return None
    more = _count(_statement(replace(filters, q=corrected, page=1))[0])
    return corrected if more > found.total else None


def search_terms(q: str) -> list[str]:
    """The words of a query that count for matching (lower case, stop words dropped)."""
    terms = [t.lower() for t in _TERM.findall(q)]
    return [t for t in terms if t not in STOP_WORDS][:12]


def prefix_term(q: str) -> str | None:
    """The word being typed (the query's last word) when it should match as a prefix, so live
    search finds "cyber" from "cyb". Stop words and single letters are not prefixes."""
    match = None if '"' in q else _LAST_WORD.search(q)  # no prefixes inside phrase searches
    if not match or len(match.group(1)) < 2 or match.group(1).lower() in STOP_WORDS:
        return None
    return match.group(1).lower()


def _match(stmt, q: str):
    prefix = prefix_term(q)
    if dialect() == "postgresql":
        english: Any = literal_column("'english'::regconfig")
        last_word = _LAST_WORD.search(q)
        head = q[: last_word.start(1)] if prefix and last_word else q
        query: Any = func.websearch_to_tsquery(english, head)
        if prefix:
            # The prefix is a \w+ word, so it cannot carry tsquery operators. Stemmed, it finds
            # other forms of a finished word; unstemmed ('simple'), a word still being typed.
            typed = func.to_tsquery(english, prefix + ":*").op("||")(
                func.to_tsquery(literal_column("'simple'::regconfig"), prefix + ":*")
            )
            query = query.op("&&")(typed)
        vector = MicroCredential.search_vector
        return stmt.where(vector.op("@@")(query)), func.ts_rank_cd(vector, query).desc()
    return _sqlite_match(stmt, q, prefix)


def _fts_hits(table: str, fts_query: str, name: str):
    """(id, score) rows of one FTS5 table matching `fts_query`; lower scores rank higher."""
    return (
        select(literal_column("rowid").label("id"), literal_column(f"bm25({table}, 10.0, 1.0)").label("score"))
        .select_from(text(table))
        .where(text(f"{table} MATCH :{name}").bindparams(**{name: fts_query}))
    )


def _materialized(stmt, name: str):
    # FTS5 must answer each MATCH once: if SQLite pushed a join's rowid constraint into the
    # virtual table it would re-run the MATCH for every candidate row.
    return stmt.cte(name).prefix_with("MATERIALIZED")


def _sqlite_match(stmt, q: str, prefix: str | None):
    terms = search_terms(q)
    if not terms:
        return stmt.where(literal_column("1") == 0), None
    # Terms are \w+ words, each quoted: user text never reaches FTS5's query syntax.
    quoted = [f'"{t}"' for t in terms]
    if not (prefix and terms[-1] == prefix):
        hits = _fts_hits(FTS_TABLE, " ".join(quoted), "whole_words").subquery()
        return stmt.join(hits, hits.c.id == MicroCredential.id), hits.c.score.asc()
    typed, whole = quoted[-1] + "*", quoted[:-1]
    # Records whose stemmed words match the typed prefix, ranked on every term...
    stemmed = _materialized(_fts_hits(FTS_TABLE, " ".join([*whole, typed]), "typed_stemmed"), "stemmed")
    # ...and those where only the words as written match it ("weldin" -> "welding").
    written = _materialized(_fts_hits(FTS_WORDS_TABLE, typed, "typed_written"), "written")
    if whole:
        rest = _materialized(_fts_hits(FTS_TABLE, " ".join(whole), "whole_words"), "whole_words")
        written = select(rest.c.id, rest.c.score).join(written, written.c.id == rest.c.id)
    else:
        written = select(written.c.id, written.c.score)
    either = select(stemmed.c.id, stemmed.c.score).union_all(written).subquery()
    hits = select(either.c.id, func.min(either.c.score).label("score")).group_by(either.c.id).subquery()
    return stmt.join(hits, hits.c.id == MicroCredential.id), hits.c.score.asc()


def _filtered(stmt, f: HubFilters):
    mc = MicroCredential
    if f.skill:
        stmt = stmt.where(
            mc.id.in_(
                select(micro_credential_skills.c.micro_credential_id).where(
                    micro_credential_skills.c.skill_id == f.skill
                )
            )
        )
    if f.level_min:
        stmt = stmt.where(mc.scqf_level >= f.level_min)
    if f.level_max:
        stmt = stmt.where(mc.scqf_level <= f.level_max)
    if f.credits_min is not None:
        stmt = stmt.where(mc.scqf_credits >= f.credits_min)
    if f.credits_max is not None:
        stmt = stmt.where(mc.scqf_credits <= f.credits_max)
    if f.credit == "yes":
        stmt = stmt.where(mc.scqf_credits > 0)
    elif f.credit == "no":
        stmt = stmt.where((mc.scqf_credits.is_(None)) | (mc.scqf_credits == 0))
    if f.mode:
        stmt = stmt.where(mc.mode.in_(f.mode))
    if f.provider:
        stmt = stmt.where(mc.provider_id.in_(select(Organisation.id).where(Organisation.slug == f.provider)))
    if f.price_min is not None:
        stmt = stmt.where(mc.price_pence >= f.price_min * 100)
    if f.price_max is not None:
        stmt = stmt.where(mc.price_pence <= f.price_max * 100)
    if f.qa == "assured":
        stmt = stmt.where(mc.quality_assured)  # an unexpired approval of this version
    elif f.qa:
        stmt = stmt.where(mc.qa_type == f.qa)
    if f.funding:
        # Funding codes are a closed vocabulary, so a match on the JSON text is exact.
        stmt = stmt.where(cast(mc.funding, String).like(f'%"{f.funding}"%'))
    return stmt


@lru_cache(maxsize=1)
def _option_statements():
    # Built once: constructing these EXISTS statements costs more than running them.
    # Correlated EXISTS probes (one index lookup per provider or skill) rather than collecting
    # every published record's links: the cost follows the framework's size, not the catalogue's.
    published = MicroCredential.status == RecordStatus.PUBLISHED
    providers = (
        select(Organisation.slug, Organisation.name)
        .where(
            Organisation.kind == "provider",
            select(MicroCredential.id).where(MicroCredential.provider_id == Organisation.id, published).exists(),
        )
        .order_by(Organisation.name)
    )
    skills = (
        select(Skill.id, Skill.label)
        .where(
            select(micro_credential_skills.c.skill_id)
            .join(MicroCredential, MicroCredential.id == micro_credential_skills.c.micro_credential_id)
            .where(micro_credential_skills.c.skill_id == Skill.id, published)
            .exists()
        )
        .order_by(Skill.label)
    )
    return providers, skills


def filter_options() -> dict:
    """Providers and skills that appear on the hub, for the filter form (two queries)."""
    providers, skills = _option_statements()
    return {
        "providers": db.session.execute(providers).all(),
        "skills": db.session.execute(skills).all(),
        "modes": MODES,
        "funding": FUNDING,
        "qa": QA_FILTERS,
        "sorts": SORTS,
    }
