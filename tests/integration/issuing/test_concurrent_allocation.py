"""Coordinators issuing at the same moment never share a status list index.

Needs PostgreSQL (SQLite serialises all writers anyway). Each allocation runs in its own
thread, app context, session and connection, holds its transaction open a moment, then commits.
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import delete, select

from app.extensions import db
from app.models import Organisation
from app.models.badges import IssuerProfile, SigningKey, StatusList
from app.openbadges.dids import did_key_for
from app.openbadges.keys import encrypt_private_key, generate_key_pair
from app.services.issuing import status_lists

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.no_transaction,
    pytest.mark.skipif(
        not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
        reason="concurrent transactions need PostgreSQL: set TEST_DATABASE_URL",
    ),
]
WORKERS = 6


@pytest.fixture
def profile_id(app):
    with app.app_context():
        org = Organisation(name="Concurrent College", slug="concurrent-college-issuing", kind="provider")
        db.session.add(org)
        db.session.flush()
        # Built by hand rather than by the service, which audits (and the audit log cannot be cleaned up).
        pair = generate_key_pair()
        did = did_key_for(pair.public_key)
        profile = IssuerProfile(organisation_id=org.id, slug=org.slug, name=org.name, did=did, did_method="key")
        key = SigningKey(
            issuer=profile,
            key_id="key-concurrent",
            controller=did,
            verification_method=f"{did}#{did.split(':')[-1]}",
            public_multibase=pair.public_multibase,
            private_key_encrypted=encrypt_private_key(
                pair.private_key, app.config["DATA_ENCRYPTION_KEY"], context="key-concurrent"
            ),
        )
        db.session.add_all([profile, key])
        db.session.flush()
        status_lists.allocate(profile)  # the list exists before the race
        ids = (profile.id, org.id)
        db.session.commit()
    yield ids[0]
    with app.app_context():
        db.session.execute(delete(StatusList).where(StatusList.issuer_profile_id == ids[0]))
        db.session.execute(delete(SigningKey).where(SigningKey.issuer_profile_id == ids[0]))
        db.session.execute(delete(IssuerProfile).where(IssuerProfile.id == ids[0]))
        db.session.execute(delete(Organisation).where(Organisation.id == ids[1]))
        db.session.commit()


def test_simultaneous_allocations_get_distinct_indexes(app, profile_id):
    start = threading.Barrier(WORKERS)
    taken: list[object] = [None] * WORKERS

    def allocate(i: int) -> None:
        with app.app_context():
            try:
                profile = db.session.get(IssuerProfile, profile_id)
                start.wait(timeout=5)
                status_list, index = status_lists.allocate(profile)
                time.sleep(0.2)  # keep the transaction open while the others arrive
                db.session.commit()
                taken[i] = (status_list.id, index)
            except Exception as exc:  # noqa: BLE001 (reported in the assertion)
                db.session.rollback()
                taken[i] = f"{type(exc).__name__}: {exc}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=allocate, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(isinstance(t, tuple) for t in taken), taken
    assert sorted(index for _, index in taken) == list(range(1, WORKERS + 1))
    with app.app_context():
        assert (
            db.session.scalar(select(StatusList.next_index).where(StatusList.issuer_profile_id == profile_id))
            == WORKERS + 1
        )
