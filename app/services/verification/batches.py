"""Batch verification: a CSV of (candidate email, badge URL) rows or a zip of badge files.

A batch is stored first (every row or file checked for shape), then verified by a background
job (app.services.jobs: a Celery worker, or this process without a broker). The job commits
every few items together with the batch's progress, so the batch page (polled by htmx, or
refreshed without JavaScript) shows it from any instance, and a retried job skips the items
already verified. Zips are read in memory with every size checked; nothing is ever extracted
to disk.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from datetime import UTC, datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import Job, Organisation, User
from app.models.verifications import BatchKind, VerificationBatch, VerificationBatchItem, VerificationSource
from app.services import audit, jobs
from app.services.verification.verifier import VerificationInputError, max_upload_bytes, run_verification

MAX_ITEMS = 1000
MAX_ZIP_TOTAL_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
PAGE_SIZE = 100  # results shown per page of a batch
BATCH_JOB = "verification_batch"
logger = logging.getLogger(__name__)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class BatchError(VerificationInputError):
    """The whole upload is refused (not a CSV or zip, too many rows, a zip bomb...)."""


def create_batch(
    actor, org, filename: str | None, content: bytes, *, candidate_email: str | None = None
) -> VerificationBatch:
    """Store a batch from an uploaded CSV or zip (sniffed from its bytes, not its name)."""
    if not content:
        raise BatchError("The selected file is empty")
    if content.startswith(b"PK\x03\x04") or content.startswith(b"PK\x05\x06"):
        kind, items = BatchKind.ZIP, _zip_items(content, (candidate_email or "").strip().lower() or None)
    else:
        kind, items = BatchKind.CSV, _csv_items(content)
    if not items:
        raise BatchError("The file has no badges in it")
    batch = VerificationBatch(
        organisation_id=org.id,
        created_by_id=getattr(actor, "id", None),
        kind=str(kind),
        filename=(filename or f"batch.{kind}")[:255],
        total=len(items),
    )
    db.session.add(batch)
    db.session.flush()
    for position, item in enumerate(items, start=1):
        item.batch_id, item.position = batch.id, position
        db.session.add(item)
    batch.processed = sum(1 for i in items if i.error)
    if batch.processed == batch.total:
        batch.finished_at = datetime.now(UTC)
    db.session.flush()
    audit.record(
        actor,
        "verification_batch.create",
        batch,
        f"Started verifying {batch.total} badges from {batch.filename}",
        organisation=org,
        kind=str(kind),
        items=batch.total,
    )
    return batch


def _csv_items(content: bytes) -> list[VerificationBatchItem]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BatchError("The file must be a CSV (UTF-8 text) or a zip file") from None
    if "\x00" in text:
        raise BatchError("The file must be a CSV (UTF-8 text) or a zip file")
    try:
        rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    except csv.Error as exc:
        raise BatchError(f"The CSV file cannot be read: {exc}") from None
    if rows and len(rows[0]) >= 2 and not rows[0][1].strip().lower().startswith(("http://", "https://")):
        rows = rows[1:]  # a header row
    if len(rows) > MAX_ITEMS:
        raise BatchError(f"The CSV has {len(rows)} rows; a batch can have at most {MAX_ITEMS}")
    items = []
    for number, row in enumerate(rows, start=1):
        email = row[0].strip().lower() if row else ""
        url = row[1].strip() if len(row) > 1 else ""
        error = None
        if len(row) < 2:
            error = "the row needs two columns: candidate email and badge web address"
        elif email and not _EMAIL.match(email):
            error = f"{email[:80]!r} is not an email address"
        elif not url.lower().startswith(("http://", "https://")) or len(url) > 2000 or any(c.isspace() for c in url):
            error = "the badge web address must start with https://"
        items.append(
            VerificationBatchItem(
                label=(url or f"row {number}")[:500],
                candidate_email=email[:320] or None,
                url=None if error else url,
                error=error,
            )
        )
    return items


def _zip_items(content: bytes, candidate_email: str | None) -> list[VerificationBatchItem]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise BatchError("The zip file is damaged and cannot be read") from None
    files = [m for m in members if not m.is_dir() and not _ignored(m.filename)]
    if len(members) > MAX_ITEMS * 2 or len(files) > MAX_ITEMS:
        raise BatchError(f"The zip has too many files; a batch can have at most {MAX_ITEMS}")
    limit = max_upload_bytes()
    declared_total = 0
    for member in files:
        name = member.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or re.match(r"^[A-Za-z]:", name):
            raise BatchError(f"The zip contains an unsafe file path ({name[:80]!r}), so it was refused")
        if member.flag_bits & 0x1:
            raise BatchError("The zip contains encrypted files, which cannot be read")
        declared_total += member.file_size
        if (
            member.file_size > limit
            or declared_total > MAX_ZIP_TOTAL_BYTES
            or member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1) + 4096
        ):
            raise BatchError("The zip expands to too much data (a possible zip bomb), so it was refused")
    items = []
    for member in files:
        try:
            with archive.open(member) as stream:
                data = stream.read(limit + 1)  # declared sizes can lie; never read past the limit
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
            raise BatchError(f"The zip file is damaged: {member.filename[:80]!r} cannot be read") from None
        if len(data) > limit:
            raise BatchError("The zip expands to too much data (a possible zip bomb), so it was refused")
        items.append(
            VerificationBatchItem(
                label=member.filename[:500],
                candidate_email=candidate_email,
                content=data,
                error=None if data else "the file is empty",
            )
        )
    return items


def _ignored(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return name.startswith("__MACOSX/") or base.startswith(".") or not base


def submit_batch(
    actor, org, filename: str | None, content: bytes, *, candidate_email: str | None = None
) -> VerificationBatch:
    """Store a batch (see `create_batch`) and start the job that verifies it."""
    batch = create_batch(actor, org, filename, content, candidate_email=candidate_email)
    if not batch.complete:
        start_job(actor, org, batch)
    return batch


def start_job(actor, org, batch: VerificationBatch) -> Job:
    """Verify the batch's waiting items in the background (when this transaction commits)."""
    waiting = batch.total - batch.processed
    job = jobs.submit(
        actor,
        org,
        BATCH_JOB,
        f"Verify {waiting} badge{'s' if waiting != 1 else ''} from {batch.filename}",
        {"batch_id": batch.id},
        total=waiting,
    )
    batch.job_id = job.id
    db.session.flush()
    return job


