"""Configuration read from the environment.

`create_app()` picks the class from CREDWORK_ENV (development by default); production refuses
to start without a real SECRET_KEY and DATABASE_URL.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Heroku-style URLs and plain "postgresql://" both mean psycopg 3 here.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{BASE_DIR / 'instance' / 'credwork.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 8

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 10 * 1024 * 1024))
    # Work-based evidence files: where they are kept, and how large they may be.
    EVIDENCE_STORE = os.environ.get("EVIDENCE_STORE")  # a FileStore class; unset: the folder below
    EVIDENCE_STORAGE_DIR = os.environ.get("EVIDENCE_STORAGE_DIR", str(BASE_DIR / "instance" / "evidence"))
    EVIDENCE_MAX_FILE_BYTES = int(os.environ.get("EVIDENCE_MAX_FILE_BYTES", 8_000_000))
    EVIDENCE_MAX_APPRENTICE_BYTES = int(os.environ.get("EVIDENCE_MAX_APPRENTICE_BYTES", 500_000_000))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Background jobs: Celery workers through this broker when one is set (Redis); without one,
    # jobs run in this process through the same interface: "thread" (a thread per job, after the
    # request commits) or "inline" (at once, inside the request: the tests).
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")
    JOBS_IN_PROCESS = os.environ.get("JOBS_IN_PROCESS", "thread")
    JOB_CHUNK = int(os.environ.get("JOB_CHUNK", 25))  # items per committed step (progress and retries)
    # A PDF report over more rows than this (apprentices in a cohort, candidates on a panel) is made
    # in the background and offered for download on its job's page.
    REPORT_IN_BACKGROUND_OVER = int(os.environ.get("REPORT_IN_BACKGROUND_OVER", 50))
    # Server-side cache of expensive aggregates (the team skills summary): shared in Redis when
    # REDIS_URL is set (every instance), else in files under CACHE_DIR (every gunicorn worker on
    # this machine). TEAM_SUMMARY_CACHE_SECONDS is how old its figures may be.
    CACHE_TYPE = "RedisCache" if os.environ.get("REDIS_URL") else "FileSystemCache"
    CACHE_REDIS_URL = os.environ.get("REDIS_URL")
    CACHE_DIR = os.environ.get("CACHE_DIR", str(BASE_DIR / "instance" / "cache"))
    CACHE_THRESHOLD = 2000  # entries kept in files before the oldest go
    CACHE_KEY_PREFIX = "credwork:"
    TEAM_SUMMARY_CACHE_SECONDS = int(os.environ.get("TEAM_SUMMARY_CACHE_SECONDS", 120))
    # The busiest pages (team skills, people, CPD, hub search, verifications) are kept in the
    # same cache per session until any data changes (app/blueprints/page_cache.py); this is the
    # most a copy may age (for wording like "3 hours ago"). 0 turns it off. The cache must be
    # shared by every process that writes: several machines need REDIS_URL.
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 300))
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per minute;100 per hour")
    # Per email address and client: this many failures are free, then waits of 1, 2, 4... minutes
    # up to LOGIN_LOCKOUT_MINUTES (see app/services/accounts/throttle.py).
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", 5))
    LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", 15))

    PASSWORD_RESET_HOURS = int(os.environ.get("PASSWORD_RESET_HOURS", 2))
    INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", 14))
    # How long the "accept your badge" link in an award email works; it can be sent again.
    CLAIM_LINK_DAYS = int(os.environ.get("CLAIM_LINK_DAYS", 30))
    # Proving an SSO email domain: how long an emailed confirmation link lasts, and how long a
    # DNS TXT lookup may take. DNS_TXT_RESOLVER (an object with txt_records(name)) replaces the
    # system resolver; tests set one, never the network.
    SSO_DOMAIN_CONFIRMATION_HOURS = int(os.environ.get("SSO_DOMAIN_CONFIRMATION_HOURS", 24))
    DNS_TIMEOUT_SECONDS = float(os.environ.get("DNS_TIMEOUT_SECONDS", 5))
    DNS_TXT_RESOLVER: object | None = None

    MAIL_SERVER = os.environ.get("MAIL_SERVER")  # unset: mail is written to the log
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 587))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_FROM = os.environ.get("MAIL_FROM", "Credwork <no-reply@credwork.example>")

    # Public base URL for links in emails, DIDs and credentials.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Key that encrypts issuer signing keys and SSO client secrets at rest.
    DATA_ENCRYPTION_KEY = os.environ.get("DATA_ENCRYPTION_KEY", "dev-only-data-key")
    VERIFIER_ALLOW_PRIVATE_NETWORKS = _bool("VERIFIER_ALLOW_PRIVATE_NETWORKS", False)
    # Achievement images from other issuers are fetched once and served from here (CSP: img-src self).
    BADGE_IMAGE_MAX_BYTES = int(os.environ.get("BADGE_IMAGE_MAX_BYTES", 512 * 1024))
    # A folder of 1EdTech OB 3.0 JSON Schema files (flask verify fetch-schemas DIR fills one).
    OB_SCHEMA_DIR = os.environ.get("OB_SCHEMA_DIR") or None
    # Or where to fetch them from on first use, e.g. https://purl.imsglobal.org/spec/ob/v3p0/schema/json/
    OB_SCHEMA_URL = os.environ.get("OB_SCHEMA_URL") or None
    # "web" or "key"; unset: did:web when PUBLIC_BASE_URL is https on a real host, else did:key.
    ISSUER_DID_METHOD = os.environ.get("ISSUER_DID_METHOD") or None
    VERIFY_API_RATE_LIMIT = os.environ.get("VERIFY_API_RATE_LIMIT", "60 per minute;1000 per day")
    VERIFY_PUBLIC_RATE_LIMIT = os.environ.get("VERIFY_PUBLIC_RATE_LIMIT", "30 per minute;300 per day")
    # Each person's checks through the signed-in verifier (every fetch it makes costs us too).
    VERIFY_SIGNED_IN_RATE_LIMIT = os.environ.get("VERIFY_SIGNED_IN_RATE_LIMIT", "60 per minute;600 per day")
    VERIFY_MAX_UPLOAD_BYTES = int(os.environ.get("VERIFY_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
    # SSO discovery/token calls normally need the public internet; tests use loopback.
    SSO_ALLOW_PRIVATE_NETWORKS = _bool("SSO_ALLOW_PRIVATE_NETWORKS", False)
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted
    # (so rate limits and the audit log see the client's address, not the proxy's).
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", 0))
    FINANCIAL_YEAR_START_MONTH = int(os.environ.get("FINANCIAL_YEAR_START_MONTH", 4))
    # How long a quality-assurance approval of a micro-credential version lasts.
    QA_REVIEW_YEARS = int(os.environ.get("QA_REVIEW_YEARS", 3))
    DISPLAY_TIMEZONE = "Europe/London"


class DevelopmentConfig(Config):
    pass


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    @classmethod
    def validate(cls) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "DATA_ENCRYPTION_KEY") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Production configuration is missing: " + ", ".join(missing) + ". Set them in the environment."
            )
        if cls.RATELIMIT_STORAGE_URI.startswith("memory://"):
            # In memory, each worker counts on its own: with N workers a guesser gets N times
            # the limit. Production runs several, so it needs storage they share.
            raise RuntimeError(
                "Production needs REDIS_URL (or RATELIMIT_STORAGE_URI): rate limits kept in memory "
                "are counted per worker process, so they would not hold."
            )


class _NoDnsInTests:
    """Tests use no network: one that needs DNS sets app.config["DNS_TXT_RESOLVER"] to a fake."""

    def txt_records(self, name: str) -> list[str]:
        raise RuntimeError(f"a test looked up the DNS of {name}; give it a fake resolver")


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret"
    DATA_ENCRYPTION_KEY = "test-data-key"
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    SERVER_NAME = None
    RATELIMIT_STORAGE_URI = "memory://"
    PUBLIC_BASE_URL = "http://localhost"
    DNS_TXT_RESOLVER = _NoDnsInTests()
    PASSWORD_HASH_FAST = True  # argon2id with small costs keeps the suite quick
    CELERY_BROKER_URL = None  # a test that wants the broker sets it
    JOBS_IN_PROCESS = "inline"
    # In memory for each app, so every test runs with the page cache and cached figures on, and
    # shows that a change is never hidden behind a cached copy.
    CACHE_TYPE = "SimpleCache"


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}
