"""CSV import (all-or-nothing, errors by row number) and CSV/JSON export."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import MicroCredential
from app.services.catalogue import import_export, lifecycle
from app.services.catalogue.import_export import CSV_COLUMNS, CatalogueImportError, import_csv, template_csv
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.catalogue import micro_credential, skill

SKILL_URIS = [
    "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be",
    "http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f",
]


@pytest.fixture
def provider():
    skill("use spreadsheets software", SKILL_URIS[0])
    skill("perform data analysis", SKILL_URIS[1])
    return OrganisationFactory(provider=True, name="Glenbrae College", slug="glenbrae")


def rows_csv(*overrides: dict) -> str:
    example = dict(import_export.EXAMPLE_ROW)
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS)
    writer.writeheader()
    for i, change in enumerate(overrides):
        writer.writerow({**example, "code": f"GB-{i + 1}", **change})
    return out.getvalue()


def count() -> int:
    return db.session.scalar(select(func.count(MicroCredential.id)))


def test_the_template_imports_as_it_is(provider):
    outcome = import_csv(None, provider, template_csv())
    record = db.session.scalar(select(MicroCredential).where(MicroCredential.code == "FC-DATA150"))
    assert outcome.created == ["FC-DATA150"]
    assert (record.status, record.scqf_credits, record.notional_hours, record.price_pence) == ("draft", 8, 80, 29500)
    assert sorted(s.uri for s in record.skills) == sorted(SKILL_URIS)
    assert record.learning_outcomes == [
        "Clean and structure a data set",
        "Summarise data with formulas and pivot tables",
    ]


def test_bad_rows_are_reported_by_row_number_and_nothing_is_imported(provider):
    before = count()
    content = rows_csv(
        {},
        {"scqf_level": "13"},
        {},
        {"mode": "by pigeon", "price": "free"},
        {"skills": "http://data.europa.eu/esco/skill/unknown"},
        {"code": "GB-1"},
    )
    with pytest.raises(CatalogueImportError) as caught:
        import_csv(None, provider, content)
    problems = caught.value.problems
    rows = sorted({row for row, _ in problems})
    assert rows == [3, 5, 6, 7]
    messages = dict((row, m) for row, m in problems if row != 5)
    assert "SCQF level" in messages[3] and "skill" in messages[6] and "also on row 2" in messages[7]
    assert any("Enter the price" in m for r, m in problems if r == 5)
    assert count() == before


def test_an_unexpected_failure_part_way_undoes_earlier_rows(provider, monkeypatch):
    real = lifecycle.create_draft
    calls = []

    def failing(actor, org, code, values, skills):
        calls.append(code)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(actor, org, code, values, skills)

    monkeypatch.setattr(lifecycle, "create_draft", failing)
    before = count()
    with pytest.raises(RuntimeError):
        import_csv(None, provider, rows_csv({}, {}, {}))
    assert count() == before


def test_import_of_an_existing_published_code_makes_a_new_version(provider):
    v1 = micro_credential(provider, code="GB-1", title="Old")
    outcome = import_csv(None, provider, rows_csv({"title": "New"}), publish=True)
    assert outcome.new_versions == ["GB-1"] and outcome.published == ["GB-1"]
    db.session.refresh(v1)
    assert v1.status == "retired" and v1.title == "Old"


def test_import_page_shows_problems_with_422(client, login, provider):
    login(member(provider, "provider_coordinator"))
    data = {"file": (io.BytesIO(rows_csv({}, {"title": ""}).encode()), "catalogue.csv")}
    response = client.post("/catalogue/import", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported" in page and "title: Enter the title" in page
    assert re.search(r'<td class="govuk-table__cell\s*">3</td>', page)
    assert count() == 0


def test_import_page_imports_and_publishes(client, login, provider):
    login(member(provider, "provider_coordinator"))
    data = {"file": (io.BytesIO(rows_csv({}, {}).encode()), "catalogue.csv"), "publish": "yes"}
    response = client.post("/catalogue/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    assert "Spreadsheets for Data Analysis" in client.get("/hub?q=spreadsheets").get_data(as_text=True)


def test_template_download(client, login, provider):
    login(member(provider, "provider_coordinator"))
    response = client.get("/catalogue/import/template.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert next(csv.reader(io.StringIO(response.get_data(as_text=True)))) == CSV_COLUMNS


def test_export_csv_round_trips_through_import(client, login, provider):
    micro_credential(
        provider,
        code="GB-X",
        title="Exported",
        scqf_credits=None,
        notional_hours=14,
        qa_type="internal",
        qa_body=None,
        funding=["fwdf", "employer"],
        skills=[skill("perform data analysis")],
    )
    login(member(provider, "provider_coordinator"))
    exported = client.get("/catalogue/export.csv").get_data(as_text=True)
    outcome = import_csv(None, provider, exported)
    v2 = db.session.scalar(select(MicroCredential).where(MicroCredential.code == "GB-X", MicroCredential.version == 2))
    assert outcome.new_versions == ["GB-X"]
    assert (v2.title, v2.scqf_credits, v2.notional_hours, v2.funding) == ("Exported", None, 14, ["fwdf", "employer"])
    assert [s.label for s in v2.skills] == ["perform data analysis"]


def test_export_json_lists_only_own_records(client, login, provider):
    micro_credential(provider, code="GB-J")
    micro_credential(OrganisationFactory(provider=True), code="OTHER-J")
    login(member(provider, "provider_coordinator"))
    data = json.loads(client.get("/catalogue/export.json").get_data(as_text=True))
    assert [r["code"] for r in data["micro_credentials"]] == ["GB-J"]
    assert data["micro_credentials"][0]["quality_assurance"] == {"type": "credit-rated", "body": "Test College"}
