"""Apprenticeship fixtures built through the real services: a partnership, a published
programme with KSBs and a module, a cohort, and apprentices at any stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from app.extensions import db
from app.models import Apprenticeship, Membership, Organisation, Partnership, Party, User
from app.models.people import Role
from app.services.apprenticeships import cohorts, lifecycle, off_the_job, plans, programmes, reviews
from tests.factories.accounts import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory
from tests.factories.catalogue import micro_credential

KSBS = "K1 Understands marine engineering principles\nS1 Maintains diesel engines safely\nB1 Works safely and reliably"


def membership_of(user: User, org: Organisation) -> Membership:
    return next(m for m in db.session.query(Membership).filter_by(user_id=user.id, organisation_id=org.id))


def person(org: Organisation, *roles: str, **user_fields) -> Membership:
    return MembershipFactory(organisation=org, roles=list(roles), user=UserFactory(**user_fields))


def programme(
    provider: Organisation, actor=None, *, title: str = "Engineering Practice", publish: bool = True, **changes
):
    details = programmes.ProgrammeDetails(
        type=changes.pop("type", "modern_apprenticeship"),
        title=title,
        duration_months=changes.pop("duration_months", 24),
        otj_basis=changes.pop("otj_basis", "percent"),
        otj_percent=changes.pop("otj_percent", 20),
        scqf_level=changes.pop("scqf_level", 7),
        scqf_credits=changes.pop("scqf_credits", 120),
        **changes,
    )
    made = programmes.create(actor, provider, details, KSBS)
    # A published hub record is public by design, so it carries no tenant marker from `title`.
    programmes.add_module(actor, made, micro_credential(provider, title="Marine systems module").id)
    if publish:
        programmes.publish(actor, made)
    return made


@dataclass
class Setting:
    """Everyone around one apprenticeship."""

    employer: Organisation
    provider: Organisation
    hr: Membership
    line_manager: Membership
    apprentice: Membership
    coordinator: Membership
    assessor: Membership
    cohort: object
    apprenticeship: Apprenticeship

    def member_for(self, party: Party) -> Membership:
        return {Party.APPRENTICE: self.apprentice, Party.EMPLOYER: self.line_manager, Party.PROVIDER: self.assessor}[
            party
        ]


def setting(
    *,
    start: date | None = None,
    weekly_hours: str = "37.5",
    label: str = "",
    started: bool = False,
    employer: Organisation | None = None,
    provider: Organisation | None = None,
    **programme_changes,
) -> Setting:
    """An employer and provider in partnership, their people, a cohort and one planned
    apprenticeship (or an active one with `started=True`)."""
    if employer is None or provider is None:
        employer = OrganisationFactory(name=f"{label}Kelvin Test Marine")
        provider = OrganisationFactory(provider=True, name=f"{label}Forthside Test College")
    if (
        not db.session.query(Partnership)
        .filter_by(employer_id=employer.id, provider_id=provider.id, status="active")
        .count()
    ):
        PartnershipFactory(employer=employer, provider=provider)
    hr = person(employer, Role.HR_MANAGER, name=f"{label}Hana HR")
    line_manager = person(employer, Role.LINE_MANAGER, name=f"{label}Lewis Manager")
    apprentice = person(employer, Role.LEARNER, name=f"{label}Aila Apprentice")
    coordinator = person(provider, Role.PROVIDER_COORDINATOR, name=f"{label}Cora Coordinator")
    assessor = person(provider, Role.ASSESSOR, name=f"{label}Asha Assessor")
    made = programme(provider, coordinator.user, title=f"{label}Engineering Practice", **programme_changes)
    start = start or date.today() - timedelta(days=120)
    cohort = cohorts.create_cohort(coordinator.user, provider, made, f"{label}September cohort", start, coordinator)
    cohorts.set_team(coordinator.user, cohort, coordinator.id, [assessor.id])
    apprenticeship = cohorts.enrol(
        coordinator.user,
        cohort,
        cohorts.Enrolment(employer, apprentice.user.email, line_manager.user.email, weekly_hours, assessor.id),
    )
    found = Setting(employer, provider, hr, line_manager, apprentice, coordinator, assessor, cohort, apprenticeship)
    if started:
        start_it(found)
    return found


def accept_all(s: Setting) -> None:
    for party in Party:
        plans.accept(s.member_for(party).user, s.apprenticeship, party, {party})


def start_it(s: Setting) -> None:
    accept_all(s)
    # Started on time: the start was recorded on the start date.
    lifecycle.change(s.coordinator.user, s.apprenticeship, "start", today=s.apprenticeship.start_date)


def log_hours(s: Setting, day: date, start: time = time(9), end: time = time(12), **changes):
    details = off_the_job.EntryDetails(
        day=day,
        activity=changes.pop("activity", "taught_learning"),
        description=changes.pop("description", "Engine theory at college"),
        starts_at=start,
        ends_at=end,
        **changes,
    )
    return off_the_job.log(s.apprentice.user, s.apprenticeship, details, date.today())


def open_review(s: Setting):
    return reviews.reviews_of(s.apprenticeship)[-1]


def _isolation_setting(t):
    return t.once(
        "apprenticeship_setting",
        lambda: setting(label=t.made.get("label", "Secret Marker "), employer=t.employer, provider=t.provider),
    )


def _started(s: Setting) -> Setting:
    if s.apprenticeship.status == "planned":
        start_it(s)
    return s


def _isolation_entry(t):
    s = _isolation_setting(t)

    def make():
        if s.apprenticeship.status == "planned":
            start_it(s)
        return log_hours(s, date.today() - timedelta(days=3))

    return t.once("otj_entry", make).id


def _isolation_action(t):
    s = _isolation_setting(t)

    def make():
        if s.apprenticeship.status == "planned":
            start_it(s)
        return reviews.add_action(
            s.assessor.user,
            open_review(s),
            f"{t.made.get('label', '')}Agreed action",
            "apprentice",
            date.today() + timedelta(days=7),
            date.today(),
        )

    return t.once("review_action", make).id


def _isolation_calendar_token(t):
    from app.services.apprenticeships import calendar

    return t.once("calendar_token", lambda: calendar.create_feed(_isolation_setting(t).apprentice.user))


ISOLATION_PARAMS = {
    "token": _isolation_calendar_token,
    "action_id": _isolation_action,
    "apprenticeship_id": lambda t: _isolation_setting(t).apprenticeship.id,
    "programme_id": lambda t: _isolation_setting(t).apprenticeship.programme_id,
    "cohort_id": lambda t: _isolation_setting(t).cohort.id,
    "review_id": lambda t: open_review(_started(_isolation_setting(t))).id,
    "entry_id": _isolation_entry,
    "module_id": lambda t: _isolation_setting(t).apprenticeship.programme.modules[0].id,
}
