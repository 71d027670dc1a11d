"""Dates read the same way everywhere ("5 March 2026", no leading zero; issue 11, item 16)."""

from __future__ import annotations

from datetime import date

from app.services.skills.profile import SkillLevel


def test_an_assessed_level_says_when_in_the_house_date_format():
    level = SkillLevel(
        skill_id=1, credential_level=2, credential_titles=["2D CAD"], assessed_level=3, assessed_on=date(2026, 3, 5)
    )
    assert level.evidence == "level 2 from 2D CAD; assessed at level 3 on 5 March 2026"
