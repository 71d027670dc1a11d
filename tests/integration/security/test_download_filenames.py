"""The CPD spend report's file name is built from the department asked for in the URL: line
breaks, quotes or non-Latin characters there must not break the Content-Disposition header
(a 500, or a header an attacker shapes) - the name keeps only safe characters."""

from __future__ import annotations

import re

import pytest

from tests.factories.cpd import employer


@pytest.mark.parametrize(
    "department",
    ["a%0d%0aSet-Cookie:%20stolen=1", 'Sales";%20filename="evil.exe', "%E6%97%A5%E6%9C%AC", "Health %26 Safety"],
)
def test_spend_report_download_name_is_always_a_safe_file_name(app, login, department):
    e = employer()
    client = app.test_client()
    login(e.hr, c=client)
    response = client.get(f"/cpd/reports/spend.pdf?department={department}")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert "Set-Cookie" not in response.headers or "stolen" not in response.headers["Set-Cookie"]
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="cpd-spend-[a-z0-9-]+\.pdf"', disposition), disposition


def test_a_plain_department_still_names_the_file(app, login):
    e = employer()
    client = app.test_client()
    login(e.hr, c=client)
    response = client.get("/cpd/reports/spend.pdf?department=Health%20%26%20Safety")
    assert 'filename="cpd-spend-health-and-safety-' in response.headers["Content-Disposition"]
