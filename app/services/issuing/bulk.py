"""Awarding one micro-credential to many learners from a CSV of ``name,email``.

Every row is checked before anything is signed: one bad row means nothing is issued and
each problem is reported with its row number (the header, when present, is row 1).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from app.models import MicroCredential, Organisation
from app.models.badges import IssuedCredential
from app.services import audit
from app.services.issuing.awards import IssuingError, Learner, check_email, issue, send_claim

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


def award_all(
    actor,
    org: Organisation,
    record: MicroCredential,
    content: bytes,
    *,
    valid_until: datetime | None = None,
    notify: bool = True,
) -> list[IssuedCredential]:
    """Award ``record`` to every learner in the CSV, or raise and issue none."""
    learners = parse(content)
    issued = [issue(actor, org, record, learner, valid_until=valid_until, notify=False) for learner in learners]
    if notify:  # only once every award has been made, so a failure mid-file emails nobody
        for one in issued:
            send_claim(one)
    audit.record(
        actor,
        "credential.bulk_issue",
        record,
        f"Awarded {record.title} to {len(issued)} learners from a CSV",
        organisation=org,
        count=len(issued),
    )
    return issued
