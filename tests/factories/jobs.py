"""Jobs made directly, for the isolation matrix."""

from __future__ import annotations

from app.extensions import db
from app.models import Job


def _isolation_job(t) -> int:
    def make():
        job = Job(
            organisation_id=t.provider.id,
            kind="bulk_award",
            title=f"{t.made.get('label', '')}Award job",
            created_by_id=t.provider_person.id,
            status="finished",
            total=1,
            done=0,
            failures=[{"row": 1, "label": "x@example.org", "message": "failed"}],
            params={},
            result={},
        )
        db.session.add(job)
        db.session.flush()
        return job

    return t.once("job", make).id


ISOLATION_PARAMS = {"job_id": _isolation_job}
