"""Awarding one micro-credential to many learners from a CSV of ``name,email``.

Every row is checked before anything is signed: one bad row means nothing is issued and
each problem is reported with its row number (the header, when present, is row 1). The awards
themselves are a background job (`start_award_job`): each learner's badge is signed in its own
savepoint, a learner whose award fails is reported by row while the others go ahead, and a retry
issues only to the learners who have no badge from this job yet.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from functools import partial

from app.domain import DomainError
from app.extensions import db
from app.models import Job, MicroCredential, Organisation, User
from app.services import audit, jobs
from app.services.issuing.awards import IssuingError, Learner, check_email, issue, send_claim

AWARD_JOB = "bulk_award"

CSV_TEMPLATE = "name,email\nAlex Example,alex@example.com\n"
MAX_ROWS = 500


class BulkAwardError(IssuingError):
    """The file has problems; ``problems`` lists (row number, message)."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(f"{len(problems)} problem(s) in the file: nothing was issued")
        self.problems = problems


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BulkAwardError([(1, "The file is not UTF-8 text: save it as “CSV UTF-8” and try again")]) from None


def parse(content: bytes) -> list[Learner]:
    """The learners in the file, or BulkAwardError listing every bad row."""
    reader = csv.reader(io.StringIO(_decode(content)))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise BulkAwardError(
            [(reader.line_num, f"The file cannot be read as CSV ({exc}): check for a quote that is not closed")]
        ) from None
    problems: list[tuple[int, str]] = []
    learners: list[Learner] = []
    seen: dict[str, int] = {}
    start = 0
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["name", "email"]:
        start = 1
    body = [(n, r) for n, r in enumerate(rows[start:], start=start + 1) if any(c.strip() for c in r)]
    if not body:
        raise BulkAwardError([(start + 1, "The file has no learners in it: one row per learner, name then email")])
    if len(body) > MAX_ROWS:
        raise BulkAwardError([(body[MAX_ROWS][0], f"At most {MAX_ROWS} learners per file: split the file")])
    for number, row in body:
        if len(row) != 2:
            problems.append((number, f"Expected 2 columns (name, email), found {len(row)}"))
            continue
        name, email = row[0].strip(), row[1].strip()
        if not name:
            problems.append((number, "Enter the learner's name"))
        elif len(name) > 200:
            problems.append((number, "The name is longer than 200 characters"))
        try:
            email = check_email(email)
        except IssuingError:
            problems.append((number, f"“{email[:80]}” is not an email address"))
            continue
        if email in seen:
            problems.append((number, f"{email} is already on row {seen[email]}"))
            continue
        seen[email] = number
        learners.append(Learner(name, email))
    if problems:
        raise BulkAwardError(problems)
    return learners


def start_award_job(
    actor, org: Organisation, record: MicroCredential, learners: list[Learner], *, valid_until: datetime | None = None
) -> Job:
    """Award ``record`` to every learner (already checked by `parse`) in the background."""
    return jobs.submit(
        actor,
        org,
        AWARD_JOB,
        f"Award {record.title} to {len(learners)} learner{'s' if len(learners) != 1 else ''}",
        {
            "record_id": record.id,
            "valid_until": valid_until.isoformat() if valid_until else None,
            "learners": [[learner.name, learner.email] for learner in learners],
        },
        total=len(learners),
    )


@jobs.runner(AWARD_JOB)
def _run_award_job(job: Job, progress: jobs.Progress) -> None:
    org = db.session.get(Organisation, job.organisation_id)
    record = db.session.get(MicroCredential, job.params["record_id"])
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    if org is None or record is None:
        raise IssuingError("The organisation or the micro-credential no longer exists")
    until = job.params.get("valid_until")
    valid_until = datetime.fromisoformat(until) if until else None
    made: dict[str, int] = dict((job.result or {}).get("issued") or {})  # row -> credential id
    for row, (name, email) in enumerate(job.params["learners"], start=1):
        if str(row) in made:
            continue  # issued by an earlier attempt: never twice
        try:
            with db.session.begin_nested():
                issued = issue(actor, org, record, Learner(name, email), valid_until=valid_until, notify=False)
        except DomainError as exc:
            progress.failed(row, email, exc.message)
            continue
        except Exception as exc:  # noqa: BLE001 (reported per row; the others go ahead)
            progress.failed(row, email, f"Could not be issued ({type(exc).__name__}); try again")
            continue
        made[str(row)] = issued.id
        job.result = {**(job.result or {}), "issued": dict(made)}
        progress.succeeded(then=partial(send_claim, issued))
    audit.record(
        actor,
        "credential.bulk_issue",
        record,
        f"Awarded {record.title} to {len(made)} of {job.total} learners (job {job.id})",
        organisation=org,
        count=len(made),
        job=job.id,
    )
