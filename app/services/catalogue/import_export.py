"""A provider's catalogue in and out: CSV import (all-or-nothing, errors by row), CSV and JSON
export. The JSON shape is the one seeds/demo/catalogue.json uses, so exports load back."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from app.domain import DomainError
from app.extensions import db
from app.models import MicroCredential, Organisation, RecordStatus
from app.services import audit
from app.services.catalogue import lifecycle
from app.services.catalogue.fields import clean, format_price

CSV_COLUMNS = [
    "code",
    "title",
    "summary",
    "learning_outcomes",
    "scqf_level",
    "scqf_credits",
    "notional_hours",
    "eqf_level",
    "mode",
    "duration_weeks",
    "price",
    "funding",
    "start_dates",
    "entry_requirements",
    "assessment_type",
    "supervision",
    "grading",
    "qa_type",
    "qa_body",
    "stackable_into",
    "skills",
    "further_information",
    "language",
    "country",
]
MAX_ROWS = 5000
EXAMPLE_ROW = {
    "code": "FC-DATA150",
    "title": "Spreadsheets for Data Analysis",
    "summary": "Clean, analyse and chart workplace data in a spreadsheet.",
    "learning_outcomes": "Clean and structure a data set | Summarise data with formulas and pivot tables",
    "scqf_level": "6",
    "scqf_credits": "8",
    "notional_hours": "",
    "eqf_level": "",
    "mode": "online",
    "duration_weeks": "6",
    "price": "295.00",
    "funding": "fwdf;employer",
    "start_dates": "2027-02-01;2027-09-06",
    "entry_requirements": "Basic computer skills",
    "assessment_type": "Practical project",
    "supervision": "unsupervised-no-id",
    "grading": "Pass or fail",
    "qa_type": "credit-rated",
    "qa_body": "Forthside College",
    "stackable_into": "HNC Computing: 8",
    "skills": (
        "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be;"
        "http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"
    ),
    "further_information": "",
    "language": "en",
    "country": "GB-SCT",
}


class CatalogueImportError(DomainError):
    """The file had problems; nothing was imported. `problems` is [(row number, message)]."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(f"{len(problems)} problem(s); nothing was imported")
        self.problems = problems


@dataclass
class ImportOutcome:
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.new_versions) + len(self.updated)


def template_csv() -> str:
    """The CSV template: the header and one example row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(EXAMPLE_ROW)
    return out.getvalue()


def import_csv(actor, provider: Organisation, content: str, *, publish: bool = False) -> ImportOutcome:
    """Import the provider's CSV: every row is checked first; any problem and nothing changes.
    Rows become drafts (a new version where the code is already published); `publish`
    publishes them too. Row numbers count the header as row 1, as a spreadsheet does."""
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    try:
        records = list(reader)  # reads the header too; MAX_IMPORT_BYTES bounds the size
    except csv.Error as exc:
        # e.g. a quote never closed makes the rest of the file one field, past the csv limit
        raise CatalogueImportError(
            [(reader.line_num, f"The file cannot be read as CSV ({exc}): check for a quote that is not closed")]
        ) from None
    missing = {"code", "title"} - set(reader.fieldnames or [])
    if missing:
        raise CatalogueImportError([(1, "The header row must include: " + ", ".join(CSV_COLUMNS))])
    unknown = set(reader.fieldnames or []) - set(CSV_COLUMNS)
    problems: list[tuple[int, str]] = []
    if unknown:
        problems.append((1, "Unknown column(s): " + ", ".join(sorted(unknown))))
    rows: list[tuple[str, dict, list]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(records, start=2):
        if number - 1 > MAX_ROWS:
            problems.append((number, f"Too many rows: import at most {MAX_ROWS} at a time"))
            break
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # blank line
        row = {k: _from_spreadsheet(v) for k, v in row.items()}
        code = (row.get("code") or "").strip().upper()
        values, uris, errors = clean(row)
        if not code:
            errors["code"] = "Enter a code"
        elif code in seen:
            errors["code"] = f"Code {code} is also on row {seen[code]}"
        seen.setdefault(code, number)
        skills = lifecycle.skills_by_uri(uris)
        unknown_skills = [u for u in uris if u not in skills]
        if unknown_skills:
            errors["skills"] = "Unknown skill(s), not in the skills framework: " + ", ".join(unknown_skills)
        for name, message in errors.items():
            problems.append((number, f"{name}: {message}"))
        rows.append((code, values, [skills[u] for u in uris if u in skills]))
    if problems:
        raise CatalogueImportError(problems)
    if not rows:
        raise CatalogueImportError([(2, "The file has no micro-credentials in it")])

    outcome = ImportOutcome()
    # A savepoint: if anything fails part-way, the rows already written are undone too.
    with db.session.begin_nested():
        for code, values, chosen in rows:
            current = lifecycle.current_version(provider.id, code)
            if current is None:
                record = lifecycle.create_draft(actor, provider, code, values, chosen)
                outcome.created.append(code)
            else:
                draft = lifecycle.new_version(actor, current)
                (outcome.updated if draft.version == current.version else outcome.new_versions).append(code)
                record = lifecycle.update_draft(actor, draft, values, chosen)
            if publish:
                lifecycle.publish(actor, record)
                outcome.published.append(code)
    audit.record(
        actor,
        "catalogue.import",
        provider,
        f"Imported {outcome.total} micro-credential(s) from CSV",
        organisation=provider,
        created=outcome.created,
        new_versions=outcome.new_versions,
        updated=outcome.updated,
        published=outcome.published,
    )
    return outcome


def record_to_row(record: MicroCredential) -> dict:
    """One version as a CSV row in the template's columns."""
    return {
        "code": record.code,
        "title": record.title,
        "summary": record.summary,
        "learning_outcomes": " | ".join(record.learning_outcomes or []),
        "scqf_level": record.scqf_level,
        "scqf_credits": record.scqf_credits or "",
        "notional_hours": record.notional_hours,
        "eqf_level": record.eqf_level or "",
        "mode": record.mode,
        "duration_weeks": record.duration_weeks or "",
        "price": format_price(record.price_pence),
        "funding": ";".join(record.funding or []),
        "start_dates": ";".join(record.start_dates or []),
        "entry_requirements": record.entry_requirements or "",
        "assessment_type": record.assessment_type,
        "supervision": record.supervision or "",
        "grading": record.grading or "",
        "qa_type": record.qa_type,
        "qa_body": record.qa_body or "",
        "stackable_into": ";".join(f"{s['qualification']}: {s['credits']}" for s in record.stackable_into or []),
        "skills": ";".join(s.uri for s in record.skills),
        "further_information": record.further_information or "",
        "language": record.language,
        "country": record.country,
    }


