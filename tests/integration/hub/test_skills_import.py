"""`flask skills import FILE`: ESCO CSV files, idempotent by conceptUri."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import Occupation, Skill, occupation_skills
from app.services.skills.framework import FrameworkFileError, import_text

ESCO = Path(__file__).resolve().parents[3] / "seeds" / "esco"
SKILLS_HEADER = (
    "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,status,"
    "modifiedDate,scopeNote,definition,inScheme,description\n"
)


def total(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_cli_imports_the_shipped_subset_and_running_again_changes_nothing(app):
    runner = app.test_cli_runner()
    files = [str(ESCO / name) for name in ("skills.csv", "occupations.csv", "occupationSkillRelations.csv")]
    first = runner.invoke(args=["skills", "import", *files])
    assert first.exit_code == 0, first.output
    assert "Skills: 236 added" in first.output and "Occupations: 19 added" in first.output
    assert "Occupation-skill links: 132 added" in first.output
    counts = (total(Skill), total(Occupation), total(occupation_skills))
    assert counts == (236, 19, 132)
    again = runner.invoke(args=["skills", "import", *files])
    assert "Skills: 0 added, 0 updated, 236 unchanged" in again.output
    assert (total(Skill), total(Occupation), total(occupation_skills)) == counts
    engineer = db.session.scalar(select(Occupation).where(Occupation.label == "cloud engineer"))
    assert len(engineer.skills) > 3


def test_a_newer_release_updates_labels_in_place():
    uri = "http://data.europa.eu/esco/skill/test-1"
    import_text(
        SKILLS_HEADER
        + f'KnowledgeSkillCompetence,{uri},skill/competence,,weld metal,"join metal\nfuse metal",,released,,,,,Join metal parts.\n'
    )
    counts = import_text(
        SKILLS_HEADER
        + f"KnowledgeSkillCompetence,{uri},skill/competence,,weld metals,,,released,,,,,Join metal parts.\n"
    )
    found = db.session.scalar(select(Skill).where(Skill.uri == uri))
    assert (counts.updated, found.label, found.alt_labels) == (1, "weld metals", None)


def test_other_files_are_refused_with_a_reason(app):
    try:
        import_text("name,email\nA,a@example.org\n")
    except FrameworkFileError as exc:
        assert "conceptUri" in str(exc)
    else:
        raise AssertionError("a non-ESCO file was accepted")
    result = app.test_cli_runner().invoke(args=["skills", "import", str(ESCO / "ATTRIBUTION.md")])
    assert result.exit_code != 0 and "Not an ESCO CSV file" in result.output
