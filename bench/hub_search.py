"""Hub search latency: seeds 10,000 published micro-credentials and times representative
searches through the real route (Flask test client), printing p50 and p95 per search.

    .venv/bin/python bench/hub_search.py                 # SQLite (a temporary file)
    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/hub_search.py

With DATABASE_URL or TEST_DATABASE_URL pointing at PostgreSQL it also runs there, in a
scratch database created beside the one named (<name>_hub_bench) and dropped afterwards,
so no existing data is touched. Goal: p95 under 50 ms.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RECORDS = int(os.environ.get("BENCH_RECORDS", 10_000))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 40))
SUBJECTS = [
    "Data Analysis",
    "Welding",
    "Cyber Security",
    "Cloud Computing",
    "Leadership",
    "Project Management",
    "Infection Control",
    "CAD Modelling",
    "PLC Programming",
    "Python",
    "Customer Service",
    "Health and Safety",
    "Marine Electrical Systems",
    "Clinical Coding",
    "Databases and SQL",
    "Digital Marketing",
    "Lean Manufacturing",
    "Coaching and Mentoring",
    "Networking",
    "Machine Learning",
    "Quality Inspection",
    "Electronic Health Records",
    "Team Leading",
    "Statistics",
    "DevOps",
]
QUALIFIERS = [
    "Introduction to",
    "Advanced",
    "Practical",
    "Essentials of",
    "Applied",
    "Foundations of",
    "Professional",
    "Intermediate",
    "",
]
CONTEXTS = [
    "for Engineers",
    "in Healthcare",
    "at Work",
    "for Managers",
    "for Small Businesses",
    "in Manufacturing",
    "for Care Staff",
    "in the Public Sector",
    "",
]
SENTENCES = [
    "Learn to {s} with confidence in a real workplace.",
    "Builds practical {s} skills for your job.",
    "Covers the tools, methods and standards used in {s}.",
    "For people who want to move into {s}.",
    "Assessed through a work-based project on {s}.",
]
MODES = ["online", "onsite", "blended", "work-based"]
FUNDING = [["fwdf", "employer"], ["employer"], ["employer", "graduate-apprenticeship"], []]


def searches(skill_id: int) -> list[tuple[str, dict]]:
    return [
        ("browse (no text)", {}),
        ("text: data analysis", {"q": "data analysis"}),
        ("text + sort by price", {"q": "welding inspection", "sort": "price"}),
        ("text + filters", {"q": "leadership", "credit": "yes", "level_min": "9"}),
        ("filters only", {"mode": "online", "funding": "fwdf", "price_max": "500"}),
        ("skill + sort by level", {"skill": str(skill_id), "sort": "level"}),
        ("text, page 3", {"q": "cyber security", "page": "3"}),
        ("htmx partial: cloud", {"q": "cloud", "_htmx": "1"}),
        ("common word: practical", {"q": "practical"}),
        ("typing: weldin", {"q": "weldin", "_htmx": "1"}),
        ("typing: project manag", {"q": "project manag", "_htmx": "1"}),
    ]


def seed(db, providers, skills) -> None:
    from app.models import MicroCredential
    from app.models.base import utcnow
    from app.models.catalogue import micro_credential_skills

    rng = random.Random(2026)
    skill_labels = {s.id: s.label for s in skills}
    skill_ids = list(skill_labels)
    rows, links = [], []
    now = utcnow()
    for n in range(RECORDS):
        subject = rng.choice(SUBJECTS)
        title = " ".join(p for p in (rng.choice(QUALIFIERS), subject, rng.choice(CONTEXTS)) if p)
        level = rng.randint(4, 11)
        credits = rng.choice([None, 6, 8, 10, 12, 15, 20])
        chosen = rng.sample(skill_ids, rng.randint(2, 4))
        provider = providers[n % len(providers)]
        summary = " ".join(rng.choice(SENTENCES).format(s=subject.lower()) for _ in range(2))
        outcomes = [
            f"Apply {subject.lower()} methods to a workplace task",
            f"Explain good practice in {subject.lower()}",
        ]
        rows.append(
            {
                "id": n + 1,
                "provider_id": provider.id,
                "code": f"B-{n:05d}",
                "version": 1,
                "status": "published",
                "title": title,
                "summary": summary,
                "learning_outcomes": outcomes,
                "scqf_level": level,
                "scqf_credits": credits,
                "notional_hours": credits * 10 if credits else rng.randint(6, 60),
                "eqf_level": None,
                "mode": rng.choice(MODES),
                "duration_weeks": rng.randint(2, 16),
                "price_pence": rng.randint(20, 1800) * 100,
                "funding": rng.choice(FUNDING),
                "start_dates": [],
                "assessment_type": "Project",
                "qa_type": "credit-rated" if credits else rng.choice(["internal", "none"]),
                "qa_body": provider.name if credits else None,
                "stackable_into": [],
                "language": "en",
                "country": "GB-SCT",
                "quality_assured": rng.random() < 0.3,
                "published_at": now,
                "created_at": now,
                "search_text": "\n".join(
                    [f"B-{n:05d}", summary, *outcomes, *(skill_labels[s] for s in chosen), provider.name]
                ),
            }
        )
        links += [{"micro_credential_id": n + 1, "skill_id": s} for s in chosen]
    for start in range(0, len(rows), 2000):
        db.session.execute(MicroCredential.__table__.insert(), rows[start : start + 2000])
    for start in range(0, len(links), 5000):
        db.session.execute(micro_credential_skills.insert(), links[start : start + 5000])


def run(url: str, label: str) -> None:
    from app import create_app
    from app.extensions import db

    app = create_app("test", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={})
    with app.app_context():
        db.drop_all()
        db.create_all()
        from app.models import Organisation, Skill
        from app.services.catalogue.search_index import rebuild_search_index
        from app.services.skills.framework import import_file

        import_file(Path(__file__).resolve().parents[1] / "seeds" / "esco" / "skills.csv")
        providers = [Organisation(name=f"Bench Provider {i}", slug=f"bench-{i}", kind="provider") for i in range(8)]
        db.session.add_all(providers)
        db.session.flush()
        started = time.perf_counter()
        seed(db, providers, db.session.query(Skill).all())
        indexed = rebuild_search_index()
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                # Steady state, as autovacuum leaves it: statistics and the visibility map.
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        else:
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        print(f"\n{label}: seeded {RECORDS} records ({indexed} indexed) in {time.perf_counter() - started:.1f} s")
        skill_id = db.session.scalar(
            db.text("SELECT skill_id FROM micro_credential_skills GROUP BY skill_id ORDER BY count(*) DESC LIMIT 1")
        )
        db.session.remove()

    client = app.test_client()
    print(f"{'search':<28} {'results':>8} {'p50 ms':>8} {'p95 ms':>8}")
    every = []
    for name, params in searches(skill_id):
        headers = {"HX-Request": "true"} if params.pop("_htmx", None) else {}
        for _ in range(3):  # warm up caches and the planner
            client.get("/hub", query_string=params, headers=headers)
        timings = []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            response = client.get("/hub", query_string=params, headers=headers)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        body = response.get_data(as_text=True)
        import re

        found = re.search(r"(\d+) micro-credential", body)
        every += timings
        print(
            f"{name:<28} {found.group(1) if found else '?':>8} {statistics.median(timings):8.1f} "
            f"{percentile(timings, 95):8.1f}"
        )
    p95 = percentile(every, 95)
    print(
        f"{'all searches':<28} {'':>8} {statistics.median(every):8.1f} {p95:8.1f}   "
        f"goal p95 < 50 ms: {'met' if p95 < 50 else 'NOT met'}"
    )
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def scratch_postgres(url: str):
    """A throwaway database on the same server: (its URL, a function that drops it)."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url.replace("postgresql+psycopg://", "postgresql://"))
    name = f"{base.database}_hub_bench"
    admin = base.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return base.set(database=name, drivername="postgresql+psycopg").render_as_string(hide_password=False), drop


def main() -> None:
    print(f"Hub search benchmark: {RECORDS} records, {ROUNDS} timed requests per search, through GET /hub")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine: {os.cpu_count()} CPUs, load average {load} (other work on the machine inflates these figures)")
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{folder}/bench.db", "SQLite (FTS5)")
    pg = os.environ.get("DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if pg and pg.startswith(("postgres://", "postgresql")):
        url, drop = scratch_postgres(pg.replace("postgres://", "postgresql://", 1))
        try:
            run(url, "PostgreSQL (tsvector + GIN)")
        finally:
            drop()
    else:
        print("\nPostgreSQL: skipped (set DATABASE_URL or TEST_DATABASE_URL to a postgresql:// URL)")


if __name__ == "__main__":
    main()
