"""Named permissions, `<area>:<action>`, and which roles grant them."""

from __future__ import annotations

from enum import StrEnum

from app.models.people import Role


class Permission(StrEnum):
    ORG_MANAGE_PEOPLE = "org:manage_people"
    ORG_VIEW_AUDIT = "org:view_audit"
    ORG_MANAGE_PARTNERSHIPS = "org:manage_partnerships"
    ORG_MANAGE_SSO = "org:manage_sso"
    PLATFORM_MANAGE = "platform:manage"
    HUB_PUBLISH = "hub:publish"
    HUB_QUALITY_ASSURE = "hub:quality_assure"
    ROLES_MANAGE = "roles:manage"
    SKILLS_VIEW_TEAM = "skills:view_team"
    SKILLS_ASSESS = "skills:assess"
    SKILLS_VIEW_OWN = "skills:view_own"
    CPD_REQUEST = "cpd:request"
    CPD_NOMINATE = "cpd:nominate"
    CPD_ENDORSE = "cpd:endorse"
    CPD_APPROVE = "cpd:approve"
    CPD_MANAGE_BUDGETS = "cpd:manage_budgets"
    CREDENTIALS_ISSUE = "credentials:issue"
    VERIFICATIONS_RUN = "verifications:run"
    API_KEYS_MANAGE = "api_keys:manage"
    EVIDENCE_RECORD = "evidence:record"
    EVIDENCE_SIGN_OFF = "evidence:sign_off"
    COHORTS_MANAGE = "cohorts:manage"
    APPRENTICESHIPS_OVERSEE = "apprenticeships:oversee"
    APPRENTICESHIPS_ASSESS = "apprenticeships:assess"
    RECRUITMENT_MANAGE = "recruitment:manage"


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ORG_ADMIN: frozenset(
        {P.ORG_MANAGE_PEOPLE, P.ORG_VIEW_AUDIT, P.ORG_MANAGE_PARTNERSHIPS, P.ORG_MANAGE_SSO, P.API_KEYS_MANAGE}
    ),
    Role.HR_MANAGER: frozenset(
        {
            P.ROLES_MANAGE,
            P.SKILLS_VIEW_TEAM,
            P.SKILLS_ASSESS,
            P.SKILLS_VIEW_OWN,
            P.CPD_REQUEST,
            P.CPD_NOMINATE,
            P.CPD_APPROVE,
            P.CPD_MANAGE_BUDGETS,
            P.APPRENTICESHIPS_OVERSEE,
        }
    ),
    Role.LINE_MANAGER: frozenset(
        {
            P.SKILLS_VIEW_TEAM,
            P.SKILLS_ASSESS,
            P.SKILLS_VIEW_OWN,
            P.CPD_REQUEST,
            P.CPD_NOMINATE,
            P.CPD_ENDORSE,
            P.EVIDENCE_RECORD,
        }
    ),
    Role.RECRUITER: frozenset({P.VERIFICATIONS_RUN, P.RECRUITMENT_MANAGE}),
    Role.LEARNER: frozenset({P.CPD_REQUEST, P.SKILLS_VIEW_OWN}),
    Role.PROVIDER_COORDINATOR: frozenset(
        {P.HUB_PUBLISH, P.CREDENTIALS_ISSUE, P.COHORTS_MANAGE, P.EVIDENCE_SIGN_OFF, P.APPRENTICESHIPS_OVERSEE}
    ),
    Role.ASSESSOR: frozenset({P.EVIDENCE_SIGN_OFF, P.APPRENTICESHIPS_ASSESS}),
    Role.PLATFORM_ADMIN: frozenset({P.PLATFORM_MANAGE}),
    # Reviews providers' micro-credential versions against the published criteria.
    Role.PLATFORM_REVIEWER: frozenset({P.HUB_QUALITY_ASSURE}),
}
