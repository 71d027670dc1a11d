"""The one place that decides permissions.

Routes are decorated with `@require(permission, org_kind=...)`; templates call `can(...)`
(exposed to Jinja). Both read the signed-in person's roles in their *current* organisation (see
`current_org`). Rules about particular records (may this person see that person's CPD, sign off
this evidence) are named functions here too, so routes, services and templates ask one place.

Refusals: a page or action the person's role or organisation does not allow is 403; a record
in another organisation is 404 (its existence is not revealed), which the tenant-scoped loaders
in `app.security.scoping` decide.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, session
from flask_login import current_user, login_required
from sqlalchemy import and_, false, or_, select, true

from app.extensions import db
from app.models import Apprenticeship, Membership, MembershipStatus, Organisation, OrgKind, Party, Sponsorship
from app.models.programmes import cohort_assessors
from app.security.permissions import ROLE_PERMISSIONS, Permission

SESSION_ORG_KEY = "org_id"


def active_memberships(user) -> list[Membership]:
    """The person's active memberships, organisation loaded, in a stable order."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = g.get("_memberships")
    if cached is not None and cached[0] == user.id:
        return cached[1]
    rows = db.session.scalars(
        select(Membership)
        .join(Organisation)
        .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
        .options(db.joinedload(Membership.organisation))
        .order_by(Organisation.name)
    ).all()
    g._memberships = (user.id, list(rows))
    return g._memberships[1]


def current_membership() -> Membership | None:
    """The membership for the organisation the person is acting in now."""
    memberships = active_memberships(current_user)
    if not memberships:
        return None
    wanted = session.get(SESSION_ORG_KEY)
    for membership in memberships:
        if membership.organisation_id == wanted:
            return membership
    return memberships[0]


def current_org() -> Organisation | None:
    membership = current_membership()
    return membership.organisation if membership else None


def acting_org() -> Organisation:
    """The organisation the signed-in person acts in, for routes behind `@require` (which has
    already refused anyone without one); 403 if there is none."""
    org = current_org()
    if org is None:
        abort(403)
    return org


def acting_membership() -> Membership:
    """The signed-in person's membership in the organisation they act in (see `acting_org`)."""
    membership = current_membership()
    if membership is None:
        abort(403)
    return membership


def permissions_of(membership: Membership | None) -> frozenset[Permission]:
    if membership is None:
        return frozenset()
    granted: set[Permission] = set()
    for role in membership.roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


def can(permission: Permission | str) -> bool:
    """Whether the signed-in person may do this in their current organisation."""
    return Permission(permission) in permissions_of(current_membership())


def authorise(permission: Permission | str | None = None, *, org_kind: OrgKind | None = None) -> Organisation:
    """The current organisation, if the signed-in person holds `permission` there and it is of
    `org_kind`; else abort with 401 (not signed in) or 403."""
    if not getattr(current_user, "is_authenticated", False):
        abort(401)
    org = current_org()
    if org is None:
        abort(403)
    if permission is not None and not can(permission):
        abort(403)
    if org_kind is not None and org.kind != org_kind:
        abort(403)
    return org


F = TypeVar("F", bound=Callable[..., Any])


