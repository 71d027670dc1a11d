"""Demo apprenticeships (seeds/demo/apprenticeships.json): a Graduate Apprenticeship at the
University of Caledonia and a Modern Apprenticeship at Forthside College, each with a cohort of
apprentices from Kelvin Marine and Tay Valley Health.

Each apprentice lives one "story" (on track, at risk, off track, a break in learning, planned,
withdrawn), played through the real services week by week from the cohort's start, counted
back from today: off-the-job entries, the assessor's confirmations, reviews recorded, rated and
signed by all three parties. So every dashboard shows something true on the day the demo loads.
Idempotent: programmes by (provider, title), cohorts by (provider, name), apprenticeships by
(cohort, apprentice); an apprenticeship that exists is left alone.
"""

from __future__ import annotations

import json
from datetime import date, time, timedelta

from sqlalchemy import select

from app.domain.calendar import london_today
from app.extensions import db
from app.models import Apprenticeship, Cohort, MicroCredential, Organisation, Party, Programme, User
from app.models.people import Membership
from app.services.apprenticeships import cohorts, lifecycle, off_the_job, plans, programmes, reviews
from seeds import SEEDS_DIR, evidence

ACTIVITIES = ["taught_learning", "practical_training", "assignments", "mentoring", "shadowing", "industry_visits"]
WHAT = {
    "taught_learning": "University teaching block: lectures and labs",
    "practical_training": "Practical training in the workshop with a trainer",
    "assignments": "Assignment work in paid study time",
    "mentoring": "Session with my workplace mentor",
    "shadowing": "Shadowed a senior colleague on a live job",
    "industry_visits": "Industry visit to a partner site",
}


def _member(email: str, org: Organisation) -> Membership:
    return db.session.scalar(
        select(Membership).join(User).where(User.email == email, Membership.organisation_id == org.id)
    )


