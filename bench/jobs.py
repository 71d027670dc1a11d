"""Background jobs at size: a bulk award of 1,000 badges, then a batch verification of those 1,000
credentials (a zip of their JSON files), each run by the job runner exactly as a worker runs it
(progress committed every JOB_CHUNK items), timed against the engine's own cost of signing or
verifying one credential. Prints the time per item and the overhead of the job machinery.

    .venv/bin/python bench/jobs.py
    BENCH_AWARDS=200 .venv/bin/python bench/jobs.py

With DATABASE_URL or TEST_DATABASE_URL pointing at PostgreSQL it also runs there, in a scratch
database dropped afterwards.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hub_search import scratch_postgres  # noqa: E402  (this folder's shared helpers)

AWARDS = int(os.environ.get("BENCH_AWARDS", 1000))


def run_timed(app, job_id: int) -> float:
    """Run the job as a worker runs it; seconds taken."""
    from app.services.jobs import queue

    t0 = time.perf_counter()
    queue.run_in_app(app, job_id)
    return time.perf_counter() - t0


def queued_job(org, user, kind: str, total: int, params: dict):
    """A job recorded as `jobs.submit` records it, but run by hand here rather than on commit."""
    from app.extensions import db
    from app.models import Job

    job = Job(
        organisation_id=org.id, kind=kind, title="bench", created_by_id=user.id, total=total, params=params,
        result={}, failures=[],
    )  # fmt: skip
    db.session.add(job)
    db.session.flush()
    return job


def run(url: str, label: str) -> None:
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import Job, MicroCredential, Organisation, User
    from app.models.badges import IssuedCredential
    from app.services import issuing
    from seeds import load_demo

    app = create_app("test", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={}, JOBS_IN_PROCESS="thread")
    app.logger.setLevel(logging.ERROR)  # each claim email is otherwise logged (no MAIL_SERVER here)
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_demo(log=lambda *_: None)
        db.session.commit()
        org = db.session.scalar(select(Organisation).where(Organisation.slug == "forthside-college"))
        coordinator = db.session.scalar(select(User).where(User.email == "lorna.mcintyre@forthside.example"))
        record = db.session.scalar(
            select(MicroCredential).where(MicroCredential.provider_id == org.id, MicroCredential.status == "published")
        )
        # The engine's cost of one award, measured on its own first.
        t0 = time.perf_counter()
        for n in range(20):
            issuing.issue(
                coordinator, org, record, issuing.Learner(f"Warm {n}", f"warm{n}@bench.example"), notify=False
            )
        db.session.commit()
        single = (time.perf_counter() - t0) / 20
        learners = [issuing.Learner(f"Learner {n}", f"learner{n}@bench.example") for n in range(AWARDS)]
        job = queued_job(
            org,
            coordinator,
            "bulk_award",
            AWARDS,
            {"record_id": record.id, "valid_until": None, "learners": [[x.name, x.email] for x in learners]},
        )
        db.session.commit()
        job_id = job.id
        db.session.remove()
    elapsed = run_timed(app, job_id)
    with app.app_context():
        done = db.session.get(Job, job_id)
        issued = db.session.query(IssuedCredential).filter(IssuedCredential.recipient_email.like("learner%")).count()
        print(
            f"{label}: {done.status}, {issued} badges in {elapsed:.1f} s = {1000 * elapsed / AWARDS:.1f} ms each "
            f"(the engine alone: {1000 * single:.1f} ms each, so the job adds {100 * (elapsed / AWARDS / single - 1):.0f}%), "
            f"claim emails included"
        )
        db.session.remove()
    batch_verification(app, label)
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def batch_verification(app, label: str) -> None:
    """Verify the awarded credentials as one batch (a zip of their JSON), on the job runner."""
    import io
    import zipfile

    from sqlalchemy import select

    from app.extensions import db
    from app.models import Job, Organisation, User
    from app.models.badges import IssuedCredential
    from app.models.verifications import VerificationBatch, VerificationSource
    from app.services.verification import batches, run_verification

    with app.app_context():
        employer = db.session.scalar(select(Organisation).where(Organisation.slug == "kelvin-marine"))
        recruiter = db.session.scalar(select(User).where(User.email == "ruth.henderson@kelvinmarine.example"))
        texts = list(
            db.session.scalars(
                select(IssuedCredential.credential_text)
                .where(IssuedCredential.recipient_email.like("learner%"))
                .order_by(IssuedCredential.id)
            )
        )
        t0 = time.perf_counter()
        for text in texts[:20]:
            run_verification(
                text.encode(),
                recipient_email=None,
                source=VerificationSource.BATCH,
                organisation=employer,
                actor=recruiter,
            )
        db.session.commit()
        single = (time.perf_counter() - t0) / 20
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for n, text in enumerate(texts):
                z.writestr(f"badge-{n:04d}.json", text)
        batch = batches.create_batch(recruiter, employer, "bench.zip", archive.getvalue())
        job = queued_job(employer, recruiter, batches.BATCH_JOB, batch.total, {"batch_id": batch.id})
        batch.job_id = job.id
        db.session.commit()
        job_id, batch_id = job.id, batch.id
        db.session.remove()
    elapsed = run_timed(app, job_id)
    with app.app_context():
        done = db.session.get(Job, job_id)
        batch = db.session.get(VerificationBatch, batch_id)
        print(
            f"{label}: batch verification {done.status}, {batch.processed} credentials in {elapsed:.1f} s = "
            f"{1000 * elapsed / len(texts):.1f} ms each (the engine alone: {1000 * single:.1f} ms each, "
            f"so the job adds {100 * (elapsed / len(texts) / single - 1):.0f}%)"
        )
        db.session.remove()


def main() -> None:
    print(
        f"Bulk award then batch verification as background jobs: {AWARDS} learners, "
        "progress saved every JOB_CHUNK items"
    )
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
