"""The credit record: SCQF credit points by level from verified, credit-bearing badges only, each
total linking to the badges that make it up."""

from __future__ import annotations

import json
import re

from app.extensions import db
from app.services import issuing
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.issuing import award, provider_with_record
from tests.factories.verification import issued_badge


def _record(page: str) -> list[tuple[str, str, str]]:
    table = page[page.index("Your credit record") : page.index("</table>", page.index("Your credit record"))]
    rows = re.findall(r"<th[^>]*>(Level \d+)</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*><a[^>]*>(\d+)<", table)
    return rows


def test_only_verified_credit_bearing_badges_count_and_each_total_links_to_them(client, login):
    learner = member(OrganisationFactory(), "learner", email="isla@learner.example")
    provider, coordinator, record = provider_with_record(scqf_level=8, scqf_credits=15, title="Marine Systems")
    award(provider, coordinator, record, email=learner.email, notify=False)
    _, coordinator2, revoked_record = provider_with_record(scqf_level=8, scqf_credits=20, title="Revoked Course")
    revoked = award(revoked_record.provider, coordinator2, revoked_record, email=learner.email, notify=False)
    issuing.revoke(coordinator2, revoked, "Issued in error")
    _, coordinator3, no_credit = provider_with_record(scqf_level=6, scqf_credits=None, title="Toolbox Talk")
    award(no_credit.provider, coordinator3, no_credit, email=learner.email, notify=False)
    db.session.commit()
    login(learner)
    imported = client.post(
        "/wallet/import",
        data={"credential_text": json.dumps(issued_badge(learner.email)), "credential_url": ""},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 303

    page = client.get("/wallet/").get_data(as_text=True)
    assert _record(page) == [("Level 7", "10", "1"), ("Level 8", "15", "1")]
    assert "15 credit points at SCQF level 8" in page and "Revoked Course" in page

    level8 = client.get("/wallet/?level=8").get_data(as_text=True)
    listed = level8[level8.index("Showing the badges") :]
    assert "Marine Systems" in listed
    for other in ("Revoked Course", "Toolbox Talk", "Data Analysis with Python"):
        assert other not in listed, other
