"""Uploaded CSVs that the csv module cannot read (a field past its size limit, as from a
runaway quote) are a row-numbered problem on the form (422), never a 500."""

from __future__ import annotations

import io

from tests.factories.accounts import OrganisationFactory, member
from tests.factories.catalogue import micro_credential

RUNAWAY = b'"' + b"a" * 200_000  # an opening quote never closed: the rest of the file is one field


def _coordinator(app, login):
    provider = OrganisationFactory(provider=True)
    client = app.test_client()
    login(member(provider, "provider_coordinator"), c=client)
    return provider, client


def test_catalogue_import_of_an_unreadable_csv_is_a_problem_not_a_crash(app, login):
    _, client = _coordinator(app, login)
    content = b"code,title\nGB-1," + RUNAWAY + b"\nGB-2,Second\n"
    response = client.post(
        "/catalogue/import", data={"file": (io.BytesIO(content), "records.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "cannot be read as CSV" in response.get_data(as_text=True)


def test_bulk_award_of_an_unreadable_csv_is_a_problem_not_a_crash(app, login):
    provider, client = _coordinator(app, login)
    record = micro_credential(provider, code="GB-A")
    content = b"name,email\n" + RUNAWAY + b",lee@example.org\n"
    response = client.post(
        "/issuing/bulk",
        data={"micro_credential_id": record.id, "file": (io.BytesIO(content), "learners.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "cannot be read as CSV" in response.get_data(as_text=True)
