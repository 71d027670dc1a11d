"""`flask seed scale`: a large employer beside the demo, for trying Credwork at the size of a
health board and for `make bench`. Bulk inserts, not the services, so 10,000 people take seconds;
the few records with workflows of their own (the programme, the cohort) go through the services.

What it makes (sizes are options):

* Strathmore Health Board (employer): `staff` people in 12 departments, a line-management chain
  (one line manager per 20 people, each reporting to a head of department), 40 job roles with
  required skills and target levels, every person in a role, assessed skills for one in four;
* Strathmore College (provider, in partnership with it): `hub_records` published
  micro-credentials with ESCO skills on the hub (search index rebuilt), a published programme
  and a cohort of `apprentices` apprentices from the board;
* `credentials` held credentials (micro-credentials the staff hold, recorded for the board),
  which the skills profiles, gaps and pathways read;
* three years of use (seeds/scale_activity.py): `cpd_requests` CPD requests with budgets and a
  fund that add up, `issued` Open Badges the college signed for the board's staff, and
  `verifications` in the history of the board's recruiter.

It is idempotent: a second run finds the board and adds nothing. It prints the sign-ins of the
board's HR manager, org admin and recruiter (the demo password).
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text, update

from app.extensions import db
from app.models import (
    AssessedSkill,
    HeldCredential,
    JobRole,
    JobRoleSkill,
    Membership,
    MicroCredential,
    Organisation,
    Partnership,
    Role,
    RoleGrant,
    Skill,
    User,
)
from app.models.catalogue import micro_credential_skills
from app.security.passwords import hash_password
from seeds import DEMO_PASSWORD

EMPLOYER_SLUG = "strathmore-health-board"
PROVIDER_SLUG = "strathmore-college"
HR_EMAIL = "hr@strathmore-health.example"
ADMIN_EMAIL = "admin@strathmore-health.example"
RECRUITER_EMAIL = "recruiter@strathmore-health.example"
DEPARTMENTS = [
    "Acute Medicine", "Surgery", "Theatres", "Emergency Care", "Mental Health", "Community Nursing",
    "Pharmacy", "Radiology", "Estates", "Digital Services", "Finance", "Human Resources",
]  # fmt: skip
FIRST = [
    "Aileen",
    "Calum",
    "Eilidh",
    "Fraser",
    "Isla",
    "Jamie",
    "Kirsty",
    "Lewis",
    "Morag",
    "Niall",
    "Rhona",
    "Ruaridh",
]
LAST = ["Campbell", "Fraser", "Grant", "MacDonald", "MacLeod", "Murray", "Reid", "Robertson", "Ross", "Stewart"]
SUBJECTS = [
    "Infection Control", "Clinical Coding", "Data Analysis", "Leadership", "Health and Safety", "Digital Records",
    "Medicines Management", "Project Management", "Customer Care", "Cyber Security", "Quality Improvement",
    "Coaching", "Dementia Care", "Estates Maintenance", "Procurement",
]  # fmt: skip
QUALIFIERS = ["Introduction to", "Advanced", "Practical", "Foundations of", "Applied", "Professional", ""]
CHUNK = 2000


def _chunks(rows: list[dict], size: int = CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _bulk(model_or_table, rows: list[dict]) -> None:
    target = model_or_table if hasattr(model_or_table, "insert") and not hasattr(model_or_table, "__table__") else None
    for part in _chunks(rows):
        db.session.execute(target.insert() if target is not None else insert(model_or_table), part)


def load_scale(
    staff: int = 10_000,
    apprentices: int = 1_000,
    credentials: int = 100_000,
    hub_records: int = 10_000,
    cpd_requests: int | None = None,
    issued: int = 10_000,
    verifications: int = 10_000,
    log=print,
) -> bool:
    """Make the scale tenant; False (and nothing added) when it is already there."""
    if db.session.scalar(select(Organisation.id).where(Organisation.slug == EMPLOYER_SLUG)):
        log("The scale tenant (Strathmore Health Board) is already loaded: nothing added.")
        return False
    started = time.perf_counter()
    rng = random.Random(2026)
    now = datetime.now(UTC)
    board = Organisation(name="Strathmore Health Board", slug=EMPLOYER_SLUG, kind="employer")
    college = Organisation(name="Strathmore College", slug=PROVIDER_SLUG, kind="provider")
    db.session.add_all([board, college])
    db.session.flush()
    db.session.add(
        Partnership(employer_id=board.id, provider_id=college.id, status="active", requested_by_org_id=board.id)
    )

    skills = list(db.session.scalars(select(Skill.id).order_by(Skill.id).limit(400)))
    if len(skills) < 20:
        raise RuntimeError("Load the demo first (flask seed demo): the scale data uses its ESCO skills.")

    # People: two named accounts, then everyone else.
    password = hash_password(DEMO_PASSWORD)
    people: list[dict[str, Any]] = [
        {"email": HR_EMAIL, "name": "Heather Rennie", "password_hash": password},
        {"email": ADMIN_EMAIL, "name": "Alasdair Inglis", "password_hash": password},
    ]
    people += [
        {
            "email": f"staff{n:05d}@strathmore-health.example",
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {n:05d}",
            "password_hash": password,
        }
        for n in range(staff)
    ]
    for row in people:
        row["created_at"] = now
    _bulk(User, people)
    user_ids = dict(
        db.session.execute(select(User.email, User.id).where(User.email.like("%@strathmore-health.example"))).all()
    )

    # Job roles, each with five required skills.
    roles = [
        JobRole(organisation_id=board.id, title=f"{DEPARTMENTS[i % len(DEPARTMENTS)]} role {i + 1}",
                department=DEPARTMENTS[i % len(DEPARTMENTS)])
        for i in range(40)
    ]  # fmt: skip
    db.session.add_all(roles)
    db.session.flush()
    _bulk(
        JobRoleSkill,
        [
            {"job_role_id": r.id, "skill_id": s, "target_level": rng.randint(1, 4)}
            for r in roles
            for s in rng.sample(skills, 5)
        ],
    )
    roles_by_department: dict[str, list[int]] = {}
    for r in roles:
        roles_by_department.setdefault(r.department or "", []).append(r.id)

    # Memberships: heads of department, line managers (1 per 20), everyone else.
    emails = [p["email"] for p in people]
    staff_emails = emails[2:]
    heads = staff_emails[: len(DEPARTMENTS)]
    managers = staff_emails[len(DEPARTMENTS) : len(DEPARTMENTS) + max(1, staff // 20)]
    department_of = {e: DEPARTMENTS[i % len(DEPARTMENTS)] for i, e in enumerate(staff_emails)}
    memberships = [
        {"user_id": user_ids[e], "organisation_id": board.id, "status": "active", "created_at": now,
         "department": department_of.get(e, "Human Resources"),
         "job_role_id": rng.choice(roles_by_department[department_of[e]]) if e in department_of else None}
        for e in emails
    ]  # fmt: skip
    _bulk(Membership, memberships)
    member_ids = dict(
        db.session.execute(
            select(User.email, Membership.id)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id == board.id)
        ).all()
    )
    head_of = {DEPARTMENTS[i]: member_ids[e] for i, e in enumerate(heads)}
    managers_of: dict[str, list[int]] = {}
    for e in managers:
        managers_of.setdefault(department_of[e], []).append(member_ids[e])
    chain = []
    for e in staff_emails:
        if e in heads:
            continue
        department = department_of[e]
        boss = (
            head_of[department] if e in managers else rng.choice(managers_of.get(department) or [head_of[department]])
        )
        chain.append({"id": member_ids[e], "line_manager_id": boss})
    for part in _chunks(chain):
        db.session.execute(update(Membership), part)
    grants = [{"membership_id": member_ids[e], "role": "learner", "created_at": now} for e in staff_emails]
    grants += [{"membership_id": member_ids[e], "role": "line_manager", "created_at": now} for e in heads + managers]
    grants += [
        {"membership_id": member_ids[HR_EMAIL], "role": "hr_manager", "created_at": now},
        {"membership_id": member_ids[ADMIN_EMAIL], "role": "org_admin", "created_at": now},
    ]
    _bulk(RoleGrant, grants)
    log(f"  {len(people):,} people, {len(roles)} job roles, line management in {len(DEPARTMENTS)} departments")

    # The provider's hub records with their skills.
    records = []
    for n in range(hub_records):
        subject = rng.choice(SUBJECTS)
        credits = rng.choice([None, 5, 10, 15, 20])
        records.append(
            {"provider_id": college.id, "code": f"SC-{n:05d}", "version": 1, "status": "published",
             "title": " ".join(p for p in (rng.choice(QUALIFIERS), subject) if p) + f" {n:05d}",
             "summary": f"Builds practical {subject.lower()} skills for work in health and care.",
             "learning_outcomes": [f"Apply {subject.lower()} in the workplace"], "scqf_level": rng.randint(5, 10),
             "scqf_credits": credits, "notional_hours": (credits or 2) * 10, "mode": rng.choice(["online", "blended"]),
             "price_pence": rng.randint(50, 1500) * 100, "funding": [], "start_dates": [], "assessment_type": "Project",
             "qa_type": "credit-rated" if credits else "internal", "stackable_into": [], "language": "en",
             "country": "GB-SCT", "published_at": now, "created_at": now, "search_text": subject}
        )  # fmt: skip
    _bulk(MicroCredential, records)
    record_ids = list(db.session.scalars(select(MicroCredential.id).where(MicroCredential.provider_id == college.id)))
    _bulk(
        micro_credential_skills,
        [{"micro_credential_id": r, "skill_id": s} for r in record_ids for s in rng.sample(skills, 3)],
    )
    from app.services.catalogue.search_index import rebuild_search_index

    rebuild_search_index()
    log(f"  {len(record_ids):,} published micro-credentials on the hub")

    # Held credentials and assessed skills.
    staff_members = [member_ids[e] for e in staff_emails]
    member_users = {member_ids[e]: user_ids[e] for e in staff_emails}
    today = date.today()
    held = [
        {"user_id": member_users[m], "organisation_id": board.id, "micro_credential_id": rng.choice(record_ids),
         "achieved_on": today - timedelta(days=rng.randint(0, 3 * 365)), "source": "recorded", "created_at": now}
        for m in (rng.choice(staff_members) for _ in range(credentials))
    ]  # fmt: skip
    _bulk(HeldCredential, held)
    _bulk(
        AssessedSkill,
        [
            {"membership_id": m, "skill_id": rng.choice(skills), "level": rng.randint(1, 4),
             "assessed_on": today - timedelta(days=rng.randint(0, 700))}
            for m in staff_members[::4]
        ],
    )  # fmt: skip
    log(f"  {len(held):,} held credentials, {len(staff_members[::4]):,} assessed skills")

    if apprentices:
        _apprentices(board, college, record_ids[:3], apprentices, member_ids[HR_EMAIL], today)
        log(f"  {apprentices:,} apprentices in one cohort")
    _activity(board, college, staff, cpd_requests, issued, verifications, user_ids[HR_EMAIL], today, rng, log)
    db.session.flush()
    db.session.execute(text("ANALYZE"))  # fresh statistics for the query planner after bulk loading
    log(f"Scale tenant loaded in {time.perf_counter() - started:.1f} s")
    return True


def _activity(board, college, staff, cpd_requests, issued, verifications, hr_user_id, today, rng, log) -> None:
    from seeds import scale_activity as activity

    people = activity.staff_of(board, staff)
    if not people:
        return
    asked = staff if cpd_requests is None else cpd_requests
    made = activity.add_cpd(board, college, people, hr_user_id, asked, today, rng)
    log(f"  {made:,} CPD requests over three financial years")
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@strathmore-college.example"))
    if coordinator is None:
        coordinator = _provider_person(
            college, "Catriona Coordinator", "coordinator@strathmore-college.example", Role.PROVIDER_COORDINATOR
        ).user
    if issued:
        started = time.perf_counter()
        made = activity.add_issued(college, people, coordinator, issued, today, rng)
        log(f"  {made:,} Open Badges issued by the college, signed in {time.perf_counter() - started:.0f} s")
    recruiter = activity.recruiter_of(board, RECRUITER_EMAIL)
    if issued and verifications:
        made = activity.add_verifications(board, recruiter, college, verifications, today, rng)
        log(f"  {made:,} verifications in the recruiter's history")


def _apprentices(board, college, modules: list[int], count: int, hr_membership_id: int, today: date) -> None:
    from app.services.apprenticeships import cohorts, programmes
    from seeds.apprenticeship_scale import add_apprentices

    coordinator = _provider_person(
        college, "Catriona Coordinator", "coordinator@strathmore-college.example", Role.PROVIDER_COORDINATOR
    )
    assessor = _provider_person(college, "Angus Assessor", "assessor@strathmore-college.example", Role.ASSESSOR)
    details = programmes.ProgrammeDetails(
        type="modern_apprenticeship", title="Modern Apprenticeship in Healthcare Support", duration_months=24,
        otj_basis="percent", otj_percent=20, scqf_level=6, scqf_credits=120,
    )  # fmt: skip
    made = programmes.create(
        coordinator.user,
        college,
        details,
        "K1 Understands person-centred care\nS1 Records care accurately\nB1 Works safely",
    )
    for record_id in modules:
        programmes.add_module(coordinator.user, made, record_id)
    programmes.publish(coordinator.user, made)
    cohort = cohorts.create_cohort(
        coordinator.user, college, made, "Healthcare Support, scale cohort", today - timedelta(days=60), coordinator
    )
    cohorts.set_team(coordinator.user, cohort, coordinator.id, [assessor.id])
    line_manager = db.session.get(Membership, hr_membership_id)
    assert line_manager is not None
    add_apprentices(cohort, board.id, line_manager, assessor, count, today=today, label="strathmore")
    from app.services.apprenticeships import progress

    progress.refresh_running(today)  # rows inserted in bulk: their kept status is worked out here


def _provider_person(college, name: str, email: str, role) -> Membership:
    user = User(name=name, email=email, password_hash=hash_password(DEMO_PASSWORD))
    db.session.add(user)
    db.session.flush()
    membership = Membership(user_id=user.id, organisation_id=college.id, status="active")
    db.session.add(membership)
    db.session.flush()
    db.session.add(RoleGrant(membership_id=membership.id, role=role.value))
    db.session.flush()
    return membership


def counts() -> dict[str, int]:
    """How big the scale tenant is (for the command's summary and the tests)."""
    board = db.session.scalar(select(Organisation.id).where(Organisation.slug == EMPLOYER_SLUG))
    return {
        "people": db.session.scalar(select(func.count(Membership.id)).where(Membership.organisation_id == board)) or 0,
        "held": db.session.scalar(select(func.count(HeldCredential.id)).where(HeldCredential.organisation_id == board))
        or 0,
    }
