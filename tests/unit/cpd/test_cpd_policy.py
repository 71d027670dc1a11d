"""Who may see whose CPD and change what: the CPD rules in app.security.policy."""

from __future__ import annotations

from app.models.cpd import LearningAgreement
from app.models.cpd import SponsorshipStatus as S
from app.security import policy
from app.services import cpd
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.cpd import employer, request


def test_hr_sees_everyone_a_manager_their_reports_and_everyone_themselves():
    e = employer()
    hr, manager, employee, colleague, loner = (
        e.membership(u) for u in (e.hr, e.manager, e.employee, e.colleague, e.loner)
    )
    assert all(policy.may_view_cpd_of(hr, m) for m in (manager, employee, colleague, loner))
    assert policy.may_view_cpd_of(manager, employee) and policy.may_view_cpd_of(manager, colleague)
    assert not policy.may_view_cpd_of(manager, loner)
    assert policy.may_view_cpd_of(employee, employee)
    assert not policy.may_view_cpd_of(employee, colleague)
    assert not policy.may_view_cpd_of(None, employee)


def test_nobody_sees_another_organisations_cpd():
    e = employer()
    other_org = OrganisationFactory(kind="employer")
    other_hr = cpd.people.membership_in(member(other_org, "hr_manager"), other_org.id)
    assert policy.is_cpd_approver(other_hr)
    assert not policy.may_view_cpd_of(other_hr, e.membership(e.employee))


def test_the_requests_list_is_for_hr_and_endorsing_managers():
    e = employer()
    assert policy.may_see_cpd_requests(e.membership(e.hr)) and policy.is_cpd_approver(e.membership(e.hr))
    assert policy.may_see_cpd_requests(e.membership(e.manager)) and not policy.is_cpd_approver(e.membership(e.manager))
    assert not policy.may_see_cpd_requests(e.membership(e.employee))


def test_only_the_employee_changes_their_request_and_only_while_it_is_open():
    e = employer()
    draft = request(e, state=S.DRAFT)
    assert policy.cpd_edit_refusal(e.employee, draft) is None
    assert policy.cpd_edit_refusal(e.hr, draft) == "Only the employee can change their request."
    approved = request(e, state=S.APPROVED)
    assert policy.cpd_edit_refusal(e.employee, approved) == "This request can no longer be changed."


def test_the_learning_agreement_is_accepted_once_by_the_employee_while_approved():
    e = employer()
    s = request(e, state=S.APPROVED)
    assert policy.cpd_acceptance_refusal(e.employee, s) == "There is no learning agreement to accept."
    s.agreement = LearningAgreement(
        organisation_id=s.organisation_id,
        repayment_months=12,
        repayment_basis="pro_rata",
        text="Repay if you leave within a year",
        set_by_id=e.hr.id,
    )
    assert policy.cpd_acceptance_refusal(e.employee, s) is None
    assert policy.cpd_acceptance_refusal(e.hr, s) == "Only the employee can accept their learning agreement."