def require(permission: Permission | str | None = None, *, org_kind: OrgKind | None = None) -> Callable[[F], F]:
    """Route decorator: sign-in required (people are sent to the sign-in page), then
    `authorise(permission, org_kind=...)`."""

    def decorator(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            authorise(permission, org_kind=org_kind)
            return view(*args, **kwargs)

        return login_required(guarded)  # type: ignore[return-value]

    return decorator


def switch_org(org_id: int) -> bool:
    """Make org_id the current organisation if the person belongs to it."""
    if any(m.organisation_id == org_id for m in active_memberships(current_user)):
        session[SESSION_ORG_KEY] = org_id
        g.pop("_memberships", None)
        return True
    return False


# -- Rules about particular records ------------------------------------------------------------
# Each rule is a named function of the acting person's membership (or user) and the record, so
# routes, services and templates ask the same question in the same words.

# -- accounts and organisations --


# -- skills and job roles --


def may_view_skills_of(viewer: Membership | None, person: Membership) -> bool:
    """A person's skills page: their own; anyone's in the organisation for HR (roles:manage);
    their direct reports' for a line manager (skills:view_team)."""
    if viewer is None or viewer.organisation_id != person.organisation_id:
        return False
    if viewer.id == person.id:
        return True
    granted = permissions_of(viewer)
    if Permission.ROLES_MANAGE in granted:
        return True
    return Permission.SKILLS_VIEW_TEAM in granted and person.line_manager_id == viewer.id


def may_assess_skills_of(assessor: Membership | None, person: Membership) -> bool:
    """Recording an assessed skill level (skills:assess): HR (roles:manage) may assess anyone in
    their organisation, a line manager only their own reports; nobody assesses themselves."""
    if assessor is None or assessor.organisation_id != person.organisation_id:
        return False
    if assessor.id == person.id:
        return False
    granted = permissions_of(assessor)
    if Permission.SKILLS_ASSESS not in granted:
        return False
    return Permission.ROLES_MANAGE in granted or person.line_manager_id == assessor.id


def may_review_quality(membership: Membership | None) -> bool:
    """Reviewing providers' micro-credential versions (hub:quality_assure): the platform's
    reviewers, acting in the platform's organisation."""
    if membership is None or membership.organisation.kind != OrgKind.PLATFORM:
        return False
    return Permission.HUB_QUALITY_ASSURE in permissions_of(membership)


def quality_review_refusal(membership: Membership | None, review) -> str | None:
    """Why this person may not decide this quality review, or None if they may: a platform
    reviewer, the review still waiting, and never a review they submitted themselves."""
    if not may_review_quality(membership):
        return "Only the platform's reviewers decide quality reviews"
    assert membership is not None
    if not review.is_open:
        return "This review has already been decided"
    if review.submitted_by_id == membership.user_id:
        return "You submitted this version for review, so someone else must review it"
    return None


# -- CPD --


def is_cpd_approver(membership: Membership | None) -> bool:
    """HR managers approve CPD funding and see every request in their organisation."""
    return Permission.CPD_APPROVE in permissions_of(membership)


def may_see_cpd_requests(membership: Membership | None) -> bool:
    """The requests list is for those who decide on requests: HR and endorsing line managers."""
    granted = permissions_of(membership)
    return Permission.CPD_APPROVE in granted or Permission.CPD_ENDORSE in granted


def may_view_cpd_of(viewer: Membership | None, person: Membership) -> bool:
    """HR sees everyone's CPD record; a line manager sees their reports'; everyone sees their own."""
    if viewer is None or viewer.organisation_id != person.organisation_id:
        return False
    return is_cpd_approver(viewer) or person.line_manager_id == viewer.id or person.user_id == viewer.user_id


def may_view_cpd_request(viewer: Membership | None, person: Membership, sponsorship: Sponsorship) -> bool:
    """A request is seen by whoever may see the person's CPD, except that a draft is its
    author's own until it is submitted (see `cpd_drafts_hidden` for the same rule in SQL)."""
    if sponsorship.is_draft and (viewer is None or viewer.user_id != sponsorship.person_id):
        return False
    return may_view_cpd_of(viewer, person)


def cpd_drafts_hidden(viewer_user_id: int) -> Any:
    """`may_view_cpd_request`'s draft rule as a SQL condition on Sponsorship."""
    return or_(Sponsorship.status != "draft", Sponsorship.person_id == viewer_user_id)


def cpd_edit_refusal(actor: Any, sponsorship: Sponsorship) -> str | None:
    """Why `actor` may not change the request now, or None when they may."""
    if actor.id != sponsorship.person_id:
        return "Only the employee can change their request."
    if not sponsorship.is_editable:
        return "This request can no longer be changed."
    return None


def cpd_acceptance_refusal(actor: Any, sponsorship: Sponsorship) -> str | None:
    """Why `actor` may not accept the request's learning agreement now, or None when they may."""
    if actor.id != sponsorship.person_id:
        return "Only the employee can accept their learning agreement."
    if sponsorship.agreement is None:
        return "There is no learning agreement to accept."
    if sponsorship.agreement.accepted_at is not None:
        return "You have already accepted this learning agreement."
    if not sponsorship.is_approved:
        return "The learning agreement can only be accepted while the request is approved."
    return None


# -- issuing and verification --


# -- apprenticeships --
# The three parties: the apprentice; the employer (the apprentice's line manager on the
# apprenticeship, or HR); the provider (the apprenticeship's assessor, the cohort's assessors, or
# a coordinator). Everybody else in either organisation is refused.


def is_apprenticeship_assessor(membership: Membership | None, apprenticeship: Apprenticeship) -> bool:
    """The apprenticeship's own assessor, or one of its cohort's assessors."""
    if membership is None or membership.organisation_id != apprenticeship.provider_id:
        return False
    if membership.id == apprenticeship.assessor_id:
        return True
    return any(a.id == membership.id for a in apprenticeship.cohort.assessors)


def parties_of(membership: Membership | None, apprenticeship: Apprenticeship) -> set[Party]:
    """Which parties to the apprenticeship `membership` may act for."""
    if membership is None or not membership.is_active:
        return set()
    found: set[Party] = set()
    granted = permissions_of(membership)
    if membership.id == apprenticeship.apprentice_id:
        found.add(Party.APPRENTICE)
    elif membership.organisation_id == apprenticeship.employer_id and (
        membership.id == apprenticeship.line_manager_id or Permission.APPRENTICESHIPS_OVERSEE in granted
    ):
        found.add(Party.EMPLOYER)
    if membership.organisation_id == apprenticeship.provider_id and (
        Permission.COHORTS_MANAGE in granted or is_apprenticeship_assessor(membership, apprenticeship)
    ):
        found.add(Party.PROVIDER)
    return found


def party_conditions(membership: Membership) -> dict[Party, Any]:
    """`parties_of` as SQL: for each party, the condition on Apprenticeship under which
    `membership` acts for it (so caseloads and to-do counts are single queries). The two must
    agree; tests/unit/apprenticeships checks they do."""
    if not membership.is_active:
        return {party: false() for party in Party}
    granted = permissions_of(membership)
    org_id = membership.organisation_id
    assessed = select(cohort_assessors.c.cohort_id).where(cohort_assessors.c.membership_id == membership.id)
    return {
        Party.APPRENTICE: Apprenticeship.apprentice_id == membership.id,
        Party.EMPLOYER: and_(
            Apprenticeship.employer_id == org_id,
            Apprenticeship.apprentice_id != membership.id,
            true()
            if Permission.APPRENTICESHIPS_OVERSEE in granted
            else Apprenticeship.line_manager_id == membership.id,
        ),
        Party.PROVIDER: and_(
            Apprenticeship.provider_id == org_id,
            true()
            if Permission.COHORTS_MANAGE in granted
            else or_(Apprenticeship.assessor_id == membership.id, Apprenticeship.cohort_id.in_(assessed)),
        ),
    }


def assessor_condition(membership: Membership) -> Any:
    """`is_apprenticeship_assessor` as SQL."""
    assessed = select(cohort_assessors.c.cohort_id).where(cohort_assessors.c.membership_id == membership.id)
    return and_(
        Apprenticeship.provider_id == membership.organisation_id,
        or_(Apprenticeship.assessor_id == membership.id, Apprenticeship.cohort_id.in_(assessed)),
    )


def may_view_apprenticeship(membership: Membership | None, apprenticeship: Apprenticeship) -> bool:
    return bool(parties_of(membership, apprenticeship))


def may_manage_apprenticeship(membership: Membership | None, apprenticeship: Apprenticeship) -> bool:
    """The training plan, prior learning and module results: the provider's coordinators."""
    return (
        membership is not None
        and membership.organisation_id == apprenticeship.provider_id
        and Permission.COHORTS_MANAGE in permissions_of(membership)
    )


def may_change_apprenticeship_status(membership: Membership | None, apprenticeship: Apprenticeship) -> bool:
    """Starting, pausing, withdrawing: a coordinator at the provider or HR at the employer."""
    if may_manage_apprenticeship(membership, apprenticeship):
        return True
    return (
        membership is not None
        and membership.organisation_id == apprenticeship.employer_id
        and membership.id != apprenticeship.apprentice_id
        and Permission.APPRENTICESHIPS_OVERSEE in permissions_of(membership)
    )


def may_log_off_the_job(membership: Membership | None, apprenticeship: Apprenticeship) -> bool:
    """The apprentice, or an assessor on their behalf."""
    if membership is None:
        return False
    return membership.id == apprenticeship.apprentice_id or is_apprenticeship_assessor(membership, apprenticeship)


def off_the_job_confirm_refusal(
    membership: Membership | None, apprenticeship: Apprenticeship, entry: Any
) -> str | None:
    """Why `membership` may not confirm `entry` now, or None when they may."""
    if not is_apprenticeship_assessor(membership, apprenticeship):
        return "Only the apprentice's assessor can confirm off-the-job entries."
    assert membership is not None
    if entry.recorded_by_id == membership.user_id:
        return "You recorded this entry, so someone else must confirm it."
    if entry.confirmed_at is not None:
        return "This entry has already been confirmed."
    return None


# -- work-based evidence --


def evidence_recording_parties(membership: Membership | None, apprenticeship: Apprenticeship) -> set[Party]:
    """Who records evidence: the apprentice, and their line manager (as the employer's own
    statement). HR and the provider do not record it."""
    if membership is None or not membership.is_active:
        return set()
    if membership.id == apprenticeship.apprentice_id:
        return {Party.APPRENTICE}
    if membership.id == apprenticeship.line_manager_id and membership.organisation_id == apprenticeship.employer_id:
        return {Party.EMPLOYER}
    return set()


def evidence_sign_off_refusal(membership: Membership | None, apprenticeship: Apprenticeship, entry: Any) -> str | None:
    """Why `membership` may not sign off (or return) `entry`, or None when they may."""
    if not is_apprenticeship_assessor(membership, apprenticeship):
        return "Only the apprentice's assessor signs off evidence."
    assert membership is not None
    if entry.recorded_by_id == membership.user_id:
        return "You recorded this evidence, so someone else must sign it off."
    return None


# ---- recruitment ------------------------------------------------------------------------------


def manages_recruitment(membership: Membership | None) -> bool:
    """Recruiters see and run every vacancy of their organisation."""
    return Permission.RECRUITMENT_MANAGE in permissions_of(membership)


def may_see_vacancy(membership: Membership | None, vacancy: Any) -> bool:
    """A vacancy and its candidates are seen by its organisation's recruiters and by its hiring
    manager; nobody else (learners, other staff, other organisations)."""
    if membership is None or membership.organisation_id != vacancy.organisation_id:
        return False
    return manages_recruitment(membership) or vacancy.hiring_manager_id == membership.id
