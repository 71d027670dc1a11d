"""Moving the comma-separated SSO domains to claims: every listed domain becomes PENDING, so a
domain some organisation merely typed in before this change routes no sign-in after it."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from config import _database_url
from tests.integration.test_migrations import flask_db

pytestmark = pytest.mark.no_transaction
REVISION = "939aa72219b4"  # sso domains proved before they route


def test_listed_domains_become_pending_claims_and_come_back_on_downgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'sso-domains.db'}"
    flask_db(url, "upgrade", f"{REVISION}-1")
    engine = create_engine(_database_url(url))
    try:
        with engine.begin() as conn:
            for org_id, slug in [(1, "kelvin"), (2, "tay")]:
                conn.execute(
                    text(
                        "INSERT INTO organisations (id, name, slug, kind, quality_assured, created_at) "
                        "VALUES (:id, :slug, :slug, 'employer', false, CURRENT_TIMESTAMP)"
                    ),
                    {"id": org_id, "slug": slug},
                )
            conn.execute(
                text(
                    "INSERT INTO sso_providers (organisation_id, issuer_url, client_id, client_secret_encrypted, "
                    "allowed_domains, enabled, created_at) VALUES "
                    "(1, 'https://idp.kelvin', 'c', 'x', 'kelvinmarine.example, TayValleyHealth.example,,kelvinmarine.example', true, CURRENT_TIMESTAMP), "
                    "(2, 'https://idp.tay', 'c', 'x', 'tayvalleyhealth.example', true, CURRENT_TIMESTAMP)"
                )
            )
        flask_db(url, "upgrade", REVISION)
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT organisation_id, domain, state, verified_domain, dns_challenge FROM sso_domains "
                    "ORDER BY organisation_id, domain"
                )
            ).all()
        assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
            (1, "kelvinmarine.example", "pending", None),
            (1, "tayvalleyhealth.example", "pending", None),
            (2, "tayvalleyhealth.example", "pending", None),
        ]
        assert all(len(r[4]) >= 24 for r in rows) and len({r[4] for r in rows}) == 3

        flask_db(url, "downgrade", f"{REVISION}-1")
        with engine.connect() as conn:
            listed = dict(conn.execute(text("SELECT organisation_id, allowed_domains FROM sso_providers")).all())
        assert listed == {1: "kelvinmarine.example,tayvalleyhealth.example", 2: "tayvalleyhealth.example"}
    finally:
        engine.dispose()
