"""The demo loader builds the job roles, employees and gaps the demo relies on, idempotently."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import HeldCredential, Membership, User
from app.models.job_roles import AssessedSkill, JobRole, JobRoleMicroCredential, JobRoleSkill
from app.security.passwords import verify_password
from app.services.skills import gaps, pathways
from app.services.skills.gaps import GapState
from seeds import DEMO_PASSWORD, load_demo


def counts() -> tuple:
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (JobRole, JobRoleSkill, JobRoleMicroCredential, HeldCredential, AssessedSkill, User, Membership)
    )


def person(email: str) -> Membership:
    return db.session.scalar(select(Membership).join(User, Membership.user_id == User.id).where(User.email == email))


def test_demo_job_roles_load_once_and_make_meaningful_gaps():
    load_demo(log=lambda *_: None)
    first = counts()
    load_demo(log=lambda *_: None)
    assert counts() == first
    roles, _, mapped, held, assessed, _, _ = first
    assert roles == 22 and mapped > 40 and held >= 20 and assessed >= 30

    gillian = person("gillian.reid@tayvalleyhealth.example")
    found = gaps.person_gaps(gillian.organisation, gillian)
    infection = next(g for g in found.gaps if g.skill.label == "infection control")
    assert (infection.state, infection.level, infection.target) == (GapState.PARTLY, 3, 4)
    assert gillian.line_manager.user.email == "kirsty.paterson@tayvalleyhealth.example"
    assert verify_password(gillian.user.password_hash, DEMO_PASSWORD)

    kirsty = person("kirsty.douglas@kelvinmarine.example")
    assert len(gaps.person_gaps(kirsty.organisation, kirsty).to_learn) >= 4

    lewis = person("lewis.paterson@tayvalleyhealth.example")
    pathway = pathways.suggest_pathway(lewis.organisation, gaps.person_gaps(lewis.organisation, lewis))
    assert "manage IT security compliances" in [s.label for s in pathway.uncovered]
    assert pathway.records and pathway.total_pence > 0

    for email in (
        "callum.reid@kelvinmarine.example",
        "priya.shah@kelvinmarine.example",
        "amy.wilson@tayvalleyhealth.example",
    ):
        m = person(email)
        assert m.job_role_id is not None
        assert gaps.person_gaps(m.organisation, m).to_learn, f"{email} should have something to learn"
