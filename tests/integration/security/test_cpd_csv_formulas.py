"""HR's CPD CSV exports: text a spreadsheet would run as a formula is shown as text, and empty
cells stay empty (they were written as a lone apostrophe)."""

from __future__ import annotations

import csv
import io

from app.extensions import db
from tests.factories.cpd import employer, request


def _rows(app, login, user, url):
    client = app.test_client()
    login(user, c=client)
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_formula_like_names_are_neutralised_and_empty_cells_stay_empty(app, login):
    e = employer()
    e.employee.name = '=HYPERLINK("https://evil.example","Payroll")'
    s = request(e)
    s.title = "\t=1+2"
    db.session.flush()
    row = _rows(app, login, e.hr, "/cpd/export/requests.csv")[0]
    assert row["person"] == "'" + e.employee.name
    assert row["course"] == "'\t=1+2"
    assert row["hub_micro_credential_id"] == ""  # an external course has no hub record
