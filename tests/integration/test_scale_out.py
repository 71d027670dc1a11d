"""Scale-out: two app instances (gunicorn) and one Celery worker share PostgreSQL and Redis, as the
README's deployment describes. On both instances: a rate limit counts across them, a bulk award
started on one shows its progress on the other (run by the worker), and a sign-in on one is valid
on the other.

Needs PostgreSQL (TEST_DATABASE_URL) and Redis (REDIS_URL, default 127.0.0.1:6379), as CI has.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from seeds import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG = os.environ.get("TEST_DATABASE_URL") or ""
REDIS = os.environ.get("SCALE_OUT_REDIS_URL", "redis://127.0.0.1:6379")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.no_transaction,
    pytest.mark.skipif(not PG.startswith("postgres"), reason="scale-out needs PostgreSQL: set TEST_DATABASE_URL"),
]
COORDINATOR = "lorna.mcintyre@forthside.example"
LEARNERS = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=10).status_code < 500:
                return
        except requests.RequestException:  # not listening yet, or still loading the app
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """A scratch database with the demo data, two gunicorn instances and a Celery worker."""
    base = make_url(PG.replace("postgresql://", "postgresql+psycopg://", 1) if PG.startswith("postgresql://") else PG)
    name = f"credwork_scale_out_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    database = base.set(database=name).render_as_string(hide_password=False)
    import redis

    for db_number in (11, 12):  # rate limits, the broker
        redis.Redis.from_url(f"{REDIS}/{db_number}").flushdb()
    env = {
        **os.environ,
        "CREDWORK_ENV": "development",
        "DATABASE_URL": database,
        "SECRET_KEY": "scale-out-shared-secret",
        "DATA_ENCRYPTION_KEY": "scale-out-data-key",
        "REDIS_URL": f"{REDIS}/11",
        "CELERY_BROKER_URL": f"{REDIS}/12",
        "LOGIN_RATE_LIMIT": "4 per minute",
        "JOB_CHUNK": "5",
        "FLASK_APP": "wsgi",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("TEST_DATABASE_URL", None)
    logs = tmp_path_factory.mktemp("scale-out")
    subprocess.run([BIN / "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([BIN / "flask", "seed", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [
                BIN / "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--control-socket",
                str(logs / f"gunicorn-{port}.ctl"),
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=open(logs / f"app-{port}.log", "w"),  # noqa: SIM115 (closed with the process)
            stderr=subprocess.STDOUT,
        )
        for port in ports
    ]
    processes.append(
        subprocess.Popen(
            [BIN / "celery", "-A", "app.worker", "worker", "--pool", "solo", "--loglevel", "info"],
            cwd=ROOT,
            env=env,
            stdout=open(logs / "worker.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
    )
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url in urls:
            _wait_for(url + "/api/health")
        yield urls, logs
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _sign_in(browser: requests.Session, url: str, email: str, password: str) -> requests.Response:
    form = browser.get(url + "/login").text
    return browser.post(
        url + "/login",
        data={"csrf_token": _csrf(form), "email": email, "password": password},
        allow_redirects=False,
    )


def test_a_sign_in_on_one_instance_is_valid_on_the_other(deployment):
    (first, second), _ = deployment
    browser = requests.Session()
    assert _sign_in(browser, first, COORDINATOR, DEMO_PASSWORD).status_code == 303
    page = browser.get(second + "/dashboard", allow_redirects=False)
    assert page.status_code == 200 and "Hello, Lorna" in page.text


def _clear_rate_limits() -> None:
    import redis

    redis.Redis.from_url(f"{REDIS}/11").flushdb()


def test_the_rate_limit_is_counted_across_instances(deployment):
    (first, second), _ = deployment
    _clear_rate_limits()
    codes = []
    for n in range(5):  # 4 a minute per address, whichever instance answers
        url = (first, second)[n % 2]
        codes.append(_sign_in(requests.Session(), url, "nobody@nowhere.example", "wrong password").status_code)
    _clear_rate_limits()
    assert codes == [422, 422, 422, 422, 429], codes  # refused sign-ins, then the shared limit


def test_a_bulk_award_started_on_one_instance_shows_its_progress_on_the_other(deployment):
    (first, second), logs = deployment
    browser = requests.Session()
    assert _sign_in(browser, first, COORDINATOR, DEMO_PASSWORD).status_code == 303
    form = browser.get(first + "/issuing/bulk").text
    record_id = re.search(r'<option value="(\d+)"', form).group(1)
    csv = "".join(f"Learner {n},learner{n}@scale-out.example\n" for n in range(LEARNERS))
    started = browser.post(
        first + "/issuing/bulk",
        data={"csrf_token": _csrf(form), "micro_credential_id": record_id},
        files={"file": ("learners.csv", csv.encode(), "text/csv")},
        allow_redirects=False,
    )
    assert started.status_code == 303, started.text[:500]
    job = started.headers["Location"]
    assert re.search(r"/jobs/\d+$", job)
    seen = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        page = browser.get(second + job, headers={"HX-Request": "true"}).text
        done = re.search(r"(\d+) of (\d+) done", page)
        assert done, page[:500]
        seen.append(int(done.group(1)))
        if f"All {LEARNERS} done." in page:
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"not finished; seen {seen}; worker log: {(logs / 'worker.log').read_text()[-2000:]}")
    assert seen[-1] == LEARNERS and seen == sorted(seen)
    assert "credwork.run_job" in (logs / "worker.log").read_text()  # the worker did it, not a web process
