"""What three years of use leave behind in the scale tenant (part of `flask seed scale`): CPD
requests with their budgets and funding, Open Badges the college issued to the board's staff, and
the board's verification history.

* CPD: a budget per department and a staff development fund for each of three financial years;
  `requests` sponsorships spread over them, older years settled (completed, not completed,
  rejected, withdrawn), this year's at every step (draft to enrolled). What each budget and the
  fund have committed and spent is the sum of their requests, so the money adds up exactly as if
  every request had been decided through the service.
* Issued badges: `issued` OpenBadgeCredentials signed by the college's own key with the engine
  (both proofs, each credential valid on its own), on worker processes in parallel since signing
  is the cost; indexes come from the college's status lists, and one in fifty is revoked (the
  lists are re-published so the revocations show).
* Verifications: the board's recruiter's history, `verifications` rows. A sample of real checks is
  run on issued badges first (valid and revoked); the rest of the history repeats those results
  for other candidates and dates, which is what a history page reads.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert, select, update

from app.extensions import db
from app.models import MicroCredential, Organisation, User
from app.models.badges import IssuedCredential, StatusList
from app.models.cpd import CpdBudget, FundingSource, FundingSourceYear, Sponsorship, SponsorshipEvent
from app.models.verifications import Verification
from app.openbadges import issuing as engine
from app.openbadges.keys import key_pair_from_private_multibase

CHUNK = 2000
SETTLED = ["completed"] * 6 + ["not_completed", "rejected", "withdrawn"]
OPEN = ["draft", "submitted", "submitted", "endorsed", "approved", "enrolled", "enrolled", "completed", "rejected"]
COMMITTED = {"approved", "approved_with_conditions", "enrolled"}


@dataclass
class Staff:
    user_id: int
    name: str
    email: str
    department: str
    manager_user_id: int | None


def _bulk(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start : start + CHUNK])


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=UTC)


# ---- CPD ----------------------------------------------------------------------------------


def add_cpd(
    board: Organisation, college: Organisation, staff: list[Staff], hr_user_id: int, count: int, today: date, rng
) -> int:
    """`count` CPD requests over three financial years, with budgets and a fund that add up."""
    from app.services.cpd.budgets import financial_year_bounds, financial_year_of

    this_year = financial_year_of(today)
    years = [this_year - 2, this_year - 1, this_year]
    fund = FundingSource(organisation_id=board.id, name="Staff development fund", kind="employer")
    db.session.add(fund)
    db.session.flush()
    departments = sorted({s.department for s in staff})
    records = list(
        db.session.execute(
            select(MicroCredential.id, MicroCredential.title, MicroCredential.scqf_level, MicroCredential.scqf_credits)
            .where(MicroCredential.provider_id == college.id, MicroCredential.status == "published")
            .limit(300)
        ).all()
    )
    money: dict[tuple[str, int], list[int]] = {(d, y): [0, 0] for d in departments for y in years}  # committed, spent
    requests, history = [], []
    for n in range(count):
        person = staff[n % len(staff)] if n < len(staff) else rng.choice(staff)
        year = years[n % 3]
        start, end = financial_year_bounds(year)
        asked_on = start + timedelta(days=rng.randint(0, max(1, min((end - start).days, (today - start).days) - 1)))
        status = rng.choice(OPEN if year == this_year else SETTLED)
        record = rng.choice(records)
        cost = rng.choice([0, 150, 250, 400, 600, 900, 1200]) * 100
        committed = cost if status in COMMITTED else 0
        spent = cost if status == "completed" else 0
        money[(person.department, year)][0] += committed
        money[(person.department, year)][1] += spent
        submitted = _moment(asked_on, rng)
        decided = submitted + timedelta(days=rng.randint(2, 20))
        requests.append(
            {"organisation_id": board.id, "person_id": person.user_id, "created_by_id": person.user_id,
             "nominated": False, "department": person.department, "status": status,
             "micro_credential_id": record.id, "title": record.title, "provider_name": college.name,
             "hours": (record.scqf_credits or 2) * 10, "scqf_level": record.scqf_level,
             "scqf_credits": record.scqf_credits, "start_date": asked_on + timedelta(days=30),
             "reason": "To keep my practice current for my role.", "cost_pence": cost,
             "committed_pence": committed, "spent_pence": spent,
             "submitted_at": None if status == "draft" else submitted,
             "endorsed_by_id": person.manager_user_id if status not in ("draft", "submitted") else None,
             "approved_by_id": hr_user_id if committed or spent else None,
             "approved_at": decided if committed or spent else None,
             "completed_on": (decided + timedelta(days=60)).date() if status == "completed" else None,
             "created_at": submitted, "updated_at": decided if status not in ("draft", "submitted") else submitted}
        )  # fmt: skip
    _bulk(Sponsorship, requests)
    budget_ids = {}
    for (department, year), (committed, spent) in money.items():
        budget = CpdBudget(
            organisation_id=board.id,
            department=department,
            financial_year=year,
            allocated_pence=committed + spent + 2_000_000,  # each department keeps £20,000 in hand
            committed_pence=committed,
            spent_pence=spent,
        )
        db.session.add(budget)
        budget_ids[(department, year)] = budget
    for year in years:
        used = [sum(v[i] for (_, y), v in money.items() if y == year) for i in (0, 1)]
        db.session.add(
            FundingSourceYear(
                organisation_id=board.id,
                funding_source_id=fund.id,
                financial_year=year,
                cap_pence=used[0] + used[1] + 10_000_000,
                committed_pence=used[0],
                spent_pence=used[1],
            )
        )
    db.session.flush()
    fund_years = dict(
        db.session.execute(
            select(FundingSourceYear.financial_year, FundingSourceYear.id).where(
                FundingSourceYear.funding_source_id == fund.id
            )
        ).all()
    )
    # Link each request with money to its department's budget and the fund's year; then its history.
    made = db.session.execute(
        select(Sponsorship.id, Sponsorship.department, Sponsorship.status, Sponsorship.submitted_at,
               Sponsorship.approved_at, Sponsorship.person_id, Sponsorship.cost_pence)
        .where(Sponsorship.organisation_id == board.id)
    ).all()  # fmt: skip
    links = []
    for row in made:
        if row.submitted_at is None:
            continue
        year = financial_year_of(row.submitted_at.date())
        if row.approved_at is not None:
            links.append(
                {"id": row.id, "budget_id": budget_ids[(row.department, year)].id, "funding_source_year_id": fund_years[year]}
            )  # fmt: skip
        history.append(
            {"organisation_id": board.id, "sponsorship_id": row.id, "occurred_at": row.submitted_at,
             "actor_id": row.person_id, "action": "submit", "from_status": "draft", "to_status": "submitted"}
        )  # fmt: skip
        if row.status != "submitted":
            history.append(
                {"organisation_id": board.id, "sponsorship_id": row.id,
                 "occurred_at": row.approved_at or row.submitted_at + timedelta(days=3),
                 "actor_id": hr_user_id, "action": "decide", "from_status": "submitted", "to_status": row.status,
                 "amount_pence": row.cost_pence if row.approved_at else None}
            )  # fmt: skip
    for first in range(0, len(links), CHUNK):
        db.session.execute(update(Sponsorship), links[first : first + CHUNK])
    _bulk(SponsorshipEvent, history)
    return len(requests)


# ---- Issued badges -------------------------------------------------------------------------


def _sign(job: tuple[str, str, engine.IssuerProfile, list[tuple[engine.AchievementSpec, engine.Award]]]):
    """On a worker process: sign each award with the engine (both proofs)."""
    private, method, issuer, awards = job
    pair = key_pair_from_private_multibase(private)
    out = []
    for spec, award in awards:
        signed = engine.issue(issuer, spec, award, pair, verification_method=method)
        out.append((json.dumps(signed, ensure_ascii=False), engine.issue_jwt(signed, pair, verification_method=method)))
    return out


def add_issued(college: Organisation, staff: list[Staff], coordinator_user: User, count: int, today: date, rng):
    """`count` badges the college issued to the board's staff over three years, signed for real."""
    from app.services.issuing import awards, issuers, status_lists

    profile = issuers.ensure_profile(coordinator_user, college)
    key = issuers.current_key(profile)
    private = issuers.key_pair(key).private_multibase
    issuer = engine.IssuerProfile(id=profile.did, name=profile.name, url=profile.url)
    records = list(
        db.session.scalars(
            select(MicroCredential)
            .where(MicroCredential.provider_id == college.id)
            .order_by(MicroCredential.id)
            .limit(40)
        )
    )
    specs = {r.id: awards.achievement_spec(r) for r in records}
    planned, awards_to_sign = [], []
    for n in range(count):
        person = staff[n % len(staff)]
        record = rng.choice(records)
        status_list, index = status_lists.allocate(profile)
        public_id = str(uuid.uuid4())
        issued_at = _moment(today - timedelta(days=rng.randint(0, 3 * 365)), rng)
        award = engine.Award(
            recipient_email=person.email,
            recipient_name=person.name,
            valid_from=issued_at,
            credential_id=awards.credential_url(public_id),
            status=engine.StatusEntry(status_lists.url_of(status_list), index),
        )
        awards_to_sign.append((specs[record.id], award))
        planned.append(
            {"public_id": public_id, "organisation_id": college.id, "issuer_profile_id": profile.id,
             "signing_key_id": key.id, "micro_credential_id": record.id, "recipient_name": person.name,
             "recipient_email": person.email, "issued_at": issued_at, "status_list_id": status_list.id,
             "status_index": index, "issued_by_id": coordinator_user.id,
             "user_id": person.user_id if n % 2 == 0 else None,
             "claimed_at": issued_at + timedelta(days=2) if n % 2 == 0 else None,
             "on_profile": n % 4 == 0, "created_at": issued_at,
             "revoked_at": issued_at + timedelta(days=30) if n % 50 == 49 else None,
             "revocation_reason": "Awarded in error" if n % 50 == 49 else None}
        )  # fmt: skip
    workers = max(1, min(4, os.cpu_count() or 1)) if count >= 500 else 1  # small runs (tests) sign here
    size = max(1, -(-len(awards_to_sign) // (workers * 4)))
    jobs = [
        (private, key.verification_method, issuer, awards_to_sign[start : start + size])
        for start in range(0, len(awards_to_sign), size)
    ]
    if workers == 1:
        signed = [pair for job in jobs for pair in _sign(job)]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            signed = [pair for part in pool.map(_sign, jobs) for pair in part]
    for row, (text, jwt) in zip(planned, signed, strict=True):
        row["credential_text"], row["credential_jwt"] = text, jwt
    _bulk(IssuedCredential, planned)
    for status_list in db.session.scalars(select(StatusList).where(StatusList.issuer_profile_id == profile.id)):
        status_lists.publish(status_list)
    return len(planned)


# ---- Verification history ------------------------------------------------------------------


def add_verifications(board: Organisation, recruiter: User, college: Organisation, count: int, today: date, rng):
    """The recruiter's history: real checks of a sample of issued badges, then `count` in all."""
    from app.models.verifications import VerificationSource
    from app.services.verification import run_verification

    sample = list(
        db.session.execute(
            select(IssuedCredential.credential_jwt, IssuedCredential.recipient_email)
            .where(IssuedCredential.organisation_id == college.id)
            .order_by(IssuedCredential.id)
            .limit(100)
        ).all()
    )
    checked = [
        run_verification(
            jwt,
            recipient_email=email,
            source=VerificationSource.PASTE,
            organisation=board,
            actor=recruiter,
            candidate_email=email,
            input_label="Pasted credential",
        )
        for jwt, email in sample  # the 50th and 100th issued badges are revoked
    ]
    db.session.flush()
    rows = []
    for n in range(max(0, count - len(checked))):
        like = checked[n % len(checked)]
        at = _moment(today - timedelta(days=rng.randint(0, 3 * 365)), rng)
        rows.append(
            {"token": secrets.token_urlsafe(32), "organisation_id": board.id, "actor_id": recruiter.id,
             "source": rng.choice(["upload", "paste", "url"]), "verdict": like.verdict, "format": like.format,
             "issuer_id": like.issuer_id, "issuer_name": like.issuer_name, "achievement_name": like.achievement_name,
             "credential_id": like.credential_id, "candidate_email": like.candidate_email,
             "recipient_match": like.recipient_match, "input_label": "Uploaded file", "result": like.result,
             "created_at": at}
        )  # fmt: skip
    _bulk(Verification, rows)
    return len(checked) + len(rows)


def staff_of(board: Organisation, limit: int) -> list[Staff]:
    """The board's staff (learners with a job role), with their department and line manager."""
    from app.models import Membership

    manager = db.aliased(Membership)
    rows = db.session.execute(
        select(User.id, User.name, User.email, Membership.department, manager.user_id)
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(manager, Membership.line_manager_id == manager.id)
        .where(Membership.organisation_id == board.id, Membership.job_role_id.is_not(None))
        .order_by(Membership.id)
        .limit(limit)
    ).all()
    return [Staff(r[0], r[1], r[2], r[3] or "", r[4]) for r in rows]


def recruiter_of(board: Organisation, email: str) -> User:
    """The board's recruiter (made here: a person with the recruiter role)."""
    from app.models import Membership, RoleGrant
    from app.security.passwords import hash_password
    from seeds import DEMO_PASSWORD

    user = User(name="Rona Recruiter", email=email, password_hash=hash_password(DEMO_PASSWORD))
    db.session.add(user)
    db.session.flush()
    membership = Membership(user_id=user.id, organisation_id=board.id, status="active", department="Human Resources")
    db.session.add(membership)
    db.session.flush()
    db.session.add(RoleGrant(membership_id=membership.id, role="recruiter"))
    db.session.flush()
    return user
