"""Apprenticeship dashboards at size: an employer with 1,000 apprentices across two providers,
one of whose coordinators has 300 of them in a cohort holding 50,000 evidence entries (one
apprentice's portfolio has 500), so the coverage heat map and a large portfolio are timed too. Times each dashboard through the real
routes (Flask test client) and prints p50, p95, SQL statements per request and HTML size.

    .venv/bin/python bench/apprenticeship_dashboards.py
    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/apprenticeship_dashboards.py

With DATABASE_URL or TEST_DATABASE_URL pointing at PostgreSQL it also runs there, in a scratch
database dropped afterwards. Goal: p95 under 300 ms and a fixed number of statements per page.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hub_search import percentile, scratch_postgres  # noqa: E402  (this folder's shared helpers)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", 20))
EMPLOYER_APPRENTICES = int(os.environ.get("BENCH_APPRENTICES", 1000))
COORDINATOR_APPRENTICES = 300
PASSWORD = "bench-password-2026"
COHORT_ENTRIES = 50_000  # work-based evidence entries across the 300-apprentice cohort
BIG_PORTFOLIO = 500  # entries in one apprentice's portfolio


def build(db):
    """The organisations, people, programme and cohorts; returns who signs in where."""
    from app.models import Membership, Organisation, Partnership, User
    from app.models.people import Role
    from app.security.passwords import hash_password
    from app.services.accounts.organisations import join
    from app.services.apprenticeships import cohorts, programmes
    from seeds.apprenticeship_scale import add_apprentices, add_evidence

    password = hash_password(PASSWORD)
    employer = Organisation(name="Bench Health Board", slug="bench-health", kind="employer")
    providers = [Organisation(name=f"Bench College {i}", slug=f"bench-college-{i}", kind="provider") for i in (1, 2)]
    db.session.add_all([employer, *providers])
    db.session.flush()
    for provider in providers:
        db.session.add(
            Partnership(
                employer_id=employer.id, provider_id=provider.id, status="active", requested_by_org_id=employer.id
            )
        )

    def person(name: str, org, role: str) -> Membership:
        user = User(email=f"{name.lower().replace(' ', '.')}@bench.example", name=name, password_hash=password)
        db.session.add(user)
        db.session.flush()
        return join(user, org, [role])

    people = {
        "HR manager": person("Hana Bench", employer, Role.HR_MANAGER),
        "line manager": person("Lewis Bench", employer, Role.LINE_MANAGER),
    }
    today = date.today()
    for number, (provider, size) in enumerate(
        zip(providers, (COORDINATOR_APPRENTICES, EMPLOYER_APPRENTICES - COORDINATOR_APPRENTICES), strict=True), 1
    ):
        coordinator = person(f"Cora Bench {number}", provider, Role.PROVIDER_COORDINATOR)
        assessor = person(f"Asha Bench {number}", provider, Role.ASSESSOR)
        details = programmes.ProgrammeDetails(
            type="modern_apprenticeship",
            title=f"Bench Programme {number}",
            duration_months=24,
            otj_basis="percent",
            otj_percent=20,
        )
        programme = programmes.create(coordinator.user, provider, details, "K1 Knows\nS1 Does\nB1 Behaves")
        programmes.publish(coordinator.user, programme)
        cohort = cohorts.create_cohort(
            coordinator.user, provider, programme, f"Bench cohort {number}", today - timedelta(weeks=6), coordinator
        )
        cohorts.set_team(coordinator.user, cohort, coordinator.id, [assessor.id])
        ids = add_apprentices(
            cohort, employer.id, people["line manager"], assessor, size, today=today, label=f"p{number}"
        )
        if number == 1:
            people["coordinator (300)"] = coordinator
            people["assessor (300)"] = assessor
            first_cohort = cohort.id
            # 50,000 evidence entries across the cohort, one apprentice holding 500 of them.
            outcomes = [o.id for o in programme.outcomes]
            add_evidence(
                ids[1:], outcomes, (COHORT_ENTRIES - BIG_PORTFOLIO) // (len(ids) - 1), assessor.user_id, today=today
            )
            add_evidence(ids[:1], outcomes, BIG_PORTFOLIO, assessor.user_id, today=today)
            big_portfolio = ids[0]
    db.session.commit()
    return {role: (m.user.email, m.organisation_id) for role, m in people.items()}, first_cohort, big_portfolio


PAGES = [
    ("HR manager", "/apprenticeships/"),
    ("HR manager", "/apprenticeships/?progress=at_risk"),
    ("HR manager", "/apprenticeships/?page=20"),
    ("HR manager", "/dashboard"),
    ("line manager", "/apprenticeships/"),
    ("coordinator (300)", "/cohorts/"),
    ("coordinator (300)", "/cohorts/{cohort}"),
    ("coordinator (300)", "/apprenticeships/"),
    ("assessor (300)", "/apprenticeships/"),
    ("assessor (300)", "/dashboard"),
    ("coordinator (300)", "/cohorts/{cohort}/coverage"),
    ("coordinator (300)", "/cohorts/{cohort}/coverage?page=6"),
    ("assessor (300)", "/apprenticeships/{portfolio}/evidence"),
    ("assessor (300)", "/apprenticeships/{portfolio}/evidence?page=20"),
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
        people, cohort, portfolio = build(db)
        print(f"\n{label}: built {EMPLOYER_APPRENTICES} apprentices in {time.perf_counter() - started:.1f} s")
        db.session.remove()
        engine = db.engine

    # Requests run outside the app context, as under a real server (each has its own `g`).
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    print(f"{'who':<20} {'page':<36} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>5} {'HTML kB':>8}")
    for role, path in PAGES:
        client = app.test_client()
        signed_in = client.post("/login", data={"email": people[role][0], "password": PASSWORD})
        assert signed_in.status_code == 303, signed_in.status_code
        path = path.format(cohort=cohort, portfolio=portfolio)
        for _ in range(2):  # warm up caches and the planner
            client.get(path)
        timings, counts = [], []
        for _ in range(ROUNDS):
            statements.clear()
            t0 = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - t0) * 1000)
            counts.append(len(statements))
            assert response.status_code == 200, (path, response.status_code)
        size = len(response.get_data()) / 1024
        print(
            f"{role:<20} {path:<36} {statistics.median(timings):8.1f} {percentile(timings, 95):8.1f} "
            f"{max(counts):>5} {size:8.1f}"
        )
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def main() -> None:
    print(
        f"Apprenticeship dashboards: {EMPLOYER_APPRENTICES} apprentices at one employer, {ROUNDS} timed requests a page"
    )
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
