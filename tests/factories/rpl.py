"""Requests for recognition of prior learning made directly, for the isolation matrix."""

from __future__ import annotations

from app.extensions import db
from app.models import RplRequest


def _isolation_request(t) -> int:
    def make():
        from tests.factories.apprenticeships import programme

        made = programme(t.provider, title=f"{t.provider.name} RPL programme")
        req = RplRequest(
            organisation_id=t.provider.id,
            learner_id=t.employer_person.id,
            programme_id=made.id,
            message=f"{t.employer.name} hidden RPL message",
            badges=[],
            status="submitted",
        )
        db.session.add(req)
        db.session.flush()
        return req

    return t.once("rpl_request", make).id


ISOLATION_PARAMS = {"request_id": _isolation_request}
