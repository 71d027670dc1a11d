"""The coordinator's list and the public credential page cost the same number of queries
whatever the number of badges issued."""

from __future__ import annotations

from app.extensions import db
from tests.factories.catalogue import micro_credential
from tests.factories.issuing import award, provider_with_record
from tests.support.queries import counting


def _queries(client, url: str) -> int:
    db.session.expire_all()  # the test's session would otherwise answer from its identity map
    with counting() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_issued_list_and_public_page_do_not_grow_with_the_data(client, login):
    provider, coordinator, record = provider_with_record()
    first = award(provider, coordinator, record, email="one@learner.example")
    login(coordinator)
    few = _queries(client, "/issuing"), _queries(client, f"/credentials/{first.public_id}")
    others = [micro_credential(provider, title=f"Course {n}") for n in range(3)]
    for n in range(6):  # different records, so a per-row lazy load would show
        award(provider, coordinator, others[n % 3], email=f"more{n}@learner.example")
    many = _queries(client, "/issuing"), _queries(client, f"/credentials/{first.public_id}")
    assert many == few, (few, many)
