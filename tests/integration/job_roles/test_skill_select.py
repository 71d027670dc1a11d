"""A job role's skill select without JavaScript: labelled, nothing chosen until someone chooses
(no skill is added because it happened to be first), and marked for the search-box enhancement."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from app.extensions import db
from app.models.job_roles import JobRoleSkill


def test_the_skill_select_starts_empty_and_asks_for_a_skill(client, login, world):
    login(world.hr)
    role = world.role
    page = unescape(client.get(f"/roles/{role.id}").get_data(as_text=True))
    select_tag = re.search(
        r'<select class="govuk-select" id="skill-skill" name="skill-skill"([^>]*)>\s*<option value="" selected>Choose a skill</option>',
        page,
    )
    assert select_tag and 'data-module="cw-skill-autocomplete"' in select_tag.group(1)
    assert re.search(r'<label class="govuk-label" for="skill-skill">\s*Skill\s*</label>', page)
    before = db.session.scalars(select(JobRoleSkill.skill_id).where(JobRoleSkill.job_role_id == role.id)).all()

    refused = client.post(f"/roles/{role.id}/skills", data={"skill-skill": "", "skill-target_level": 3})
    assert refused.status_code == 422
    assert '<a href="#skill-skill">Choose a skill</a>' in refused.get_data(as_text=True)
    assert db.session.scalars(select(JobRoleSkill.skill_id).where(JobRoleSkill.job_role_id == role.id)).all() == before

    added = client.post(f"/roles/{role.id}/skills", data={"skill-skill": world.cad.id, "skill-target_level": 3})
    assert added.status_code == 303
    assert (
        world.cad.id
        in db.session.scalars(select(JobRoleSkill.skill_id).where(JobRoleSkill.job_role_id == role.id)).all()
    )
