"""The skills framework: skills and occupations (ESCO by default), and which skills an
occupation needs. Rows are keyed by the framework's own concept URI so imports are idempotent."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import Model

occupation_skills = Table(
    "occupation_skills",
    db.metadata,
    Column("occupation_id", ForeignKey("occupations.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True),
    # ESCO's relationType: "essential" or "optional".
    Column("relation", String(20), nullable=False, default="essential"),
)


class Skill(Model):
    """A skill, competence or knowledge concept from a skills framework (reference data)."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(255), unique=True)
    label: Mapped[str] = mapped_column(String(300), index=True)
    # Alternative labels, one per line, as ESCO ships them.
    alt_labels: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    skill_type: Mapped[str | None] = mapped_column(String(40))
    framework: Mapped[str] = mapped_column(String(20), default="esco")

    occupations = relationship("Occupation", secondary=occupation_skills, back_populates="skills", viewonly=True)

    @property
    def alt_label_list(self) -> list[str]:
        return [line.strip() for line in (self.alt_labels or "").splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<Skill {self.label!r}>"


class Occupation(Model):
    """An occupation from the skills framework (reference data), e.g. ESCO's *cloud engineer*."""

    __tablename__ = "occupations"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(255), unique=True)
    label: Mapped[str] = mapped_column(String(300), index=True)
    alt_labels: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    framework: Mapped[str] = mapped_column(String(20), default="esco")

    skills = relationship("Skill", secondary=occupation_skills, back_populates="occupations", order_by="Skill.label")

    def __repr__(self) -> str:
        return f"<Occupation {self.label!r}>"
