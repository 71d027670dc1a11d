"""The pages people use most, at the size of a health board: `flask seed demo` then `flask seed
scale` into a scratch SQLite database, served by gunicorn with 2 workers to 16 concurrent
clients. For each page it prints p50 and p95 response time, SQL statements per request (one
request in-process, counted by a SQLAlchemy event listener), HTML size, and throughput as a
ratio of a minimal page (`/api/v1/health`) served the same way.

Each client's first request of a page is a warm-up, not timed. The clients then ask for the same
pages while nothing changes, so the busy pages come from the page cache
(app/blueprints/page_cache.py), as they do for people paging back and forth, reloading or looking
at the same team. The last column is the page worked out with no cache at all
(in-process, one client, median of 3): what the first request after a change costs. The SQL
column counts that uncached request.

    .venv/bin/python bench/scale_pages.py
    BENCH_STAFF=2000 BENCH_CREDENTIALS=20000 BENCH_REQUESTS=5 .venv/bin/python bench/scale_pages.py

Targets (issue 13, on the 2-core machine): p95 at most 100 ms, at most 25 statements, at most
300 KB of HTML per page; the hub search and a credential's page at least 10% of the minimal
page's throughput. The figures are printed, never asserted.
"""

from __future__ import annotations

import gc
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hub_search import percentile  # noqa: E402  (this folder's shared helper)

STAFF = int(os.environ.get("BENCH_STAFF", 10_000))
CREDENTIALS = int(os.environ.get("BENCH_CREDENTIALS", 100_000))
HUB_RECORDS = int(os.environ.get("BENCH_HUB_RECORDS", 10_000))
APPRENTICES = int(os.environ.get("BENCH_APPRENTICES", 1_000))
ISSUED = int(os.environ.get("BENCH_ISSUED", 10_000))  # badges the college signs; as many verifications
CLIENTS = 16
PER_CLIENT = int(os.environ.get("BENCH_REQUESTS", 10))
PASSWORD = "credwork-demo-2026"
HR = "hr@strathmore-health.example"
ADMIN = "admin@strathmore-health.example"
RECRUITER = "recruiter@strathmore-health.example"  # the scale tenant's, with its verification history


def flask(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flask"), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def signed_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    csrf = next(g for g in token.groups() if g) if token else ""
    response = session.post(
        f"{base}/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf}, allow_redirects=False
    )
    assert response.status_code == 303, (email, response.status_code)
    return session


def hammer(base: str, path: str, who: str | None) -> tuple[list[float], float, int]:
    """16 clients, PER_CLIENT requests each: (latencies ms, requests per second, HTML bytes)."""
    # The client's own garbage collection would pause every client at once: after the in-process
    # app of `worked_out` has filled this process's heap, a full collection takes ~100 ms.
    gc.collect()
    gc.freeze()
    sessions = [signed_in(base, who) if who else requests.Session() for _ in range(CLIENTS)]
    for s in sessions:
        s.get(base + path)  # warm up: each client's first request (each worker's first sight of the page) is not timed
    latencies: list[float] = []
    size = [0]
    lock = threading.Lock()

    def client(session: requests.Session) -> None:
        mine = []
        for _ in range(PER_CLIENT):
            t0 = time.perf_counter()
            response = session.get(base + path)
            mine.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            size[0] = len(response.content)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, len(latencies) / (time.perf_counter() - started), size[0]


def worked_out(url: str, path: str, who: str | None) -> tuple[int, float]:
    """SQL statements for one request of `path`, and its median time over 3, in-process against
    the same database, with no cache: the work a page does when its data has just changed."""
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    app = create_app(
        "test",
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={},
        LOGIN_RATE_LIMIT="1000 per minute",
        WTF_CSRF_ENABLED=False,
        CACHE_TYPE="NullCache",
        PAGE_CACHE_SECONDS=0,
    )
    client = app.test_client()
    if who:
        assert client.post("/login", data={"email": who, "password": PASSWORD}).status_code in (302, 303)
    client.get(path)
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

        def count(conn, cursor, statement, *args) -> None:
            if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK")):
                seen.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            client.get(path)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
        db.session.remove()
        engine.dispose()
    return len(seen), statistics.median(times)


def main() -> None:
    print(
        f"Scale pages: {STAFF:,} staff, {CREDENTIALS:,} held credentials, {HUB_RECORDS:,} hub records, "
        f"{APPRENTICES:,} apprentices, {STAFF:,} CPD requests, {ISSUED:,} issued badges and verifications; "
        f"gunicorn 2 workers, {CLIENTS} clients x {PER_CLIENT} requests"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine: {os.cpu_count()} CPUs, load average {load}")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/scale.db"
        env = {
            **os.environ,
            "FLASK_APP": "wsgi",
            "DATABASE_URL": url,
            "LOGIN_RATE_LIMIT": "10000 per minute",
            "PYTHONPATH": str(ROOT),
            "CACHE_DIR": f"{folder}/cache",  # starts empty; the pages fill it as clients ask
        }
        env.pop("CREDWORK_ENV", None)
        t0 = time.perf_counter()
        flask(env, "db", "upgrade")
        flask(env, "seed", "demo")
        flask(
            env, "seed", "scale", "--staff", str(STAFF), "--credentials", str(CREDENTIALS),
            "--hub-records", str(HUB_RECORDS), "--apprentices", str(APPRENTICES),
            "--issued", str(ISSUED), "--verifications", str(ISSUED),
        )  # fmt: skip
        print(f"Data built in {time.perf_counter() - t0:.0f} s")
        import sqlite3

        public_id = (
            sqlite3.connect(f"{folder}/scale.db")
            .execute("SELECT public_id FROM issued_credentials ORDER BY id DESC LIMIT 1")  # one of the scale's
            .fetchone()[0]
        )
        port = free_port()
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    if requests.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                        break
                except requests.RequestException:
                    time.sleep(0.2)
            pages = [
                ("minimal page (/api/v1/health)", "/api/v1/health", None),
                ("team skills summary", "/roles/team/summary", HR),
                ("team grid, first page", "/roles/team", HR),
                ("team grid, drilled down", "/roles/team?department=Surgery&page=2", HR),
                ("people", "/organisation/people", ADMIN),
                ("CPD requests", "/cpd/requests", HR),
                ("CPD dashboard", "/cpd/", HR),
                ("hub search (10,000 records)", "/hub?q=infection+control", None),
                ("a credential's public page", f"/credentials/{public_id}", None),
                ("verifier's history", "/verifications", RECRUITER),
            ]
            print(
                f"\n{'page':<32} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>5} {'HTML KB':>8} {'req/s':>7} {'vs minimal':>10}"
                f" {'uncached ms':>12}"
            )
            hammer(base, "/api/v1/health", None)  # settle: workers warm, the new database's pages read in
            minimal = None
            for name, path, who in pages:
                latencies, rate, size = hammer(base, path, who)
                minimal = minimal or rate
                sql, uncached = worked_out(url, path, who)
                print(
                    f"{name:<32} {statistics.median(latencies):8.1f} {percentile(latencies, 95):8.1f} {sql:5d} "
                    f"{size / 1024:8.1f} {rate:7.1f} {rate / minimal:9.0%} {uncached:12.1f}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
