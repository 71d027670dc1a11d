"""The record form's skill picker without JavaScript: grouped, labelled checkboxes (not a select
that needs Ctrl-click), sending `skills` once per skill as the enhanced picker does."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import MicroCredential
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.catalogue import skill
from tests.integration.hub.test_catalogue_pages import FORM


@pytest.fixture
def coordinator(login):
    provider = OrganisationFactory(provider=True, name="Glenbrae College", slug="glenbrae")
    user = member(provider, "provider_coordinator")
    login(user)
    return user


@pytest.fixture
def skills():
    made = {
        "spreadsheets": skill("use spreadsheets software"),
        "budgets": skill("manage budgets"),
        "accounting": skill("accounting techniques"),
    }
    made["spreadsheets"].skill_type = "skill/competence"
    made["budgets"].skill_type = "skill/competence"
    made["accounting"].skill_type = "knowledge"
    db.session.flush()
    return made


def checkbox(page: str, label: str) -> dict:
    """The checkbox labelled `label`: its attributes, found through the label's `for`."""
    label_match = re.search(
        rf'<label class="govuk-label govuk-checkboxes__label" for="([^"]+)">{re.escape(label)}</label>', page
    )
    assert label_match, f"no label {label!r}"
    box = re.search(rf'<input class="govuk-checkboxes__input" id="{re.escape(label_match.group(1))}"([^>]*)>', page)
    assert box, f"no checkbox for the label {label!r}"
    return {
        "id": label_match.group(1),
        **dict(re.findall(r'(\w+)="([^"]*)"', box.group(1))),
        "checked": " checked" in box.group(1),
    }


def test_the_skills_are_labelled_checkboxes_grouped_by_kind(client, coordinator, skills):
    page = unescape(client.get("/catalogue/new").get_data(as_text=True))
    assert "<select" not in page.split("Skills it develops")[1].split("</fieldset>")[0]
    assert re.search(
        r'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Skills it develops</legend>', page
    )
    competences = page.index(">Skills and competences</h3>")
    knowledge = page.index(">Knowledge</h3>")
    assert (
        competences < page.index(">manage budgets</label>") < knowledge < page.index(">accounting techniques</label>")
    )
    for label, s in skills.items():
        box = checkbox(page, s.label)
        assert (box["name"], box["value"], box["type"]) == ("skills", s.uri, "checkbox"), label
    # The first checkbox has the field's id, where the error summary's link points.
    assert checkbox(page, "manage budgets")["id"] == "skills"
    assert 'data-module="cw-skill-picker"' in page


def test_ticked_skills_are_saved_and_shown_ticked_again_after_an_error(client, coordinator, skills):
    chosen = [skills["budgets"].uri, skills["accounting"].uri]
    refused = client.post("/catalogue/new", data={**FORM, "title": "", "skills": chosen})
    assert refused.status_code == 422
    page = unescape(refused.get_data(as_text=True))
    assert checkbox(page, "manage budgets")["checked"] and checkbox(page, "accounting techniques")["checked"]
    assert not checkbox(page, "use spreadsheets software")["checked"]

    saved = client.post("/catalogue/new", data={**FORM, "skills": chosen})
    assert saved.status_code == 303
    record = db.session.scalar(select(MicroCredential).where(MicroCredential.code == "GB-NEW1"))
    assert sorted(s.label for s in record.skills) == ["accounting techniques", "manage budgets"]