def export_csv(provider: Organisation) -> str:
    """The provider's records (newest version of each) as CSV in the import template's columns."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for record in lifecycle.latest_versions(provider):
        writer.writerow({k: _spreadsheet_safe(v) for k, v in record_to_row(record).items()})
    return out.getvalue()


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(value):
    """The cell as text a spreadsheet shows rather than runs: a leading apostrophe."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _from_spreadsheet(value):
    """Undo `_spreadsheet_safe`, so an exported file imports back to the same text."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def record_to_json(record: MicroCredential) -> dict:
    """One version in the seeds/demo/catalogue.json shape (plus version and timestamps)."""
    return {
        "provider": record.provider.slug,
        "code": record.code,
        "version": record.version,
        "status": record.status,
        "title": record.title,
        "summary": record.summary,
        "learning_outcomes": list(record.learning_outcomes or []),
        "scqf_level": record.scqf_level,
        "scqf_credits": record.scqf_credits,
        "notional_hours": record.notional_hours,
        "eqf_level": record.eqf_level,
        "mode": record.mode,
        "duration_weeks": record.duration_weeks,
        "price_pence": record.price_pence,
        "funding": list(record.funding or []),
        "start_dates": list(record.start_dates or []),
        "entry_requirements": record.entry_requirements,
        "assessment_type": record.assessment_type,
        "supervision": record.supervision,
        "grading": record.grading,
        "quality_assurance": {"type": record.qa_type, "body": record.qa_body},
        "stackable_into": list(record.stackable_into or []),
        "skills": [s.uri for s in record.skills],
        "further_information": record.further_information,
        "language": record.language,
        "country": record.country,
        "quality_assured": record.quality_assured,
        "published_at": record.published_at.isoformat() if record.published_at else None,
    }


def export_json(provider: Organisation) -> dict:
    """The provider's catalogue (newest version of each record) as JSON."""
    return {
        "providers": [{"slug": provider.slug, "name": provider.name}],
        "micro_credentials": [record_to_json(r) for r in lifecycle.latest_versions(provider)],
    }


def values_from_json(item: dict) -> dict:
    """Service values from one seeds/demo/catalogue.json entry."""
    qa = item.get("quality_assurance") or {}
    values = {k: item.get(k) for k in lifecycle.CONTENT_FIELDS if k in item}
    values.update(qa_type=qa.get("type", "none"), qa_body=qa.get("body"))
    values.setdefault("learning_outcomes", [])
    return values


def is_published_in(item: dict) -> bool:
    return item.get("status") == RecordStatus.PUBLISHED