def _org(slug: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def load(log=print) -> None:
    data = json.loads((SEEDS_DIR / "demo" / "apprenticeships.json").read_text())
    today = london_today()
    for item in data["programmes"]:
        provider = _org(item["provider"])
        coordinator = _member(item["coordinator"], provider)
        programme = _programme(item, provider, coordinator)
        cohort = _cohort(item["cohort"], provider, programme, coordinator, today)
        for person in item["apprentices"]:
            employer = _org(person["employer"])
            apprentice = _member(person["email"], employer)
            found = db.session.scalar(
                select(Apprenticeship).where(
                    Apprenticeship.cohort_id == cohort.id, Apprenticeship.apprentice_id == apprentice.id
                )
            )
            if found is not None:
                continue
            a = cohorts.enrol(
                coordinator.user,
                cohort,
                cohorts.Enrolment(
                    employer=employer,
                    apprentice_email=person["email"],
                    line_manager_email=person["line_manager"],
                    weekly_hours=person["weekly_hours"],
                    assessor_id=_member(person["assessor"], provider).id,
                ),
            )
            STORIES[person["story"]](Story(a, coordinator, today))
            log(f"  apprentice {person['email']}: {person['story'].replace('_', ' ')}")
    db.session.flush()
    log("Demo apprenticeships: 3 programmes, 3 cohorts, 7 apprentices, with their evidence")


def _programme(item: dict, provider: Organisation, coordinator: Membership) -> Programme:
    found = db.session.scalar(
        select(Programme).where(Programme.organisation_id == provider.id, Programme.title == item["title"])
    )
    if found is not None:
        return found
    details = programmes.ProgrammeDetails(
        type=item["type"],
        title=item["title"],
        description=item.get("description"),
        scqf_level=item.get("scqf_level"),
        scqf_credits=item.get("scqf_credits"),
        duration_months=item["duration_months"],
        otj_basis=item["otj_basis"],
        otj_percent=item.get("otj_percent"),
        otj_hours=item.get("otj_hours"),
        review_interval_weeks=item["review_interval_weeks"],
    )
    made = programmes.create(coordinator.user, provider, details, item["outcomes"])
    for code in item["modules"]:
        record = db.session.scalar(
            select(MicroCredential).where(
                MicroCredential.provider_id == provider.id,
                MicroCredential.code == code,
                MicroCredential.status == "published",
            )
        )
        programmes.add_module(coordinator.user, made, record.id)
    programmes.publish(coordinator.user, made)
    return made


def _cohort(item: dict, provider, programme, coordinator, today: date) -> Cohort:
    found = db.session.scalar(select(Cohort).where(Cohort.organisation_id == provider.id, Cohort.name == item["name"]))
    if found is not None:
        return found
    start = today - timedelta(weeks=item["weeks_ago"])
    start -= timedelta(days=start.weekday())  # cohorts start on a Monday
    made = cohorts.create_cohort(coordinator.user, provider, programme, item["name"], start, coordinator)
    assessors = [_member(email, provider).id for email in item["assessors"]]
    cohorts.set_team(coordinator.user, made, coordinator.id, assessors)
    return made


class Story:
    """One apprentice's life so far, played through the services."""

    def __init__(self, a: Apprenticeship, coordinator: Membership, today: date):
        self.a, self.coordinator, self.today = a, coordinator, today
        self.apprentice = a.apprentice.user
        self.employer = a.line_manager.user
        self.assessor = a.assessor.user

    def accept(self, *parties: Party) -> None:
        people = {Party.APPRENTICE: self.apprentice, Party.EMPLOYER: self.employer, Party.PROVIDER: self.assessor}
        for party in parties or tuple(Party):
            plans.accept(people[party], self.a, party, {party})

    def start(self) -> None:
        self.accept()
        # Started on time: the start was recorded on the start date.
        lifecycle.change(self.coordinator.user, self.a, "start", today=self.a.start_date)

    def weeks(
        self, until: date, hours_a_week: float, *, every: int = 1, reviews_held: int = 99, overdue_action: bool = False
    ) -> None:
        """Log a training day each week (Wednesdays) up to `until`, confirming all but the last
        fortnight, and hold the first `reviews_held` reviews as they fall due."""
        day, n = self.a.start_date + timedelta(days=2), 0
        while day < until:
            if n % every == 0:
                minutes = int(hours_a_week * every * 60)
                start = time(9, 0)
                end_minutes = min(9 * 60 + minutes, 23 * 60 + 59)
                entry = off_the_job.log(
                    self.apprentice,
                    self.a,
                    off_the_job.EntryDetails(
                        day=day,
                        activity=ACTIVITIES[n % len(ACTIVITIES)],
                        description=WHAT[ACTIVITIES[n % len(ACTIVITIES)]],
                        starts_at=start,
                        ends_at=time(end_minutes // 60, end_minutes % 60),
                    ),
                    self.today,
                )
                if day < self.today - timedelta(days=14):
                    off_the_job.confirm(self.assessor, self.a, entry, None)
            if len([r for r in reviews.reviews_of(self.a) if r.is_locked]) < reviews_held:
                self.hold_reviews_due_by(day, overdue_action=overdue_action)
            day, n = day + timedelta(weeks=1), n + 1

    def hold_reviews_due_by(self, day: date, *, overdue_action: bool = False) -> None:
        review = reviews.reviews_of(self.a)[-1]
        if review.is_locked or review.due_date > day + timedelta(days=2):
            return
        held = min(review.due_date - timedelta(days=2), self.today)
        position = off_the_job.position_of(self.a, held)
        reviews.record(
            self.assessor,
            review,
            reviews.ReviewRecord(
                held_on=held,
                progress=f"Review {review.number}: steady progress on the modules this term; workplace project on track.",
                wellbeing="No support needs raised.",
            ),
            position,
            held,
        )
        outcomes = self.a.programme.outcomes
        for party, person, lift in (
            (Party.APPRENTICE, self.apprentice, 0),
            (Party.EMPLOYER, self.employer, 1),
            (Party.PROVIDER, self.assessor, 0),
        ):
            scores = {o.id: min(5, 1 + review.number + lift + (i % 2)) for i, o in enumerate(outcomes)}
            reviews.rate(person, review, party, {party}, scores)
        due = held + timedelta(days=14 if overdue_action else 42)
        action = reviews.add_action(
            self.assessor, review, "Book the next block of study leave with the line manager", "employer", due, held
        )
        if not overdue_action:
            reviews.complete_action(self.employer, action, self.a)
        for party, person in (
            (Party.PROVIDER, self.assessor),
            (Party.APPRENTICE, self.apprentice),
            (Party.EMPLOYER, self.employer),
        ):
            reviews.sign(person, review, party, {party}, held)

    def module_result(self, code: str, result: str, weeks_in: int) -> None:
        module = next(m for m in self.a.programme.modules if m.micro_credential.code == code)
        plans.record_module_result(
            self.coordinator.user, self.a, module.id, result, self.a.start_date + timedelta(weeks=weeks_in), self.today
        )


def _on_track(s: Story) -> None:
    module = next(m for m in s.a.programme.modules if m.micro_credential.code == "UC-DATA706")
    plans.recognise_prior_learning(
        s.coordinator.user,
        s.a,
        outcome_id=None,
        module_id=module.id,
        reason="Already passed an SCQF level 8 database module at Forthside College in 2024",
        evidence="Introduction to Databases and SQL: Open Badge issued by Forthside College",
    )
    s.start()
    s.weeks(s.today, 7.6)
    s.module_result("UC-DATA701", "passed", 14)
    evidence.add(s, "Sales forecast model for the parts store", ["LO1", "LO2"], state="signed_off", days_ago=60)
    evidence.add(s, "Board briefing on vessel downtime", ["LO3"], state="signed_off", days_ago=40)
    evidence.add(s, "Data protection impact assessment", ["LO4"], state="submitted", days_ago=10)
    evidence.add(
        s,
        "Observed: presenting the dashboard to engineers",
        ["WBLO1"],
        state="submitted",
        by="line_manager",
        kind="witness_testimony",
        days_ago=8,
    )
    evidence.add(
        s, "Reflection on my first data project", ["WBLO2"], state="draft", kind="reflective_account", days_ago=3
    )


def _at_risk(s: Story) -> None:
    # Behind on hours, the one review held left an action that is now overdue, and the next
    # review has just fallen due.
    s.start()
    s.weeks(s.today, 2.4, reviews_held=1, overdue_action=True)
    s.module_result("FC-QHS401", "passed", 6)
    evidence.add(s, "Planned maintenance of the bilge pumps", ["S1", "S3"], state="signed_off", days_ago=70)
    evidence.add(
        s,
        "Fault-finding on the steering gear",
        ["S2"],
        state="returned",
        days_ago=20,
        feedback="Good start. Add the readings you took and how they led you to the fault.",
    )
    evidence.add(s, "Toolbox talk on safe isolation", ["K2", "B1"], state="resubmitted", days_ago=12)


def _off_track(s: Story) -> None:
    s.start()
    s.weeks(s.today, 1.5, every=2, reviews_held=0)


def _break(s: Story) -> None:
    s.start()
    pause_on = s.a.start_date + timedelta(weeks=11)
    s.weeks(pause_on, 6.0, reviews_held=0)
    lifecycle.change(
        s.coordinator.user,
        s.a,
        "pause",
        reason="Caring responsibilities for a family member; Sophie plans to return in the spring.",
        on=pause_on,
        today=s.today,
    )


def _ready_for_gateway(s: Story) -> None:
    # Everything the gateway checklist asks for: hours, reviews, modules and every KSB.
    s.start()
    s.weeks(s.today, 2.0)
    for code in ("FC-DIG103", "FC-DIG104"):
        s.module_result(code, "passed", 30)
    evidence.complete_portfolio(s)


def _planned(s: Story) -> None:
    s.accept(Party.APPRENTICE)


def _withdrawn(s: Story) -> None:
    s.start()
    s.weeks(s.a.start_date + timedelta(weeks=5), 3.0, reviews_held=0)
    lifecycle.change(
        s.coordinator.user,
        s.a,
        "withdraw",
        reason="Left Kelvin Marine for an offshore job; employer and provider agreed.",
        today=s.today,
    )


STORIES = {
    "on_track": _on_track,
    "at_risk": _at_risk,
    "off_track": _off_track,
    "break": _break,
    "planned": _planned,
    "ready_for_gateway": _ready_for_gateway,
    "withdrawn": _withdrawn,
}
