"""Skills framework reference data: the ESCO subset in seeds/esco/ (see ATTRIBUTION.md)."""

from __future__ import annotations

from app.services.skills.framework import import_file
from seeds import SEEDS_DIR

FILES = ["skills.csv", "occupations.csv", "occupationSkillRelations.csv"]


def load(log=print) -> None:
    for name in FILES:
        log(str(import_file(SEEDS_DIR / "esco" / name)))
