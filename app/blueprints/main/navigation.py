"""What each role sees on its dashboard and in the navigation.

One table: a link appears when the person's current organisation grants the permission. Planned
capabilities have no endpoint yet: they are listed as "coming", in words, never as links.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from app.security import policy
from app.security.permissions import Permission as P


@dataclass(frozen=True)
class Task:
    title: str
    description: str
    endpoint: str | None  # None: planned, not built yet
    permission: P | tuple[P, ...] | None = None  # a tuple means any one of them
    # The kinds of organisation whose pages these are (None: any); a page a person cannot open is
    # never offered to them.
    org_kinds: tuple[str, ...] | None = None

    def allowed(self) -> bool:
        org = policy.current_org()
        if self.org_kinds is not None and (org is None or org.kind not in self.org_kinds):
            return False
        if self.permission is None:
            return True
        wanted = self.permission if isinstance(self.permission, tuple) else (self.permission,)
        return any(policy.can(p) for p in wanted)


TASKS = [
    Task(
        "People and roles",
        "Invite people, change their roles, remove access.",
        "organisation.people",
        P.ORG_MANAGE_PEOPLE,
    ),
    Task(
        "Partnerships",
        "Employer-provider partnerships: request, accept, end.",
        "organisation.partnerships",
        P.ORG_MANAGE_PARTNERSHIPS,
    ),
    Task(
        "Single sign-on",
        "Let staff sign in with your OpenID Connect provider.",
        "sso.settings",
        P.ORG_MANAGE_SSO,
        org_kinds=("employer",),
    ),
    Task(
        "API keys",
        "Keys for your applicant tracking or HR system to verify badges.",
        "api_keys.index",
        P.API_KEYS_MANAGE,
    ),
    Task("Audit log", "Who did what to which record, and when.", "organisation.audit_log", P.ORG_VIEW_AUDIT),
    Task(
        "Job roles and skills gaps",
        "Map job roles to micro-credentials and see gaps.",
        "job_roles.index",
        P.ROLES_MANAGE,
    ),
    Task("Team skills", "Your team's skills against their job roles.", "job_roles.team_summary", P.SKILLS_VIEW_TEAM),
    Task(
        "My skills",
        "Your skills against your job role, and a suggested pathway.",
        "job_roles.mine",
        P.SKILLS_VIEW_OWN,
        org_kinds=("employer",),
    ),
    Task(
        "My badges",
        "Every badge you hold in one place: add badges earned elsewhere and check them again.",
        "wallet.index",
        P.SKILLS_VIEW_OWN,
    ),
    Task("CPD sponsorship", "Budgets, requests and approvals.", "cpd.dashboard", P.CPD_APPROVE),
    Task("My CPD", "Ask to be sponsored and see your CPD record.", "cpd.mine", P.CPD_REQUEST),
    Task("Publish micro-credentials", "Your catalogue on the national hub.", "catalogue.index", P.HUB_PUBLISH),
    Task("Issue badges", "Award Open Badges to learners.", "issuing.index", P.CREDENTIALS_ISSUE),
    Task(
        "Apprentices",
        "Progress, off-the-job hours, training plans and reviews of the apprentices you work with.",
        "apprenticeships.index",
        (P.APPRENTICESHIPS_OVERSEE, P.APPRENTICESHIPS_ASSESS, P.EVIDENCE_RECORD),
    ),
    Task(
        "Work-based evidence",
        "Apprentices' portfolios mapped to KSBs: record, sign off, see coverage.",
        "apprenticeships.caseload_coverage",
        (P.EVIDENCE_RECORD, P.EVIDENCE_SIGN_OFF),
    ),
    Task(
        "Recognition of prior learning",
        "Learners' requests to count their badges towards your programmes: decide each module.",
        "rpl.requests",
        P.COHORTS_MANAGE,
        org_kinds=("provider",),
    ),
    Task(
        "Cohorts", "Start cohorts on your programmes and add apprentices.", "apprenticeships.cohorts", P.COHORTS_MANAGE
    ),
    Task(
        "Apprenticeship programmes",
        "Define programmes: KSBs, modules, off-the-job targets, review intervals.",
        "apprenticeships.programmes",
        P.COHORTS_MANAGE,
    ),
    Task(
        "Vacancies",
        "Open vacancies from job roles; compare candidates' verified badges against the role.",
        "recruitment.index",
        P.RECRUITMENT_MANAGE,
        org_kinds=("employer",),
    ),
    Task("Verify badges", "Check a candidate's digital badges.", "verification.index", P.VERIFICATIONS_RUN),
    Task(
        "Quality-assured providers",
        "Mark providers as quality-assured.",
        "platform.index",
        P.PLATFORM_MANAGE,
        org_kinds=("platform",),
    ),
    Task(
        "Quality reviews",
        "Review micro-credentials providers submit against the published criteria.",
        "platform.reviews",
        P.HUB_QUALITY_ASSURE,
        org_kinds=("platform",),
    ),
    Task(
        "Single sign-on domains",
        "Email domains organisations have added for single sign-on and not yet proved.",
        "platform.domains",
        P.PLATFORM_MANAGE,
    ),
]


def tasks_for_current_user() -> tuple[list[Task], list[Task]]:
    """(available tasks, tasks this role will have once that capability is built)."""
    allowed = [task for task in TASKS if task.allowed()]
    return [t for t in allowed if t.endpoint], [t for t in allowed if not t.endpoint]


def task_url(task: Task) -> str:
    assert task.endpoint is not None, "planned tasks have no page"
    return url_for(task.endpoint)
