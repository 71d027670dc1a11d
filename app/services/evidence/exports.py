"""Exports for the end-point assessor and the provider: the evidence pack (a PDF index of every
signed-off entry by KSB, and a zip of the files with a manifest) and a cohort's coverage report.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from sqlalchemy import select

from app.domain.calendar import london, london_date
from app.extensions import db
from app.models import Apprenticeship, Cohort, EvidenceEntry, EvidenceFile, Job
from app.services import jobs
from app.services.apprenticeships import cohorts
from app.services.evidence import coverage, storage
from app.services.evidence.uploads import safe_name
from app.services.pdf_pages import H1, H2, SMALL, build, para, table

MANIFEST_COLUMNS = [
    "path",
    "entry",
    "title",
    "ksbs",
    "work_date",
    "signed_off_by",
    "signed_off_at",
    "size",
    "sha256",
    "note",
]


def _signed_off(a: Apprenticeship) -> list[EvidenceEntry]:
    return list(
        db.session.scalars(
            select(EvidenceEntry)
            .where(EvidenceEntry.apprenticeship_id == a.id, EvidenceEntry.status == "signed_off")
            .options(db.selectinload(EvidenceEntry.claims), db.selectinload(EvidenceEntry.files))
            .order_by(EvidenceEntry.work_date, EvidenceEntry.id)
        )
    )


def _path(entry: EvidenceEntry, kept: EvidenceFile) -> str:
    return f"evidence/{entry.id:05d}-{kept.id:05d}-{safe_name(kept.filename)}"


def pack_pdf(a: Apprenticeship, today: date) -> bytes:
    """The index of every signed-off entry, KSB by KSB, naming the files in the zip."""
    entries = _signed_off(a)
    by_outcome: dict[int, list[EvidenceEntry]] = {}
    for entry in entries:
        for claim in entry.claims:
            if claim.signed_off_at:
                by_outcome.setdefault(claim.outcome_id, []).append(entry)
    name = a.apprentice.user.name
    title = f"Evidence pack: {name}"
    story = [
        Paragraph(escape(title), H1),
        para(f"{a.programme.title} · {a.employer.name} and {a.provider.name} · produced {london_date(today)}", SMALL),
        para(
            f"{len(entries)} signed-off entries. File paths refer to the zip of files that goes with this index.", SMALL
        ),
        Spacer(1, 6),
    ]
    for outcome in a.programme.outcomes:
        story.append(Paragraph(escape(f"{outcome.code}: {outcome.description}"), H2))
        shown = by_outcome.get(outcome.id, [])
        rows = [
            [
                london_date(e.work_date),
                f"{e.title} ({e.type_label})",
                f"{e.signed_off_by.name if e.signed_off_by else ''}, {london(e.signed_off_at)}",
                "; ".join(_path(e, f) for f in e.files) or "no files",
            ]
            for e in shown
        ] or [["", "No signed-off evidence", "", ""]]
        story.append(
            table(["Date", "Evidence", "Signed off", "Files in the zip"], rows, [22 * mm, 58 * mm, 40 * mm, 54 * mm])
        )
    return build(story, title)


def pack_zip(a: Apprenticeship, today: date) -> bytes:
    """The signed-off entries' files, the PDF index, and a manifest (CSV) with each file's digest.
    A file lost from storage is listed in the manifest as missing rather than stopping the pack."""
    out = io.BytesIO()
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(MANIFEST_COLUMNS)
    store = storage.store()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.pdf", pack_pdf(a, today))
        for entry in _signed_off(a):
            codes = " ".join(c.outcome.code for c in entry.claims)
            who = entry.signed_off_by.name if entry.signed_off_by else ""
            for kept in entry.files:
                path, note = _path(entry, kept), ""
                try:
                    archive.writestr(path, store.read(kept.storage_key))
                except storage.FileMissing:
                    note = "missing from storage"
                writer.writerow(
                    [
                        path,
                        entry.id,
                        entry.title,
                        codes,
                        entry.work_date.isoformat(),
                        who,
                        london(entry.signed_off_at),
                        kept.size,
                        kept.sha256,
                        note,
                    ]
                )
        archive.writestr("manifest.csv", manifest.getvalue())
    return out.getvalue()


def cohort_coverage_pdf(cohort: Cohort, today: date) -> bytes:
    """Every apprentice of the cohort against every KSB, in words (signed off, submitted, none)."""
    outcomes = cohort.programme.outcomes
    heat = coverage.heat_map(Apprenticeship.cohort_id == cohort.id, outcomes, page=1, per_page=10_000)
    words = {"green": "Signed off", "amber": "Submitted", "red": "None"}
    title = f"Evidence coverage: {cohort.name}"
    width = (landscape(A4)[0] - 36 * mm - 45 * mm) / max(1, len(outcomes))
    story = [
        Paragraph(escape(title), H1),
        para(
            f"{cohort.programme.title} (version {cohort.programme.version}) · {heat.total} apprentices · produced {london_date(today)}",
            SMALL,
        ),
        Spacer(1, 6),
        table(
            ["Apprentice", *(o.code for o in outcomes)],
            [[name, *(words[states[o.id]] for o in outcomes)] for _, name, states in heat.rows],
            [45 * mm, *([width] * len(outcomes))],
        ),
        Paragraph("KSBs", H2),
        table(["Code", "Description"], [[o.code, o.description] for o in outcomes], [20 * mm, 220 * mm]),
    ]
    return build(story, title, pagesize=landscape(A4))


def cohort_coverage_for(actor, org, cohort: Cohort, today: date) -> tuple[bytes, str] | Job:
    """The cohort's evidence coverage as (PDF, file name), or for a large cohort the job making it."""
    title, params = f"Evidence coverage: {cohort.name}", {"cohort_id": cohort.id, "today": today.isoformat()}
    return jobs.now_or_later(actor, org, "cohort_coverage", title, params, rows=cohorts.size(cohort))


@jobs.report("cohort_coverage")
def _cohort_coverage_file(params: dict) -> tuple[bytes, str]:
    cohort = jobs.still_there(Cohort, params["cohort_id"], "cohort")
    return cohort_coverage_pdf(cohort, date.fromisoformat(params["today"])), f"evidence-coverage-{cohort.name}.pdf"
