"""A learner's draft CPD request is their own until they submit it: HR and the line manager do
not see it in lists, records, department history or PDFs, and cannot open it (issue 11, item 13)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from app.services.cpd.requests import create_request
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.cpd import external


def _setup():
    from app.extensions import db
    from app.models import Membership

    org = OrganisationFactory()
    hr = member(org, "hr_manager")
    manager = member(org, "line_manager")
    learner = member(org, "learner")
    mine = db.session.query(Membership).filter_by(user_id=learner.id).one()
    mine.line_manager_id = db.session.query(Membership).filter_by(user_id=manager.id).one().id
    mine.department = "Engineering"
    draft = create_request(learner, org, external(title="Secret draft course"), submit=False)
    return org, hr, manager, learner, mine, draft


def test_others_never_see_a_draft(app, login):
    org, hr, manager, learner, mine, draft = _setup()
    for person in (hr, manager):
        client = login(person, c=app.test_client())
        assert "Secret draft course" not in client.get("/cpd/requests").get_data(as_text=True)
        assert "Secret draft course" not in client.get(f"/cpd/people/{mine.id}").get_data(as_text=True)
        assert client.get(f"/cpd/requests/{draft.id}").status_code == 404
        pdf = client.get(f"/cpd/people/{mine.id}/record.pdf")
        if pdf.status_code == 200:
            text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
            assert "Secret draft course" not in text
    own = login(learner, c=app.test_client())
    assert "Secret draft course" in own.get("/cpd/mine").get_data(as_text=True)
    assert own.get(f"/cpd/requests/{draft.id}").status_code == 200


def test_once_submitted_the_line_manager_sees_it():
    from app.extensions import db
    from app.models import Membership
    from app.security.policy import may_view_cpd_request
    from app.services.cpd import workflow

    org, hr, manager, learner, mine, draft = _setup()
    viewer = db.session.query(Membership).filter_by(user_id=manager.id).one()
    assert not may_view_cpd_request(viewer, mine, draft)
    workflow.act(learner, draft, "submit")
    assert may_view_cpd_request(viewer, mine, draft)
