"""Who may see and assess whose skills, and who reviews quality: the named rules in the policy."""

from __future__ import annotations

import pytest

from app.models import Membership, Organisation, RoleGrant
from app.security.policy import may_assess_skills_of, may_review_quality, may_view_skills_of

ORG, OTHER_ORG = 1, 2


def person(id_, *roles, org=ORG, manager=None) -> Membership:
    """A membership in memory (no database): id, organisation, roles and line manager."""
    return Membership(
        id=id_, organisation_id=org, line_manager_id=manager, role_grants=[RoleGrant(role=r) for r in roles]
    )


HR = person(1, "hr_manager")
MANAGER = person(2, "line_manager", "learner")
REPORT = person(3, "learner", manager=2)
COLLEAGUE = person(4, "learner")
OUTSIDER_HR = person(5, "hr_manager", org=OTHER_ORG)


@pytest.mark.parametrize(
    "viewer, seen, allowed",
    [
        (REPORT, REPORT, True),  # their own page
        (COLLEAGUE, REPORT, False),
        (MANAGER, REPORT, True),  # a direct report
        (MANAGER, COLLEAGUE, False),  # not their report
        (HR, COLLEAGUE, True),  # HR sees everyone in the organisation
        (OUTSIDER_HR, REPORT, False),  # never across organisations
        (None, REPORT, False),
    ],
)
def test_who_may_view_a_persons_skills(viewer, seen, allowed):
    assert may_view_skills_of(viewer, seen) is allowed


@pytest.mark.parametrize(
    "assessor, assessed, allowed",
    [
        (HR, REPORT, True),
        (HR, HR, False),  # nobody assesses themselves
        (MANAGER, REPORT, True),
        (MANAGER, COLLEAGUE, False),
        (MANAGER, MANAGER, False),
        (REPORT, COLLEAGUE, False),  # a learner assesses nobody
        (person(6, "learner", manager=None), person(7, "learner", manager=6), False),  # managing is a role, not a link
        (OUTSIDER_HR, REPORT, False),
        (None, REPORT, False),
    ],
)
def test_who_may_assess_a_persons_skills(assessor, assessed, allowed):
    assert may_assess_skills_of(assessor, assessed) is allowed


@pytest.mark.parametrize(
    "roles, kind, allowed",
    [
        (("platform_reviewer",), "platform", True),
        (("platform_admin",), "platform", False),  # marks providers; reviewing is the reviewers'
        (("platform_reviewer",), "provider", False),  # only in the platform's organisation
        (("provider_coordinator",), "provider", False),
        (("hr_manager",), "employer", False),
        ((), "platform", False),
    ],
)
def test_who_may_review_quality(roles, kind, allowed):
    membership = person(9, *roles)
    membership.organisation = Organisation(kind=kind, name="Somewhere", slug="somewhere")
    assert may_review_quality(membership) is allowed
    assert may_review_quality(None) is False
