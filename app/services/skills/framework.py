"""Loading a skills framework from ESCO's CSV downloads, idempotently by conceptUri.

Reads skills files (conceptType KnowledgeSkillCompetence), occupations files (conceptType
Occupation) and occupationSkillRelations files; anything else is refused with a reason.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.domain import DomainError
from app.extensions import db
from app.models import Occupation, Skill, occupation_skills

SKILL_COLUMNS = {"conceptUri", "preferredLabel"}
RELATION_COLUMNS = {"occupationUri", "skillUri", "relationType"}


class FrameworkFileError(DomainError):
    """The file is not an ESCO CSV this importer understands."""


@dataclass
class ImportCounts:
    kind: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return f"{self.kind}: {self.added} added, {self.updated} updated, {self.unchanged} unchanged" + (
            f", {self.skipped} skipped" if self.skipped else ""
        )


def import_file(path: str | Path) -> ImportCounts:
    """Import one ESCO CSV file (skills, occupations or occupation-skill relations)."""
    return import_text(Path(path).read_text(encoding="utf-8-sig"))


def import_text(content: str) -> ImportCounts:
    """Import ESCO CSV text; the kind of file is recognised from its columns and conceptType."""
    reader = csv.DictReader(io.StringIO(content))
    columns = set(reader.fieldnames or [])
    rows = list(reader)
    if RELATION_COLUMNS <= columns:
        return _import_relations(rows)
    if not SKILL_COLUMNS <= columns:
        raise FrameworkFileError(
            "Not an ESCO CSV file: it needs conceptUri and preferredLabel columns "
            "(skills or occupations) or occupationUri, relationType and skillUri."
        )
    kinds = {(r.get("conceptType") or "").strip() for r in rows} - {""}
    if kinds <= {"Occupation"} and ("iscoGroup" in columns or kinds == {"Occupation"}):
        return _import_concepts(rows, Occupation, "Occupations")
    if kinds and not kinds <= {"KnowledgeSkillCompetence", "Skill"}:
        raise FrameworkFileError(f"Unsupported conceptType: {', '.join(sorted(kinds))}")
    return _import_concepts(rows, Skill, "Skills")


def _import_concepts(rows: list[dict], model, kind: str) -> ImportCounts:
    counts = ImportCounts(kind)
    existing = {o.uri: o for o in db.session.scalars(select(model))}
    for row in rows:
        uri = (row.get("conceptUri") or "").strip()
        label = (row.get("preferredLabel") or "").strip()
        if not uri or not label:
            counts.skipped += 1
            continue
        values = {
            "label": label[:300],
            "alt_labels": (row.get("altLabels") or "").strip() or None,
            "description": (row.get("description") or row.get("definition") or "").strip() or None,
        }
        if model is Skill:
            values["skill_type"] = (row.get("skillType") or "").strip() or None
        found = existing.get(uri)
        if found is None:
            found = model(uri=uri, framework="esco", **values)
            db.session.add(found)
            existing[uri] = found
            counts.added += 1
        elif any(getattr(found, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(found, k, v)
            counts.updated += 1
        else:
            counts.unchanged += 1
    db.session.flush()
    return counts


def _import_relations(rows: list[dict]) -> ImportCounts:
    counts = ImportCounts("Occupation-skill links")
    occupations = dict(db.session.execute(select(Occupation.uri, Occupation.id)).all())
    skills = dict(db.session.execute(select(Skill.uri, Skill.id)).all())
    links = {
        (o, s): r
        for o, s, r in db.session.execute(
            select(occupation_skills.c.occupation_id, occupation_skills.c.skill_id, occupation_skills.c.relation)
        )
    }
    for row in rows:
        occupation_id = occupations.get((row.get("occupationUri") or "").strip())
        skill_id = skills.get((row.get("skillUri") or "").strip())
        relation = (row.get("relationType") or "essential").strip() or "essential"
        if occupation_id is None or skill_id is None:
            counts.skipped += 1  # a link to a concept not loaded (yet)
            continue
        key = (occupation_id, skill_id)
        if key not in links:
            db.session.execute(
                occupation_skills.insert().values(occupation_id=occupation_id, skill_id=skill_id, relation=relation)
            )
            counts.added += 1
        elif links[key] != relation:
            db.session.execute(
                occupation_skills.update()
                .where(occupation_skills.c.occupation_id == occupation_id, occupation_skills.c.skill_id == skill_id)
                .values(relation=relation)
            )
            counts.updated += 1
        else:
            counts.unchanged += 1
        links[key] = relation
    db.session.flush()
    return counts
