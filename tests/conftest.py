"""Test fixtures: one app per session, one rolled-back transaction per test.

SQLite in memory by default; PostgreSQL when TEST_DATABASE_URL is set. CSRF stays on: the
`client` sends the token it reads from the page, as a browser does.
"""

from __future__ import annotations

import os
import re

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session, sessionmaker
from sqlalchemy.pool import StaticPool

from tests.support.databases import use_own_database_per_worker

use_own_database_per_worker()  # before the app's config reads TEST_DATABASE_URL

from app import create_app  # noqa: E402  (the line above must run first)
from app.extensions import cache, db, limiter  # noqa: E402

TOKEN_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


# Modules whose tests start processes, browsers or real concurrent transactions. With the
# property-based (Hypothesis) tests they carry the `slow` marker: `make test-fast` leaves them
# out while you work; `make test` and CI run everything.
SLOW_MODULES = ("test_concurrent_", "test_migrations", "test_interop", "test_digitalbazaar", "test_seed")


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = str(item.fspath)
        if "/e2e/" in path:
            item.add_marker(pytest.mark.e2e)
        if (
            "/e2e/" in path
            or getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
            or any(f"/{name}" in path for name in SLOW_MODULES)
        ):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CREDWORK_REQUIRE_ALL=1 (CI) a skipped test is a failure: nothing may be skipped."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CREDWORK_REQUIRE_ALL") == "1" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI, which must run everything: {report.longrepr}"


class CredworkClient(FlaskClient):
    """A test client that sends the CSRF token like the browser: read from the last page."""

    csrf_value: str | None = None

    def open(self, *args, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        if method in {"POST", "PUT", "PATCH", "DELETE"} and not kwargs.pop("no_csrf", False):
            token = self.csrf_token()
            data = kwargs.get("data")
            if isinstance(data, dict) and "csrf_token" not in data:
                data = dict(data, csrf_token=token)
                kwargs["data"] = data
            headers = dict(kwargs.get("headers") or {})
            headers.setdefault("X-CSRFToken", token)
            kwargs["headers"] = headers
        response = super().open(*args, **kwargs)
        return response

    def run_wsgi_app(self, environ, buffered=False):
        # Each request starts with an empty `g`, as under a real server. The request reuses the
        # test's long-lived app context, whose `g` would otherwise leak `g._login_user` (and the
        # policy's membership cache) from one client's request into another's.
        if not has_app_context():
            return super().run_wsgi_app(environ, buffered=buffered)
        saved = dict(g.__dict__)
        g.__dict__.clear()
        try:
            return super().run_wsgi_app(environ, buffered=buffered)
        finally:
            g.__dict__.clear()
            g.__dict__.update(saved)

    def csrf_token(self) -> str:
        if self.csrf_value is None:
            page = super().open("/login", method="GET")
            match = TOKEN_PATTERN.search(page.get_data(as_text=True))
            assert match, "no CSRF token on the sign-in page"
            self.csrf_value = match.group(1) or match.group(2)
        return self.csrf_value


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    # Evidence files of the whole session go to a temporary folder, never the repository.
    overrides: dict = {"EVIDENCE_STORAGE_DIR": str(tmp_path_factory.mktemp("evidence"))}
    if not os.environ.get("TEST_DATABASE_URL"):
        # One in-memory database shared by every connection of the session.
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    app = create_app("test", **overrides)
    app.test_client_class = CredworkClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        if os.environ.get("TEST_DATABASE_URL"):
            db.drop_all()


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Every test runs inside a transaction that is rolled back; code that commits commits a
    savepoint."""
    if "no_transaction" in request.keywords:
        yield
        return
    ctx = app.app_context()
    ctx.push()
    connection = db.engine.connect()
    outer = connection.begin()
    # A plain SQLAlchemy session bound to the test's connection (Flask-SQLAlchemy's own session
    # would pick the engine and escape the outer transaction).
    session = scoped_session(sessionmaker(bind=connection, join_transaction_mode="create_savepoint"))
    original = db.session
    db.session = session
    limiter.reset()
    cache.clear()  # ids come round again once a test's rows are rolled back
    app.extensions["credwork_outbox"] = []
    try:
        yield session
    finally:
        session.remove()
        db.session = original
        outer.rollback()
        connection.close()
        ctx.pop()


@pytest.fixture
def client(app) -> CredworkClient:
    return app.test_client()


@pytest.fixture
def outbox(app):
    return app.extensions["credwork_outbox"]


@pytest.fixture
def login(client):
    """Sign `user` in through the real sign-in form."""
    from tests.factories.accounts import PASSWORD

    def _login(user, password: str = PASSWORD, c: CredworkClient | None = None):
        c = c or client
        response = c.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        return c

    return _login
