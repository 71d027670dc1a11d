"""The learning agreement's repayment period comes from a text box: a number too big for the
database is a message on the request page, not a 500, and nothing is approved."""

from __future__ import annotations

from app.extensions import db
from app.models.cpd import SponsorshipStatus as S
from tests.factories.cpd import employer, request


def test_an_absurd_repayment_period_is_refused_with_a_message(app, login):
    e = employer()
    s = request(e, state=S.ENDORSED)
    hr = app.test_client()
    login(e.hr, c=hr)
    response = hr.post(
        f"/cpd/requests/{s.id}/act/approve",
        data={
            "budget_id": e.budget.id,
            "funding_year_id": e.funding.id,
            "agreement_text": "Repay if you leave",
            "repayment_months": "999999999999999999999",
        },
    )
    assert response.status_code == 303
    db.session.refresh(s)
    assert s.status == S.ENDORSED
    assert "Enter the repayment period in whole months" in hr.get(f"/cpd/requests/{s.id}").get_data(as_text=True)
    ok = hr.post(
        f"/cpd/requests/{s.id}/act/approve",
        data={
            "budget_id": e.budget.id,
            "funding_year_id": e.funding.id,
            "agreement_text": "Repay if you leave",
            "repayment_months": "24",
        },
    )
    db.session.refresh(s)
    assert ok.status_code == 303 and s.status == S.APPROVED and s.agreement.repayment_months == 24
