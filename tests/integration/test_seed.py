"""`flask seed demo`: the demo landscape loads, loads again without duplicates, and its people
can sign in with the documented password."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.extensions import db
from app.models import Membership, Organisation, Partnership, Role, RoleGrant, User
from seeds import DEMO_PASSWORD, SEEDS_DIR


def counts() -> dict:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name != "audit_events"
    }


def seed(app):
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_seed_twice_is_idempotent_and_prints_the_logins(app):
    output = seed(app)
    first = counts()
    assert first["organisations"] >= 5 and first["users"] >= 10
    again = seed(app)
    assert counts() == first
    for text in (output, again):
        assert f"Demo sign-ins (password for all: {DEMO_PASSWORD})" in text
        assert "aileen.macleod@kelvinmarine.example" in text
        assert "/login" in text


def test_demo_has_every_role_and_a_scottish_landscape(app, client):
    seed(app)
    held = set(db.session.scalars(select(RoleGrant.role).distinct()))
    assert held >= {role.value for role in Role}, f"roles missing from the demo: {set(Role) - held}"
    kinds = dict(db.session.execute(select(Organisation.kind, func.count()).group_by(Organisation.kind)).all())
    assert kinds.get("employer", 0) >= 2 and kinds.get("provider", 0) >= 2 and kinds.get("platform", 0) == 1
    assert db.session.scalar(select(func.count()).select_from(Partnership)) >= 2
    names = set(db.session.scalars(select(Organisation.name)))
    assert {
        "Kelvin Marine Engineering Ltd",
        "Tay Valley Health Board",
        "Forthside College",
        "University of Caledonia",
    } <= names

    # Every person in the demo file is there with their roles ...
    people = json.loads((SEEDS_DIR / "demo" / "organisations.json").read_text())["people"]
    for person in people:
        user = db.session.scalar(select(User).where(User.email == person["email"]))
        assert user is not None, person["email"]
        for m in person["memberships"]:
            membership = db.session.scalar(
                select(Membership)
                .join(Organisation)
                .where(Membership.user_id == user.id, Organisation.slug == m["org"])
            )
            assert membership is not None and set(m["roles"]) <= membership.roles, (person["email"], m)

    # ... and signs in with the documented password.
    response = client.post("/login", data={"email": "aileen.macleod@kelvinmarine.example", "password": DEMO_PASSWORD})
    assert response.status_code == 303
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Hello, Aileen MacLeod" in page
    assert "Kelvin Marine Engineering Ltd" in page


def test_demo_hub_has_quality_assured_records_and_a_review_waiting(app, client):
    from app.models import QualityReview

    seed(app)
    page = client.get("/hub?qa=assured").get_data(as_text=True)
    assert "Spreadsheets for Data Handling" not in page  # waiting for review, not yet assured
    assert "2D CAD for Engineering Drawings" in page and "Data Analysis with Python" in page
    statuses = dict(db.session.execute(select(QualityReview.status, func.count()).group_by(QualityReview.status)).all())
    assert statuses.get("approved", 0) == 2 and statuses.get("submitted", 0) == 1


def test_demo_has_a_vacancy_whose_candidates_badges_were_really_checked(app):
    from app.models import Candidate, CandidateBadge, Vacancy

    seed(app)
    vacancy = db.session.scalar(select(Vacancy))
    assert vacancy.title == "CAD Technician (Govan yard)"
    people = {c.name: c for c in db.session.scalars(select(Candidate).where(Candidate.vacancy_id == vacancy.id))}
    assert set(people) == {"Morag Campbell", "Duncan Fraser", "Eilidh Grant"}

    def verdicts(c):
        return sorted(db.session.scalars(select(CandidateBadge.verdict).where(CandidateBadge.candidate_id == c.id)))

    assert verdicts(people["Morag Campbell"]) == ["valid", "valid"] and people["Morag Campbell"].skills_met >= 1
    assert verdicts(people["Duncan Fraser"]) == ["invalid"] and people["Duncan Fraser"].skills_met == 0
    assert people["Morag Campbell"].status == "shortlisted"
