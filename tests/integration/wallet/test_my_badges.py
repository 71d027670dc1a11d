"""My badges: a person imports badges (file, pasted JSON/JWT), each verified on arrival; sees every
credential they hold once, with all its sources; checks an import again; removes it."""

from __future__ import annotations

import io
import json
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, HeldCredential, WalletCredential
from app.models.held_credentials import HeldCredentialSource
from app.services import issuing, wallet
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.issuing import award, provider_with_record
from tests.factories.verification import baked_png, issued_badge, issued_jwt
from tests.factories.wallet import wallet_entry
from tests.support.queries import counting


def _import(client, **fields):
    data = {"credential_text": "", "credential_url": "", **fields}
    return client.post("/wallet/import", data=data, content_type="multipart/form-data")


def _entries(user) -> list[WalletCredential]:
    return db.session.scalars(select(WalletCredential).where(WalletCredential.user_id == user.id)).all()


def _actions(user) -> list[str]:
    return db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user.id)).all()


def test_a_learner_imports_a_baked_badge_and_sees_it_verified_in_their_wallet(client, login):
    learner = member(OrganisationFactory(), "learner", email="ann.learner@example.org")
    login(learner)
    response = _import(client, credential_file=(io.BytesIO(baked_png(learner.email)), "badge.png"))
    assert response.status_code == 303
    [entry] = _entries(learner)
    assert response.headers["Location"].endswith(f"/wallet/imported/{entry.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Data Analysis with Python added to your wallet: valid" in page
    assert "Caledonian College" in page and "Yes: it names ann.learner@example.org" in page
    assert "Signature or hosted copy" in page  # every check is listed

    listing = client.get("/wallet/").get_data(as_text=True)
    assert "1 credential" in listing and "Data Analysis with Python" in listing
    assert "Imported from a file" in listing and "Valid" in listing
    assert "wallet.import" in _actions(learner)


def test_the_same_credential_imported_twice_is_one_entry_with_both_sources(client, login):
    learner = member(OrganisationFactory(), "learner", email="ann.learner@example.org")
    badge = json.dumps(issued_badge(learner.email))
    login(learner)
    assert _import(client, credential_text=badge).status_code == 303
    again = _import(client, credential_file=(io.BytesIO(badge.encode()), "badge.json"))
    assert again.status_code == 303
    assert "was already in your wallet" in client.get(again.headers["Location"]).get_data(as_text=True)
    [entry] = _entries(learner)
    assert entry.source_labels == ["Imported from pasted JSON or JWT", "Imported from a file"]
    listing = client.get("/wallet/").get_data(as_text=True)
    assert listing.count("Data Analysis with Python") == 1


def test_a_tampered_badge_is_refused_and_nothing_is_kept(client, login):
    learner = member(OrganisationFactory(), "learner", email="ann.learner@example.org")
    tampered = issued_badge(learner.email)
    tampered["credentialSubject"]["achievement"]["name"] = "Chartered Engineer"
    login(learner)
    response = _import(client, credential_text=json.dumps(tampered))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "This badge was not added to your wallet" in page
    assert _entries(learner) == []
    assert "wallet.import" not in _actions(learner)


def test_bad_input_gets_a_clear_message_and_never_a_500(client, login):
    learner = member(OrganisationFactory(), "learner")
    login(learner)
    for fields, message in (
        ({}, "Upload a badge file, paste the badge, or give its web address"),
        ({"credential_text": "hello there"}, "That is not a badge"),
        ({"credential_file": (io.BytesIO(b"\x00\x01garbage"), "x.png")}, "was not added to your wallet"),
        ({"credential_url": "ftp://example.org/badge"}, "starting with https://"),
    ):
        response = _import(client, **fields)
        assert response.status_code == 422, fields
        assert message in response.get_data(as_text=True), fields
    assert _entries(learner) == []


def test_a_badge_awarded_to_someone_else_is_refused(client, login):
    learner = member(OrganisationFactory(), "learner", email="ann.learner@example.org")
    login(learner)
    response = _import(client, credential_text=issued_jwt("someone.else@example.org"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This badge was not added to your wallet" in page
    assert "not issued to ann.learner@example.org" in page
    assert _entries(learner) == []


def test_a_badge_issued_here_recorded_by_hr_and_imported_shows_once_with_every_source(client, login):
    employer = OrganisationFactory(name="Kelvin Test Engineering")
    learner = member(employer, "learner", email="morven@learner.example")
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, name="Morven Learner", email=learner.email, notify=False)
    db.session.add(
        HeldCredential(
            user_id=learner.id,
            organisation_id=employer.id,
            micro_credential_id=record.id,
            achieved_on=date(2026, 1, 5),
            source=HeldCredentialSource.RECORDED,
        )
    )
    db.session.flush()
    login(learner)
    imported = _import(client, credential_text=issued.credential_text)
    assert imported.status_code == 303
    client.get(imported.headers["Location"])  # the page that shows the flashed confirmation
    listing = client.get("/wallet/").get_data(as_text=True)
    assert "1 credential" in listing and listing.count(f">{record.title}</a>") == 1
    for source in (
        "Issued on Credwork",
        "In Kelvin Test Engineering&#39;s records",
        "Recorded by HR (Kelvin Test Engineering)",
        "Imported from pasted JSON or JWT",
    ):
        assert source in listing, source


def test_checking_again_shows_a_revocation_and_the_schedule_does_too(app, client, login):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, email="isla@learner.example", notify=False)
    learner = member(OrganisationFactory(), "learner", email="isla@learner.example")  # joined after the award
    login(learner)
    response = _import(client, credential_text=issued.credential_jwt)
    [entry] = _entries(learner)
    assert entry.verdict == "valid"
    issuing.revoke(coordinator, issued, "Issued in error")
    db.session.commit()
    checked = client.post(f"/wallet/imported/{entry.id}/recheck")
    assert checked.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Checked again just now: revoked." in page and "Revoked" in page
    assert "wallet.recheck" in _actions(learner)

    # The scheduled re-check only takes entries not checked recently, oldest first.
    from datetime import timedelta

    from app.models import utcnow

    assert wallet.recheck_due(10) == 0
    entry.verdict = "valid"
    entry.checked_at = utcnow() - timedelta(days=2)
    db.session.flush()
    assert wallet.recheck_due(10) == 1 and entry.verdict == "revoked"


def test_a_learner_removes_an_import(client, login):
    learner = member(OrganisationFactory(), "learner")
    entry = wallet_entry(learner, name="Old first-aid badge")
    db.session.commit()
    login(learner)
    response = client.post(f"/wallet/imported/{entry.id}/remove")
    assert response.status_code == 303
    assert "Old first-aid badge was removed from your wallet" in client.get("/wallet/").get_data(as_text=True)
    assert _entries(learner) == [] and "wallet.remove" in _actions(learner)


def test_nobody_else_sees_or_touches_an_import(client, login):
    org = OrganisationFactory()
    owner = member(org, "learner")
    hr = member(org, "hr_manager")
    entry = wallet_entry(owner, name="Private badge of the owner")
    db.session.commit()
    login(hr)
    assert client.get(f"/wallet/imported/{entry.id}").status_code == 404
    assert client.post(f"/wallet/imported/{entry.id}/recheck").status_code == 404
    assert client.post(f"/wallet/imported/{entry.id}/remove").status_code == 404
    assert "Private badge of the owner" not in client.get("/wallet/").get_data(as_text=True)
    assert db.session.scalar(select(func.count(WalletCredential.id))) == 1


def test_the_wallet_is_paginated_and_its_queries_do_not_grow(client, login):
    learner = member(OrganisationFactory(), "learner")
    for n in range(3):
        wallet_entry(learner, name=f"Badge {n}")
    db.session.commit()
    login(learner)
    with counting() as few:
        assert client.get("/wallet/").status_code == 200
    for n in range(3, 45):
        wallet_entry(learner, name=f"Badge {n}")
    db.session.commit()
    with counting() as many:
        first = client.get("/wallet/").get_data(as_text=True)
    assert len(many) == len(few)
    assert "45 credentials, page 1 of 3" in first and "Next" in first
    third = client.get("/wallet/?page=3").get_data(as_text=True)
    assert "page 3 of 3" in third and third.count("Caledonian College") == 5


def test_the_recheck_command_checks_stale_imports(app):
    from datetime import timedelta

    from app.models import utcnow

    learner = member(OrganisationFactory(), "learner", email="ann.learner@example.org")
    fresh = wallet_entry(learner, name="Fresh")
    stale = wallet_entry(learner, name="Stale")
    stale.document = json.dumps(issued_badge(learner.email)).encode()
    stale.checked_at = utcnow() - timedelta(days=3)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["wallet", "recheck", "--limit", "10"])
    assert result.exit_code == 0 and "Checked 1 imported badge again." in result.output
    assert stale.verdict == "valid" and stale.achievement_name == "Data Analysis with Python"
    assert fresh.achievement_name == "Fresh"


def test_imports_are_rate_limited_per_person(app, client, login):
    learner = member(OrganisationFactory(), "learner")
    login(learner)
    before = app.config["VERIFY_SIGNED_IN_RATE_LIMIT"]
    app.config["VERIFY_SIGNED_IN_RATE_LIMIT"] = "2 per minute"
    try:
        codes = [_import(client, credential_text="not a badge").status_code for _ in range(3)]
    finally:
        app.config["VERIFY_SIGNED_IN_RATE_LIMIT"] = before
    assert codes == [422, 422, 429]
    assert client.get("/wallet/").status_code == 200  # reading the wallet is never limited
