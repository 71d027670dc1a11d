"""Building blocks for CPD sponsorship tests: an employer with HR, a line manager and reports,
a budget and a funding source, hub micro-credentials, and requests in any state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain import calendar
from app.extensions import db
from app.models import Membership, MicroCredential, Organisation, User
from app.models.cpd import SponsorshipStatus as S
from app.services import cpd
from app.services.cpd.requests import CourseDetails
from tests.factories.accounts import OrganisationFactory, member

YEAR = calendar.financial_year_of(date.today(), 4)  # the test configuration starts the year in April


@dataclass
class Employer:
    org: Organisation
    hr: User
    hr2: User
    manager: User
    employee: User
    colleague: User
    loner: User  # an employee with no line manager
    budget: object
    funding: object  # FundingSourceYear

    def membership(self, user: User) -> Membership:
        return cpd.people.membership_in(user, self.org.id)


def employer(allocated: int = 500_000, cap: int = 1_500_000, department: str = "Engineering") -> Employer:
    """An employer with two HR managers, a line manager with two reports, and money for a year."""
    org = OrganisationFactory()
    hr = member(org, "hr_manager", name="Hana Hr")
    hr2 = member(org, "hr_manager", name="Harry Hr")
    manager = member(org, "line_manager", "learner", name="Moira Manager")
    employee = member(org, "learner", name="Eilidh Employee")
    colleague = member(org, "learner", name="Colin Colleague")
    loner = member(org, "learner", name="Lorne Loner")
    for user in (manager, employee, colleague, loner):
        cpd.people.membership_in(user, org.id).department = department
    manager_membership = cpd.people.membership_in(manager, org.id)
    for user in (employee, colleague):
        cpd.people.membership_in(user, org.id).line_manager_id = manager_membership.id
    db.session.flush()
    budget = cpd.budgets.save_budget(hr, org, department, YEAR, allocated)
    source = cpd.budgets.save_funding_source(hr, org, "Training budget", "employer")
    funding = cpd.budgets.save_funding_cap(hr, source, YEAR, cap)
    return Employer(org, hr, hr2, manager, employee, colleague, loner, budget, funding)


def micro_credential(
    title: str = "Data analysis with Python",
    price: int = 45_000,
    hours: int = 100,
    credits: int | None = 10,
    status: str = "published",
    code: str | None = None,
    version: int = 1,
    provider: Organisation | None = None,
) -> MicroCredential:
    provider = provider or OrganisationFactory(provider=True)
    mc = MicroCredential(
        provider_id=provider.id,
        code=code or f"FC-{title[:6].upper().replace(' ', '')}{version}",
        version=version,
        status=status,
        title=title,
        scqf_level=7,
        scqf_credits=credits,
        notional_hours=hours,
        mode="online",
        price_pence=price,
    )
    db.session.add(mc)
    db.session.flush()
    return mc


def external(
    cost: int = 30_000,
    hours: int = 14,
    title: str = "NEBOSH General Certificate",
    reason: str = "Needed for the site safety role",
) -> CourseDetails:
    return CourseDetails(
        reason=reason,
        external_title=title,
        external_provider="Safety Training Ltd",
        cost_pence=cost,
        hours=hours,
        start_date=date.today(),
    )


def request(
    e: Employer,
    person: User | None = None,
    cost: int = 30_000,
    state: str = S.SUBMITTED,
    details: CourseDetails | None = None,
):
    """A request for `person` (the employee by default) walked through the real workflow to `state`."""
    person = person or e.employee
    s = cpd.requests.create_request(person, e.org, details or external(cost), submit=state != S.DRAFT)
    has_manager = cpd.people.line_manager_of(cpd.people.membership_in(person, e.org.id)) is not None
    path = {
        S.DRAFT: [],
        S.SUBMITTED: [],
        S.ENDORSED: ["endorse"],
        S.MORE_INFORMATION_NEEDED: ["request_information"],
        S.REJECTED: ["reject"],
        S.WITHDRAWN: ["withdraw"],
        S.APPROVED: ["endorse", "approve"],
        S.APPROVED_WITH_CONDITIONS: ["endorse", "approve_with_conditions"],
        S.ENROLLED: ["endorse", "approve", "enrol"],
        S.COMPLETED: ["endorse", "approve", "enrol", "complete"],
        S.NOT_COMPLETED: ["endorse", "approve", "enrol", "not_complete"],
    }[state]
    for action in path:
        if action == "endorse" and not has_manager:
            continue
        actor = {
            "endorse": e.manager,
            "approve": e.hr,
            "approve_with_conditions": e.hr,
            "request_information": e.hr,
            "reject": e.hr,
            "withdraw": person,
            "enrol": person,
            "complete": person,
            "not_complete": person,
        }[action]
        cpd.workflow.act(
            actor, s, action, "Because the test says so", budget_id=e.budget.id, funding_year_id=e.funding.id
        )
    assert s.status == state
    return s