def resume_batch(actor, org, batch: VerificationBatch) -> Job:
    """Carry on a batch whose job stopped (or that never had one): a retry of its job checks
    again what it could not check and goes on from where it stopped."""
    job = batch.job
    if job is not None and not job.is_over:
        raise BatchError("This batch is being checked already")
    if job is not None and job.may_retry:
        jobs.retry(actor, job)
        return job
    if batch.complete:
        raise BatchError("Every badge in this batch has been checked")
    return start_job(actor, org, batch)


def pending_items(batch: VerificationBatch, limit: int) -> list[VerificationBatchItem]:
    """The next ``limit`` items not yet verified, in upload order."""
    return list(
        db.session.scalars(
            select(VerificationBatchItem)
            .where(
                VerificationBatchItem.batch_id == batch.id,
                VerificationBatchItem.verification_id.is_(None),
                VerificationBatchItem.error.is_(None),
            )
            .order_by(VerificationBatchItem.position)
            .limit(limit)
        )
    )


def verify_item(actor, org, batch: VerificationBatch, item: VerificationBatchItem) -> bool:
    """Verify one item and keep its verification in the organisation's history; False when it
    could not be checked at all (the reason is on the item; a "not valid" verdict is a result)."""
    data = item.url if item.url else (item.content or b"")
    try:
        # One item's failure is that item's, never the batch's: it is marked with the reason
        # and the batch moves on to the rest (and completes).
        with db.session.begin_nested():
            verification = run_verification(
                data,
                recipient_email=item.candidate_email,
                source=VerificationSource.BATCH,
                organisation=org,
                actor=actor,
                candidate_email=item.candidate_email,
                input_label=item.label,
                batch=batch,
            )
    except Exception as exc:  # noqa: BLE001 (any failure of one item is reported on it)
        logger.exception("batch item %s could not be verified", item.id)
        item.error = f"This file could not be checked ({exc.__class__.__name__})."
        # The uploaded bytes stay for a retry.
    else:
        item.verification_id = verification.id
        item.content = None  # the result is kept; the uploaded bytes need not be
    batch.processed += 1
    return item.error is None


