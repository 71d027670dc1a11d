"""The PDFs say what the page says: text extracted from the generated files with pypdf."""

from __future__ import annotations

import io

from pypdf import PdfReader

from app.models.cpd import SponsorshipStatus as S
from app.services import cpd
from tests.factories.cpd import employer, external, request


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _client(app, login, user):
    c = app.test_client()
    login(user, c=c)
    return c


def test_spend_report_pdf_per_department_and_year(app, login):
    e = employer(allocated=500_000)
    done = request(e, cost=30_000, state=S.ENROLLED)
    cpd.workflow.act(e.hr, done, "complete", actual_cost_pence=28_000)
    request(
        e, person=e.colleague, cost=12_000, state=S.APPROVED, details=external(cost=12_000, title="First aid at work")
    )
    request(e, person=e.loner, cost=99_999, state=S.REJECTED)  # no money: not in the report
    hr = _client(app, login, e.hr)
    year = e.budget.financial_year
    response = hr.get(f"/cpd/reports/spend.pdf?year={year}&department=Engineering")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = _text(response.data)
    label = cpd.budgets.financial_year_label(year)
    assert f"CPD spend report, {label}" in text and e.org.name in text
    assert "Engineering" in text and "£5,000.00" in text  # the budget
    assert "£120.00" in text and "£280.00" in text  # committed, spent
    assert "£4,600.00" in text  # remaining: 5000 - 120 - 280
    assert "NEBOSH General Certificate" in text and "First aid at work" in text
    assert "Lorne Loner" not in text


def test_person_record_pdf_prints_the_learning_agreement(app, login):
    e = employer()
    s = request(e, cost=30_000, state=S.ENDORSED)
    cpd.workflow.act(
        e.hr,
        s,
        "approve",
        budget_id=e.budget.id,
        funding_year_id=e.funding.id,
        agreement={
            "repayment_months": 18,
            "repayment_basis": "pro_rata",
            "text": "If you leave within 18 months you repay a share of the fee.\nThe share falls each month.",
        },
    )
    cpd.requests.accept_agreement(e.employee, s)
    cpd.workflow.act(e.employee, s, "enrol")
    cpd.workflow.act(e.employee, s, "complete")
    employee = _client(app, login, e.employee)
    text = _text(employee.get("/cpd/mine/record.pdf").data)
    assert "CPD record: Eilidh Employee" in text
    assert "Learning agreement: NEBOSH General Certificate" in text
    assert "pro rata if the employee leaves within 18 months" in text
    assert "If you leave within 18 months you repay a share of the fee." in text
    assert "Accepted by Eilidh Employee on" in text
    assert "14" in text  # hours of the completed course
    # HR can print the same record; a colleague cannot.
    hr = _client(app, login, e.hr)
    membership_id = e.membership(e.employee).id
    assert "CPD record: Eilidh Employee" in _text(hr.get(f"/cpd/people/{membership_id}/record.pdf").data)
    colleague = _client(app, login, e.colleague)
    assert colleague.get(f"/cpd/people/{membership_id}/record.pdf").status_code == 403
