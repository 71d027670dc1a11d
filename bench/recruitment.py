"""A vacancy at size: 500 candidates who shared 3,000 badges between them, against a vacancy asking
for 8 skills. Times the recruiter's pages through the real routes (Flask test client) and prints
p50, p95, SQL statements per request and response size, then the time to work out every
candidate's fit again after the vacancy's skills change.

    .venv/bin/python bench/recruitment.py
    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/recruitment.py

The badges are inserted in bulk with their verdicts and claimed skills (as a real check leaves
them), so the figures are for listing, sorting and comparing, not for verifying (bench/verify.py
times the engine). Goal: a fixed number of statements per page whatever the number of candidates.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hub_search import percentile, scratch_postgres  # noqa: E402  (this folder's shared helpers)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", 20))
CANDIDATES = int(os.environ.get("BENCH_CANDIDATES", 500))
BADGES_EACH = 6
SKILLS = 8
PASSWORD = "bench-password-2026"
VERDICTS = ["valid"] * 8 + ["invalid", "revoked", "expired", "unverifiable"]


def build(db) -> tuple[str, int]:
    """The employer, recruiter, vacancy, candidates and badges; returns (recruiter email, vacancy id)."""
    from app.models import JobRole, JobRoleSkill, Organisation, Skill, User, utcnow
    from app.models.people import Role
    from app.models.recruitment import Candidate, CandidateBadge
    from app.security import tokens
    from app.security.passwords import hash_password
    from app.services import recruitment
    from app.services.accounts.organisations import join

    rng = random.Random(7)
    employer = Organisation(name="Bench Shipyards", slug="bench-shipyards", kind="employer")
    db.session.add(employer)
    db.session.flush()
    recruiter = User(email="rhona@bench.example", name="Rhona Bench", password_hash=hash_password(PASSWORD))
    db.session.add(recruiter)
    db.session.flush()
    join(recruiter, employer, [Role.RECRUITER])
    skills = [Skill(uri=f"http://data.europa.eu/esco/skill/bench-{n}", label=f"bench skill {n}") for n in range(SKILLS)]
    db.session.add_all(skills)
    role = JobRole(organisation_id=employer.id, title="Bench Welder")
    db.session.add(role)
    db.session.flush()
    for n, found in enumerate(skills):
        db.session.add(JobRoleSkill(job_role_id=role.id, skill_id=found.id, target_level=1 + n % 3))
    today = date.today()
    vacancy = recruitment.vacancies.create(
        recruiter,
        employer,
        role,
        title="Welder",
        closes_on=today + timedelta(days=30),
        hiring_manager=None,
        retention_months=6,
        description=None,
        today=today,
    )
    now = utcnow()
    statuses = ["applied"] * 6 + ["shortlisted"] * 3 + ["rejected"]
    rows = [
        {
            "vacancy_id": vacancy.id,
            "name": f"Candidate {n:03d}",
            "email": f"candidate{n}@bench.example",
            "consent_text": "I agree",
            "consented_at": now,
            "carry_badges": False,
            "token_hash": tokens.digest(f"bench-{n}"),
            "status": statuses[n % len(statuses)],
            "skills_met": 0,
            "skills_partly": 0,
            "created_at": now - timedelta(minutes=n),
        }
        for n in range(CANDIDATES)
    ]
    db.session.execute(Candidate.__table__.insert(), rows)
    ids = [c.id for c in db.session.query(Candidate.id).filter_by(vacancy_id=vacancy.id)]
    badges = []
    for cid in ids:
        for b in range(BADGES_EACH):
            verdict = rng.choice(VERDICTS)
            claimed = [{"skill_id": s.id, "level": rng.randint(1, 4)} for s in rng.sample(skills, 2)]
            badges.append(
                {
                    "candidate_id": cid,
                    "document": b"{}",
                    "document_kind": "paste",
                    "verdict": verdict,
                    "achievement_name": f"Bench badge {b}",
                    "issuer_name": "Bench College",
                    "checked_at": now,
                    "claimed_skills": claimed,
                    "proves_skills": verdict == "valid",
                    "claims_proven": verdict != "invalid",
                    "created_at": now,
                }
            )
    db.session.execute(CandidateBadge.__table__.insert(), badges)
    db.session.flush()
    recruitment.fit.refresh_vacancy(vacancy)
    db.session.commit()
    return recruiter.email, vacancy.id


PAGES = [
    "/recruitment/",
    "/recruitment/{v}",
    "/recruitment/{v}?sort=name&page=5",
    "/recruitment/{v}?status=shortlisted",
    "/recruitment/{v}/compare",
    "/recruitment/{v}/compare?status=all&page=40",
    "/recruitment/{v}/shortlist.csv?status=all",
    "/recruitment/{v}/panel.pdf",
]


def run(url: str, label: str) -> None:
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    app = create_app(
        "test",
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={},
        WTF_CSRF_ENABLED=False,
        LOGIN_RATE_LIMIT="1000 per minute",
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        email, vacancy_id = build(db)
        print(
            f"\n{label}: built {CANDIDATES} candidates with {CANDIDATES * BADGES_EACH} badges in {time.perf_counter() - started:.1f} s"
        )
        db.session.remove()
        engine = db.engine

    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 303
    print(f"{'page':<46} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>5} {'kB':>8}")
    for path in PAGES:
        path = path.format(v=vacancy_id)
        rounds = 3 if path.endswith((".csv?status=all", ".pdf")) else ROUNDS
        client.get(path)
        timings, counts = [], []
        for _ in range(rounds):
            statements.clear()
            t0 = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - t0) * 1000)
            counts.append(len(statements))
            assert response.status_code == 200, (path, response.status_code)
        size = len(response.get_data()) / 1024
        print(
            f"{path:<46} {statistics.median(timings):8.1f} {percentile(timings, 95):8.1f} {max(counts):>5} {size:8.1f}"
        )

    with app.app_context():
        from app.models import Vacancy
        from app.services import recruitment

        vacancy = db.session.get(Vacancy, vacancy_id)
        t0 = time.perf_counter()
        recruitment.fit.refresh_vacancy(vacancy)
        print(
            f"Every candidate's fit worked out again (after a skill change): {(time.perf_counter() - t0) * 1000:.0f} ms"
        )
        db.session.rollback()
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def main() -> None:
    print(f"Recruitment: one vacancy, {CANDIDATES} candidates, {CANDIDATES * BADGES_EACH} badges, {SKILLS} skills")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine: {os.cpu_count()} CPUs, load average {load} (other work on the machine inflates these figures)")
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{folder}/bench.db", "SQLite")
    pg = os.environ.get("DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if pg and pg.startswith("postgresql"):
        scratch, drop = scratch_postgres(pg)
        try:
            run(scratch, "PostgreSQL")
        finally:
            drop()


if __name__ == "__main__":
    main()
