"""Batch verification: a CSV of (candidate email, badge URL) rows or a zip of badge files.

A batch is stored first (every row or file checked for shape), then verified a few items
per request: each progress poll runs :func:`process_next`, so nothing depends on a
background thread surviving and a page refresh without JavaScript makes the same progress.
Zips are read in memory with every size checked; nothing is ever extracted to disk.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import time
import zipfile
from datetime import UTC, datetime

from sqlalchemy import select

from app.extensions import db
from app.models.verifications import BatchKind, VerificationBatch, VerificationBatchItem, VerificationSource
from app.services import audit
from app.services.verification.verifier import VerificationInputError, max_upload_bytes, run_verification

MAX_ITEMS = 200
MAX_ZIP_TOTAL_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
logger = logging.getLogger(__name__)
CHUNK = 5  # items verified per progress poll (VERIFY_BATCH_CHUNK overrides it)
TIME_BUDGET_SECONDS = 3.0
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


def pending_items(batch: VerificationBatch, limit: int) -> list[VerificationBatchItem]:
    stmt = (
        select(VerificationBatchItem)
        .where(
            VerificationBatchItem.batch_id == batch.id,
            VerificationBatchItem.verification_id.is_(None),
            VerificationBatchItem.error.is_(None),
        )
        .order_by(VerificationBatchItem.position)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        # Two open tabs polling the same batch must not verify the same item twice.
        stmt = stmt.with_for_update(skip_locked=True)
    return list(db.session.scalars(stmt))


def process_next(
    actor, org, batch: VerificationBatch, *, count: int = CHUNK, time_budget: float = TIME_BUDGET_SECONDS
) -> int:
    """Verify up to ``count`` waiting items of the batch, stopping early once ``time_budget``
    seconds have gone (slow issuers' servers must not hold a poll open); returns how many
    were verified. At least one item is verified per call, so a batch always moves on."""
    if batch.complete:
        return 0
    started = time.monotonic()
    items = pending_items(batch, count)
    done = 0
    for item in items:
        if done and time.monotonic() - started > time_budget:
            break
        done += 1
        data = item.url if item.url else (item.content or b"")
        try:
            # One item's failure is that item's, never the batch's: it is marked failed with the
            # reason and the batch moves on to the rest (and completes).
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
        else:
            item.verification_id = verification.id
        item.content = None  # the result is kept; the uploaded bytes need not be
    batch.processed = db.session.scalar(  # type: ignore[assignment]  # a count is never NULL
        select(db.func.count())
        .select_from(VerificationBatchItem)
        .where(
            VerificationBatchItem.batch_id == batch.id,
            (VerificationBatchItem.verification_id.is_not(None)) | (VerificationBatchItem.error.is_not(None)),
        )
    )
    if batch.processed >= batch.total:
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
    return done


def items_of(batch: VerificationBatch) -> list[VerificationBatchItem]:
    """Every item with its verification, in upload order (two queries)."""
    return list(
        db.session.scalars(
            select(VerificationBatchItem)
            .where(VerificationBatchItem.batch_id == batch.id)
            .options(db.joinedload(VerificationBatchItem.verification))
            .order_by(VerificationBatchItem.position)
        )
    )


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
                    v.achievement_name if v else "",
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
