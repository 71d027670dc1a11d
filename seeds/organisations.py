"""Demo organisations, people in every role, and partnerships (seeds/demo/organisations.json)."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.extensions import db
from app.models import Membership, Organisation, Partnership, User, utcnow
from app.security.passwords import hash_password
from app.services.accounts.organisations import join
from seeds import DEMO_PASSWORD, SEEDS_DIR


def load(log=print) -> None:
    data = json.loads((SEEDS_DIR / "demo" / "organisations.json").read_text())
    orgs: dict[str, Organisation] = {}
    for item in data["organisations"]:
        org = db.session.scalar(select(Organisation).where(Organisation.slug == item["slug"]))
        if org is None:
            org = Organisation(slug=item["slug"], name=item["name"], kind=item["kind"])
            db.session.add(org)
        org.email_domain = item.get("email_domain")
        org.website = item.get("website")
        org.quality_assured = item.get("quality_assured", org.quality_assured)
        orgs[item["slug"]] = org
    db.session.flush()

    password_hash = None
    users: dict[str, User] = {}
    for person in data["people"]:
        user = db.session.scalar(select(User).where(User.email == person["email"]))
        if user is None:
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            user = User(email=person["email"], name=person["name"], password_hash=password_hash)
            db.session.add(user)
            db.session.flush()
        users[user.email] = user
        for m in person["memberships"]:
            membership = join(user, orgs[m["org"]], m["roles"], department=m.get("department"))
            membership.job_title = m.get("job_title", membership.job_title)
    db.session.flush()
    for person in data["people"]:
        for m in person["memberships"]:
            if "line_manager" not in m:
                continue
            org = orgs[m["org"]]
            mine = _membership(users[person["email"]], org)
            mine.line_manager_id = _membership(users[m["line_manager"]], org).id

    for item in data["partnerships"]:
        employer, provider = orgs[item["employer"]], orgs[item["provider"]]
        found = db.session.scalar(
            select(Partnership).where(Partnership.employer_id == employer.id, Partnership.provider_id == provider.id)
        )
        if found is None:
            db.session.add(
                Partnership(
                    employer_id=employer.id,
                    provider_id=provider.id,
                    status=item["status"],
                    requested_by_org_id=orgs[item["requested_by"]].id,
                    responded_at=utcnow() if item["status"] != "requested" else None,
                )
            )
    db.session.flush()
    log(f"Organisations: {len(orgs)}, people: {len(users)}, partnerships: {len(data['partnerships'])}")


def _membership(user: User, org: Organisation) -> Membership:
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == org.id)
    )
