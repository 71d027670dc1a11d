"""`flask seed scale` at a small size: the large employer loads beside the demo with its line
management, job roles, hub records, held credentials, apprentices, three years of CPD requests
whose money adds up, badges the college signed and the recruiter's verification history; a
second run adds nothing; its HR manager and recruiter sign in and see bounded pages."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Apprenticeship, HeldCredential, Membership, MicroCredential, Organisation
from app.models.badges import IssuedCredential
from app.models.cpd import CpdBudget, FundingSourceYear, Sponsorship
from app.models.verifications import Verification
from app.services.cpd.budgets import financial_year_of
from seeds import DEMO_PASSWORD
from seeds.scale import EMPLOYER_SLUG, HR_EMAIL, PROVIDER_SLUG, RECRUITER_EMAIL


def _run(app, *extra):
    args = ["seed", "scale", "--staff", "60", "--apprentices", "5", "--credentials", "300", "--hub-records", "40"]
    args += ["--cpd-requests", "90", "--issued", "20", "--verifications", "30"]
    result = app.test_cli_runner().invoke(args=[*args, *extra])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_the_scale_tenant_loads_once_and_its_hr_manager_signs_in(app, client):
    demo = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert demo.exit_code == 0, demo.output
    output = _run(app)
    assert "Scale tenant loaded in" in output and HR_EMAIL in output and DEMO_PASSWORD in output
    board = db.session.scalar(select(Organisation).where(Organisation.slug == EMPLOYER_SLUG))
    college = db.session.scalar(select(Organisation).where(Organisation.slug == PROVIDER_SLUG))
    people = db.session.scalars(select(Membership).where(Membership.organisation_id == board.id)).all()
    assert len(people) == 3 + 60 + 5  # HR, admin and recruiter, the staff, the apprentices
    staff = [m for m in people if m.job_role_id]
    assert len(staff) == 60  # every member of staff holds a job role
    # Everyone but the twelve heads of department reports to someone in their own department.
    by_id = {m.id: m for m in people}
    managed = [m for m in staff if m.line_manager_id]
    assert len(managed) == 60 - 12
    assert all(by_id[m.line_manager_id].department == m.department for m in managed)
    assert (
        db.session.scalar(select(func.count(MicroCredential.id)).where(MicroCredential.provider_id == college.id)) == 40
    )
    assert (
        db.session.scalar(select(func.count(HeldCredential.id)).where(HeldCredential.organisation_id == board.id))
        == 300
    )
    assert db.session.scalar(select(func.count(Apprenticeship.id)).where(Apprenticeship.employer_id == board.id)) == 5
    kept = db.session.scalars(select(Apprenticeship.progress_status).where(Apprenticeship.employer_id == board.id))
    assert all(kept.all())  # each apprentice's progress status is there for the dashboards' counts

    # CPD requests over three financial years; every budget holds exactly what its requests commit and spend.
    requests = db.session.scalars(select(Sponsorship).where(Sponsorship.organisation_id == board.id)).all()
    assert len(requests) == 90
    assert len({financial_year_of(r.created_at.date()) for r in requests}) == 3
    for budget in db.session.scalars(select(CpdBudget).where(CpdBudget.organisation_id == board.id)):
        mine = [r for r in requests if r.budget_id == budget.id]
        assert budget.committed_pence == sum(r.committed_pence for r in mine)
        assert budget.spent_pence == sum(r.spent_pence for r in mine)
        assert budget.remaining_pence >= 0
    for fund_year in db.session.scalars(select(FundingSourceYear).where(FundingSourceYear.organisation_id == board.id)):
        mine = [r for r in requests if r.funding_source_year_id == fund_year.id]
        assert fund_year.spent_pence == sum(r.spent_pence for r in mine)

    # Badges the college signed, and the recruiter's history of checking them (really checked).
    assert (
        db.session.scalar(select(func.count(IssuedCredential.id)).where(IssuedCredential.organisation_id == college.id))
        == 20
    )
    verdicts = db.session.scalars(select(Verification.verdict).where(Verification.organisation_id == board.id)).all()
    assert len(verdicts) == 30 and set(verdicts) == {"valid"}  # the 50th badge, the first revoked, is not among 20

    again = _run(app)
    assert "already loaded: nothing added" in again
    assert db.session.scalar(select(func.count(Membership.id)).where(Membership.organisation_id == board.id)) == 68

    response = client.post("/login", data={"email": HR_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 303
    team = client.get("/roles/team").get_data(as_text=True)
    assert re.search(r"68 people by job role", team) and "Showing people 1 to 25 of 68" in team
    assert "Strathmore" in client.get("/hub?q=infection").get_data(as_text=True)
    cpd_requests = client.get("/cpd/requests?status=all").get_data(as_text=True)
    assert re.search(r"\b\d+ requests?, page 1 of \d+", cpd_requests)

    recruiter = app.test_client()
    assert recruiter.post("/login", data={"email": RECRUITER_EMAIL, "password": DEMO_PASSWORD}).status_code == 303
    history = recruiter.get("/verifications").get_data(as_text=True)
    assert "Strathmore College" in history
