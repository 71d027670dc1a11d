"""Browser-test infrastructure: a live Credwork server with the demo data, and Debian's Chromium.

The server runs in a background thread of this process with its own app and SQLite file, so a
test can read the app's outbox (invitation and reset links) directly. These tests commit for
real, so every module marks itself `no_transaction` (the rolled-back transaction of
tests/conftest.py would not be seen by the server's threads).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Long enough for a slow CI machine, short enough that a missing element fails quickly.
DEFAULT_TIMEOUT_MS = 10_000


@dataclass
class LiveServer:
    """The running app: its base URL and the Flask app object (for outbox and database reads)."""

    url: str
    app: object

    def outbox(self) -> list:
        return self.app.extensions.setdefault("credwork_outbox", [])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """Credwork on 127.0.0.1:<free port>, demo data loaded, for the whole session."""
    from werkzeug.serving import make_server

    from app import create_app
    from app.extensions import db
    from seeds import load_demo

    database = tmp_path_factory.mktemp("e2e") / "e2e.db"
    app = create_app(
        "test",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
        SQLALCHEMY_ENGINE_OPTIONS={},
        # Journeys sign in many times from one address; the limit itself has its own tests.
        LOGIN_RATE_LIMIT="1000 per minute",
        SSO_ALLOW_PRIVATE_NETWORKS=True,
        EVIDENCE_STORAGE_DIR=str(tmp_path_factory.mktemp("e2e-evidence")),
        VERIFIER_ALLOW_PRIVATE_NETWORKS=True,
    )
    with app.app_context():
        db.create_all()
        load_demo(log=lambda *_: None)
        db.session.commit()
        db.session.remove()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, name="credwork-e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=url, app=app)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser).

    Module-scoped on purpose: while sync Playwright is open its event loop counts as running in
    this thread, so a later test in the session calling asyncio.run() would fail."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _site_broke_csp(message) -> bool:
    """A CSP violation caused by the site: the document or a script it loaded. Code the test
    evaluates through DevTools (axe-core restoring the style attributes it touched) has no URL."""
    return "Content Security Policy" in message.text and bool((message.location or {}).get("url"))


@pytest.fixture
def new_context(browser, live_server, request):
    """Open a fresh browser context (its own cookies), e.g. `new_context(javascript=False)`.

    Each page records CSP violations and page errors; the test fails if any happened, because a
    page that works only by breaking the Content-Security-Policy does not work for users.
    """
    contexts = []
    problems: list[str] = []

    def _open(javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=javascript,
            viewport={"width": 1280, "height": 900},
            locale="en-GB",
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        # Read by the axe helper: a page without JavaScript cannot run axe itself.
        context.javascript_enabled = javascript

        def watch(page):
            page.on(
                "console",
                lambda msg: (
                    problems.append(f"{page.url}: {msg.text} (at {msg.location})") if _site_broke_csp(msg) else None
                ),
            )
            page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))

        context.on("page", watch)
        contexts.append(context)
        return context

    yield _open
    for context in contexts:
        context.close()
    assert not problems, "The browser reported errors:\n" + "\n".join(problems)


@pytest.fixture
def page(new_context):
    """A page in a fresh JavaScript-enabled context."""
    return new_context().new_page()