def _finish(actor, org, batch: VerificationBatch) -> None:
    batch.processed = db.session.scalar(  # type: ignore[assignment]  # a count is never NULL
        select(func.count())
        .select_from(VerificationBatchItem)
        .where(
            VerificationBatchItem.batch_id == batch.id,
            (VerificationBatchItem.verification_id.is_not(None)) | (VerificationBatchItem.error.is_not(None)),
        )
    )
    if batch.processed >= batch.total and batch.finished_at is None:
        batch.finished_at = datetime.now(UTC)
        audit.record(
            actor,
            "verification_batch.complete",
            batch,
            f"Finished verifying {batch.filename}",
            organisation=org,
            items=batch.total,
        )
    db.session.flush()


@jobs.runner(BATCH_JOB)
def _run_batch_job(job: Job, progress: jobs.Progress) -> None:
    batch = db.session.get(VerificationBatch, job.params["batch_id"])
    org = db.session.get(Organisation, job.organisation_id)
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    if batch is None or org is None:
        raise BatchError("The batch no longer exists")
    # A retry checks again the items an earlier attempt could not check (rows refused when the
    # batch was read stay refused: they are not in `failed`).
    earlier = set((job.result or {}).get("failed") or [])
    if earlier:
        for item in db.session.scalars(
            select(VerificationBatchItem).where(
                VerificationBatchItem.batch_id == batch.id, VerificationBatchItem.position.in_(earlier)
            )
        ):
            item.error = None
        job.result = {**job.result, "failed": []}
        batch.finished_at = None
        _finish(actor, org, batch)
    failed: list[int] = []
    while items := pending_items(batch, progress.chunk):
        for item in items:
            if verify_item(actor, org, batch, item):
                progress.succeeded()
            else:
                failed.append(item.position)
                job.result = {**(job.result or {}), "failed": list(failed)}
                progress.failed(item.position, item.label, item.error or "could not be checked")
    _finish(actor, org, batch)


def _items_query(batch: VerificationBatch):
    return (
        select(VerificationBatchItem)
        .where(VerificationBatchItem.batch_id == batch.id)
        .options(db.joinedload(VerificationBatchItem.verification))
        .order_by(VerificationBatchItem.position)
    )


def items_of(batch: VerificationBatch) -> list[VerificationBatchItem]:
    """Every item with its verification, in upload order (for the CSV)."""
    return list(db.session.scalars(_items_query(batch)))


def items_page(batch: VerificationBatch, page: int = 1):
    """One page of the batch's results (PAGE_SIZE items, with their verifications)."""
    return db.paginate(_items_query(batch), page=page, per_page=PAGE_SIZE, error_out=False, count=True)


def recent_batches(org, limit: int = 20) -> list[VerificationBatch]:
    return list(
        db.session.scalars(
            select(VerificationBatch)
            .where(VerificationBatch.visible_to(org))
            .order_by(VerificationBatch.created_at.desc(), VerificationBatch.id.desc())
            .limit(limit)
        )
    )


def results_csv(batch: VerificationBatch) -> str:
    """The batch's results as CSV, one row per item; cells that a spreadsheet would run as a
    formula are prefixed with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Row", "Input", "Candidate email", "Verdict", "Achievement", "Issuer", "Recipient match", "Format", "Problem"]
    )
    for item in items_of(batch):
        v = item.verification
        match = "" if v is None or v.recipient_match is None else ("yes" if v.recipient_match else "no")
        writer.writerow(
            [
                csv_cell(x)
                for x in (
                    item.position,
                    item.label,
                    item.candidate_email or "",
                    v.verdict_label if v else ("Error" if item.error else "Waiting"),
                    v.shown_name if v and v.achievement_name else "",
                    v.issuer_name if v else "",
                    match,
                    v.format if v else "",
                    item.error or (_problem(v) if v else ""),
                )
            ]
        )
    return out.getvalue()


def _problem(verification) -> str:
    failed = [c for c in verification.result.get("checks", []) if c.get("status") == "fail"]
    return "; ".join(f"{c.get('name')}: {c.get('detail')}" for c in failed)[:500]


def csv_cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
