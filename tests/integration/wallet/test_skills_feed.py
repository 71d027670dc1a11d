"""A verified import that names its holder, of a hub micro-credential signed by its own provider,
counts in the holder's skills profile at every employer they work for, labelled, until it stops
verifying or is removed."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.extensions import db
from app.models import HeldCredential, Membership, WalletCredential
from app.services import issuing
from tests.factories.accounts import MembershipFactory, OrganisationFactory, member
from tests.factories.issuing import award, provider_with_record
from tests.factories.verification import issued_badge


def _import(client, text):
    return client.post(
        "/wallet/import",
        data={"credential_text": text, "credential_url": ""},
        content_type="multipart/form-data",
    )


def _held(user) -> list[HeldCredential]:
    return db.session.scalars(select(HeldCredential).where(HeldCredential.user_id == user.id)).all()


def test_a_verified_hub_badge_counts_for_each_employer_until_it_is_revoked(app, client, login):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, email="isla@learner.example", notify=False)
    employer, second = OrganisationFactory(name="Forth Ferries"), OrganisationFactory(name="Tay Boats")
    learner = member(employer, "learner", email="isla@learner.example")  # joins after the award
    MembershipFactory(organisation=second, roles=["learner"], user=learner)
    hr = member(employer, "hr_manager")
    db.session.commit()
    assert _held(learner) == []

    login(learner)
    assert _import(client, issued.credential_jwt).status_code == 303
    [entry] = db.session.scalars(select(WalletCredential)).all()
    held = _held(learner)
    assert sorted(h.organisation_id for h in held) == sorted([employer.id, second.id])
    assert {(h.micro_credential_id, h.source_label) for h in held} == {
        (record.id, "Verified badge the holder imported")
    }

    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == learner.id, Membership.organisation_id == employer.id)
    )
    hr_client = login(hr, c=app.test_client())
    page = hr_client.get(f"/roles/people/{membership.id}").get_data(as_text=True)
    held_section = page[page.index("Micro-credentials held") :]
    assert record.title in held_section and "Verified badge the holder imported" in held_section

    issuing.revoke(coordinator, issued, "Issued in error")
    db.session.commit()
    assert client.post(f"/wallet/imported/{entry.id}/recheck").status_code == 303
    assert entry.verdict == "revoked" and _held(learner) == []


def test_a_badge_from_elsewhere_is_kept_but_does_not_touch_the_profile(client, login):
    learner = member(OrganisationFactory(), "learner", email="ann.learner@example.org")
    login(learner)
    assert _import(client, json.dumps(issued_badge(learner.email))).status_code == 303
    assert db.session.scalar(select(WalletCredential.verdict)) == "valid"
    assert _held(learner) == []


def test_removing_an_import_removes_what_it_added(client, login):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, email="isla@learner.example", notify=False)
    learner = member(OrganisationFactory(), "learner", email="isla@learner.example")
    db.session.commit()
    login(learner)
    _import(client, issued.credential_text)
    [entry] = db.session.scalars(select(WalletCredential)).all()
    assert len(_held(learner)) == 1
    assert client.post(f"/wallet/imported/{entry.id}/remove").status_code == 303
    assert _held(learner) == []


def test_a_badge_from_elsewhere_feeds_the_profile_through_its_esco_skills(app, client, login):
    from app.models import JobRole, JobRoleSkill
    from app.services.skills import job_roles
    from tests.factories.recruitment import spreadsheets

    employer = OrganisationFactory(name="Forth Ferries")
    learner = member(employer, "learner", email="ann.learner@example.org")
    hr = member(employer, "hr_manager")
    role = JobRole(organisation_id=employer.id, title="Ferry Planner")
    db.session.add(role)
    db.session.flush()
    db.session.add(JobRoleSkill(job_role_id=role.id, skill_id=spreadsheets().id, target_level=2))
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == learner.id, Membership.organisation_id == employer.id)
    )
    job_roles.assign_role(hr, membership, role)
    db.session.commit()

    login(learner)
    assert _import(client, json.dumps(issued_badge(learner.email))).status_code == 303
    [entry] = db.session.scalars(select(WalletCredential)).all()
    from app.models import WalletCredentialSkill

    claims = db.session.scalars(
        select(WalletCredentialSkill).where(WalletCredentialSkill.wallet_credential_id == entry.id)
    )
    assert [(c.skill_id, c.level) for c in claims] == [(spreadsheets().id, 2)]  # SCQF 7 gives level 2
    assert _held(learner) == []  # not a hub record: no employer record is made
    hr_client = login(hr, c=app.test_client())
    page = hr_client.get(f"/roles/people/{membership.id}").get_data(as_text=True)
    assert "level 2 from Data Analysis with Python (verified badge the holder imported)" in page

    # A badge naming someone else feeds nothing
    entry.recipient_match = False
    db.session.commit()
    page = hr_client.get(f"/roles/people/{membership.id}").get_data(as_text=True)
    assert "verified badge the holder imported" not in page
