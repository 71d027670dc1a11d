"""The waiting list agrees with the transition table, and the key pages run a bounded number of
queries whatever the number of requests."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Membership, Organisation
from app.models.cpd import Sponsorship
from app.models.cpd import SponsorshipStatus as S
from app.services import cpd
from seeds import load_demo
from tests.factories.cpd import employer, request
from tests.support.queries import counting

DECIDING = {"endorse", "approve", "approve_with_conditions"}


def test_waiting_list_matches_the_transition_table_for_every_demo_manager():
    load_demo(log=lambda *_: None)
    for org in db.session.scalars(select(Organisation).where(Organisation.kind == "employer")):
        requests = db.session.scalars(select(Sponsorship).where(Sponsorship.organisation_id == org.id)).all()
        for membership in db.session.scalars(select(Membership).where(Membership.organisation_id == org.id)):
            user = membership.user
            expected = {
                s.id
                for s in requests
                if s.person_id != user.id and any(t.action in DECIDING for t in cpd.workflow.available_actions(user, s))
            }
            assert {s.id for s in cpd.queries.waiting_for(user, membership)} == expected, user.email


def _queries(client, url: str) -> int:
    db.session.expire_all()  # as in a fresh request: the test's session would answer from its identity map
    with counting() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("url", ["/cpd/", "/cpd/requests", "/cpd/mine"])
def test_pages_run_the_same_number_of_queries_for_few_and_many_requests(app, login, url):
    e = employer(allocated=10_000_000, cap=10_000_000)
    states = [S.ENDORSED, S.APPROVED, S.SUBMITTED, S.COMPLETED]
    for state in states:
        request(e, state=state)
    client = app.test_client()
    login(e.hr if url != "/cpd/mine" else e.employee, c=client)
    few = _queries(client, url)
    for _ in range(3):
        for state in states:
            request(e, state=state)
            request(e, person=e.colleague, state=state)
    assert _queries(client, url) == few
