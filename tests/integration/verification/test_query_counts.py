"""The history and batch pages run a bounded number of SQL statements whatever the data size."""

from __future__ import annotations

from sqlalchemy import event

from app.extensions import db
from app.models.verifications import Verification, VerificationBatch, VerificationBatchItem
from tests.factories.accounts import OrganisationFactory, member
from tests.support.queries import uncached


def _verifications(org, batch, n, start):
    for i in range(start, start + n):
        verification = Verification(
            token=f"tok-{i}",
            organisation_id=org.id,
            source="batch",
            verdict="valid",
            format="ob3-di",
            candidate_email=f"c{i % 7}@example.org",
            batch_id=batch.id,
            achievement_name=f"Badge {i}",
            result={"checks": []},
        )
        db.session.add(verification)
        db.session.flush()
        db.session.add(
            VerificationBatchItem(
                batch_id=batch.id, position=i, label=f"https://x.example/{i}", verification_id=verification.id
            )
        )
    batch.total = batch.processed = start + n
    db.session.flush()


def _count(client, url) -> int:
    db.session.expire_all()
    statements = []

    def on_execute(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        with uncached():  # the page's own work, not a copy from the page cache
            assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
    return len(statements)


def test_history_and_batch_pages_do_not_grow_with_data(client, login):
    org = OrganisationFactory()
    login(member(org, "recruiter"))
    batch = VerificationBatch(organisation_id=org.id, kind="csv", filename="x.csv", total=0)
    db.session.add(batch)
    db.session.flush()
    _verifications(org, batch, 3, 1)
    batch.finished_at = db.func.now()
    db.session.flush()
    urls = [
        "/verifications",
        "/verifications?candidate=c1@example.org",
        f"/verifications/batches/{batch.id}",
        "/verifications/batches",
    ]
    for url in urls:
        client.get(url)
    small = {url: _count(client, url) for url in urls}
    _verifications(org, batch, 40, 4)
    large = {url: _count(client, url) for url in urls}
    assert large == small
