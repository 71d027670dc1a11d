"""Security headers, session cookie flags, production start-up checks, and CSRF."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories.accounts import OrganisationFactory, member

REPO = Path(__file__).resolve().parents[2]


def directives(csp: str) -> dict[str, str]:
    return {part.strip().split(" ", 1)[0]: part.strip() for part in csp.split(";") if part.strip()}


def test_content_security_policy_forbids_inline_script(client):
    response = client.get("/login")
    csp = directives(response.headers["Content-Security-Policy"])
    assert csp["script-src"] == "script-src 'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert csp["object-src"] == "object-src 'none'"


def test_pages_carry_no_inline_script_or_style(client, login):
    login(member(OrganisationFactory(), "org_admin"))
    for path in ("/login", "/dashboard", "/organisation/people", "/organisation/audit", "/no-such-page"):
        page = client.get(path).get_data(as_text=True)
        for opening in page.split("<script")[1:]:
            assert opening.split(">", 1)[0].strip().startswith(("src=", 'type="module" src=')), (path, opening[:80])
        assert " style=" not in page, path


def test_other_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "HX-Request" in response.headers["Vary"]
    assert "Strict-Transport-Security" not in response.headers  # only over HTTPS in production


def test_error_and_api_responses_carry_the_headers_too(client):
    for path in ("/no-such-page", "/api/v1/nope", "/api/v1/health"):
        response = client.get(path)
        assert "Content-Security-Policy" in response.headers, path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_session_cookie_is_httponly_and_samesite_lax(client):
    response = client.get("/login")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


REDIS = "redis://127.0.0.1:6379/0"  # not contacted by these tests: limits apply to POSTs only


def test_production_refuses_to_start_with_rate_limits_in_memory(tmp_path):
    env = {"SECRET_KEY": "s" * 40, "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}", "DATA_ENCRYPTION_KEY": "k" * 40}
    result = run_production("from app import create_app; create_app()", **env)
    assert result.returncode != 0
    assert "Production needs REDIS_URL" in result.stderr


def run_production(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "DATA_ENCRYPTION_KEY", "TEST_DATABASE_URL", "REDIS_URL"}
        and k != "RATELIMIT_STORAGE_URI"
    }
    environment.update(CREDWORK_ENV="production", **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=environment, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "DATA_ENCRYPTION_KEY"])
def test_production_refuses_to_start_without_its_secrets(tmp_path, missing):
    env = {
        "SECRET_KEY": "s" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
        "DATA_ENCRYPTION_KEY": "k" * 40,
        "REDIS_URL": REDIS,
    }
    del env[missing]
    result = run_production("from app import create_app; create_app()", **env)
    assert result.returncode != 0
    assert "Production configuration is missing" in result.stderr
    assert missing in result.stderr


def test_production_uses_its_secrets_and_secure_cookies(tmp_path):
    code = (
        "from app import create_app\n"
        "app = create_app()\n"
        "response = app.test_client().get('/login')\n"
        "print(app.config['SECRET_KEY'])\n"
        "print(app.config['SQLALCHEMY_DATABASE_URI'])\n"
        "print(response.headers['Set-Cookie'])\n"
        "print(response.headers.get('Strict-Transport-Security'))\n"
    )
    database = f"sqlite:///{tmp_path / 'prod.db'}"
    result = run_production(
        code,
        SECRET_KEY="production-secret-" + "x" * 30,
        DATABASE_URL=database,
        DATA_ENCRYPTION_KEY="k" * 40,
        REDIS_URL=REDIS,
    )
    assert result.returncode == 0, result.stderr
    secret, uri, cookie, hsts = result.stdout.strip().splitlines()[-4:]
    assert secret == "production-secret-" + "x" * 30
    assert uri == database
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert hsts.startswith("max-age=")


def test_post_without_csrf_token_is_refused(client, login):
    user = member(OrganisationFactory(), "org_admin")
    response = client.post("/login", data={"email": user.email, "password": "whatever"}, no_csrf=True)
    assert response.status_code == 400
    assert "The form expired or was sent from another site" in response.get_data(as_text=True)
    login(user)
    response = client.post(
        "/organisation/people/invite", data={"email": "x@example.org", "roles": ["learner"]}, no_csrf=True
    )
    assert response.status_code == 400


def test_post_with_a_wrong_token_is_refused(client, login):
    login(member(OrganisationFactory(), "org_admin"))
    response = client.post("/logout", data={"csrf_token": "forged"}, headers={"X-CSRFToken": "forged"})
    assert response.status_code == 400
    assert client.get("/dashboard").status_code == 200


def test_htmx_post_with_the_csrf_header_succeeds(client, login):
    login(member(OrganisationFactory(), "org_admin"))
    # No form field: only the header that base.html's hx-headers sends.
    response = client.post("/logout", headers={"HX-Request": "true"})
    assert response.status_code == 303
    assert client.get("/dashboard").status_code == 302


def test_htmx_post_without_the_header_is_refused_into_the_alert_region(client, login):
    login(member(OrganisationFactory(), "org_admin"))
    response = client.post("/logout", headers={"HX-Request": "true"}, no_csrf=True)
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#alert-region"


def test_the_page_gives_htmx_the_csrf_header(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


def test_login_limits_are_shared_through_redis_when_configured(tmp_path):
    """With REDIS_URL set, every worker process counts sign-in attempts in the same place."""
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (CI provides it)")
    code = (
        "import uuid\n"
        "from app import create_app\n"
        "from app.extensions import db, limiter\n"
        "app = create_app(RATELIMIT_KEY_PREFIX='credwork-test-' + uuid.uuid4().hex, WTF_CSRF_ENABLED=False,\n"
        "                 LOGIN_RATE_LIMIT='2 per minute', PASSWORD_HASH_FAST=True)\n"
        "with app.app_context():\n"
        "    db.create_all()\n"
        "print(type(limiter.storage).__name__)\n"
        "client = app.test_client()\n"
        "print([client.post('/login', data={'email': 'x@example.org', 'password': 'nope-nope-nope'}).status_code\n"
        "       for _ in range(3)])\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"TEST_DATABASE_URL", "DATABASE_URL"}}
    env.update(
        CREDWORK_ENV="development",
        REDIS_URL="redis://127.0.0.1:6379/15",
        DATABASE_URL=f"sqlite:///{tmp_path / 'redis.db'}",
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    storage, statuses = result.stdout.strip().splitlines()[-2:]
    assert storage == "RedisStorage"
    assert statuses == "[422, 422, 429]"
