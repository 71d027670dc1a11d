"""Demo CPD sponsorship (seeds/demo/cpd.json): budgets, funding sources with yearly caps, and
requests in every state for the two demo employers.

Requests are walked through the real workflow (`app.services.cpd.workflow`), so their history, audit
log, budget commitments and held credentials are exactly what the app itself would produce.
Idempotent: budgets by (employer, department, year), funding sources by (employer, name),
requests by (employer, person, title); only what is missing is added.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import MicroCredential, Organisation, RecordStatus, User
from app.models.cpd import CpdBudget, FundingSource, FundingSourceYear, Sponsorship
from app.services import cpd
from app.services.cpd.requests import CourseDetails
from seeds import SEEDS_DIR

AGREEMENT_TEXT = (
    "{org} pays for this learning so that you can use it in your work. If you leave {org} of your own "
    "choice within {months} months of completing it, you agree to repay {basis} of the cost paid.\n"
    "The amount is worked out on the day you leave, and can be taken from your final pay with your "
    "written agreement. It does not apply if your job ends through redundancy or ill health."
)
# The workflow path to each state (endorsement is skipped for people with no line manager).
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "endorsed": ["submit", "endorse"],
    "more_information_needed": ["submit", "request_information"],
    "rejected": ["submit", "reject"],
    "withdrawn": ["submit", "withdraw"],
    "approved": ["submit", "endorse", "approve"],
    "approved_with_conditions": ["submit", "endorse", "approve_with_conditions"],
    "enrolled": ["submit", "endorse", "approve", "enrol"],
    "completed": ["submit", "endorse", "approve", "enrol", "complete"],
    "not_completed": ["submit", "endorse", "approve", "enrol", "not_complete"],
}


def load(log=print) -> None:
    data = json.loads((SEEDS_DIR / "demo" / "cpd.json").read_text())
    today = date.today()
    records = {
        r.code: r
        for r in db.session.scalars(
            select(MicroCredential)
            .where(MicroCredential.status == RecordStatus.PUBLISHED)
            .order_by(MicroCredential.version)
        )
    }
    added = 0
    for employer in data["employers"]:
        org = db.session.scalar(select(Organisation).where(Organisation.slug == employer["slug"]))
        if org is None:
            raise RuntimeError(f"Employer {employer['slug']} is missing: load seeds.organisations first")
        approver = _user(employer["approver"])
        starts = [today + timedelta(days=r["start_in_days"]) for r in employer["requests"]]
        years = {cpd.budgets.financial_year_of(d) for d in starts} | {cpd.budgets.financial_year_of(today)}
        _money(org, approver, employer, years)
        for item, start in zip(employer["requests"], starts, strict=True):
            added += _request(org, approver, item, start, records)
    db.session.flush()
    log(f"CPD: {added} sponsorship requests added")


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise RuntimeError(f"{email} is missing: load seeds.organisations and seeds.job_roles first")
    return user


def _money(org, approver, employer: dict, years: set[int]) -> None:
    for year in sorted(years):
        for department, pence in employer["budgets"].items():
            exists = db.session.scalar(
                select(CpdBudget).where(
                    CpdBudget.organisation_id == org.id,
                    CpdBudget.department == department,
                    CpdBudget.financial_year == year,
                )
            )
            if exists is None:
                cpd.budgets.save_budget(approver, org, department, year, pence)
    for item in employer["funding_sources"]:
        source = db.session.scalar(
            select(FundingSource).where(FundingSource.organisation_id == org.id, FundingSource.name == item["name"])
        )
        if source is None:
            source = cpd.budgets.save_funding_source(approver, org, item["name"], item["kind"], item.get("notes"))
        for year in sorted(years):
            if not any(
                y.financial_year == year
                for y in db.session.scalars(
                    select(FundingSourceYear).where(FundingSourceYear.funding_source_id == source.id)
                )
            ):
                cpd.budgets.save_funding_cap(approver, source, year, item["cap"])


def _request(org, approver, item: dict, start: date, records: dict) -> int:
    person = _user(item["person"])
    mc = records.get(item.get("code"))
    title = mc.title if mc else item["title"]
    exists = db.session.scalar(
        select(Sponsorship).where(
            Sponsorship.organisation_id == org.id, Sponsorship.person_id == person.id, Sponsorship.title == title
        )
    )
    if exists is not None:
        return 0
    details = CourseDetails(reason=item["reason"], start_date=start)
    if mc is not None:
        details.micro_credential_id = mc.id
    else:
        details.external_title, details.external_provider = item["title"], item["provider"]
        details.cost_pence, details.hours = item["cost"], item["hours"]
    s = cpd.requests.create_request(person, org, details, submit=False)
    manager = cpd.people.line_manager_of(cpd.people.membership_in(person, org.id))
    funding = _funding_year(org, item.get("funding"), start)
    budget = db.session.scalar(
        select(CpdBudget).where(
            CpdBudget.organisation_id == org.id,
            CpdBudget.department == s.department,
            CpdBudget.financial_year == cpd.budgets.financial_year_of(start),
        )
    )
    comment = item.get("comment")
    for action in PATHS[item["state"]]:
        if action == "endorse" and manager is None:
            continue  # no line manager: HR decides straight from "submitted"
        actor = {
            "endorse": manager.user if manager else None,
            "approve": approver,
            "approve_with_conditions": approver,
            "request_information": approver,
            "reject": approver,
        }.get(action, person)
        agreement = None
        if action in cpd.workflow.APPROVALS and item.get("agreement"):
            a = item["agreement"]
            agreement = {
                "repayment_months": a["months"],
                "repayment_basis": a["basis"],
                "text": AGREEMENT_TEXT.format(
                    org=org.name, months=a["months"], basis="a share" if a["basis"] == "pro_rata" else "all"
                ),
            }
        if action == "enrol" and s.agreement is not None:
            cpd.requests.accept_agreement(person, s)
        final = action == PATHS[item["state"]][-1]
        cpd.workflow.act(
            actor,
            s,
            action,
            comment if final else None,
            budget_id=budget.id if budget else None,
            funding_year_id=funding.id if funding else None,
            agreement=agreement,
            completed_on=start + timedelta(days=max(14, s.hours // 2)) if action == "complete" else None,
        )
        if action in {"complete", "not_complete"} and item.get("actual") is not None:
            cpd.requests.change_cost(approver, s, item["actual"], comment or "Final invoice")
    _backdate(s, start)
    return 1


def _backdate(s: Sponsorship, start: date) -> None:
    """Spread the request's history over the weeks before it started, as it would have happened
    (the audit log keeps the real load time: it is append-only)."""
    first = datetime.combine(start - timedelta(days=45), time(9, 30), tzinfo=UTC)
    now = datetime.now(UTC)
    for i, event in enumerate(s.events):
        when = first + timedelta(days=4 * i)
        if event.action in {"complete", "not_complete", "change_cost"} and s.completed_on:
            when = datetime.combine(s.completed_on, time(16, 0), tzinfo=UTC)
        elif event.action in {"complete", "not_complete", "change_cost"}:
            when = datetime.combine(start + timedelta(days=30), time(16, 0), tzinfo=UTC)
        event.occurred_at = min(when, now)
        if event.action in {"submit", "resubmit"}:
            s.submitted_at = event.occurred_at
        if event.action in cpd.workflow.APPROVALS:
            s.approved_at = event.occurred_at
    if s.agreement is not None and s.approved_at is not None:
        s.agreement.created_at = s.approved_at
        if s.agreement.accepted_at is not None:
            s.agreement.accepted_at = min(s.approved_at + timedelta(days=1), now)
    db.session.flush()


def _funding_year(org, name: str | None, start: date) -> FundingSourceYear | None:
    stmt = (
        select(FundingSourceYear)
        .join(FundingSource)
        .where(
            FundingSource.organisation_id == org.id,
            FundingSourceYear.financial_year == cpd.budgets.financial_year_of(start),
        )
    )
    stmt = stmt.where(FundingSource.name == name) if name else stmt.where(FundingSource.kind == "employer")
    return db.session.scalars(stmt).first()
