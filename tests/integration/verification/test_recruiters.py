"""Recruiters verify candidates' badges: results kept per organisation, history by candidate,
PDF report, tenant isolation and permissions."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.models import AuditEvent
from app.models.verifications import Verification
from app.services.verification.verifier import run_verification
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.verification import CANDIDATE, W3C_RDFC, issued_badge
from tests.support.openbadges import needs_conformance


@pytest.fixture
def org():
    return OrganisationFactory(name="Forth Engineering")


@pytest.fixture
def recruiter(org):
    return member(org, "recruiter", name="Rita Recruiter")


def _new(client, **fields):
    data = {"credential_text": "", "credential_url": "", "recipient_email": ""}
    data.update(fields)
    return client.post("/verifications/new", data=data, content_type="multipart/form-data")


def test_recruiter_verification_is_kept_under_the_candidate_and_audited(client, login, org, recruiter):
    login(recruiter)
    response = _new(client, credential_text=json.dumps(issued_badge()), recipient_email="Ann.Learner@Example.org")
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Valid badge" in html and "ann.learner@example.org" in html
    stored = db.session.query(Verification).filter_by(organisation_id=org.id).one()
    assert stored.candidate_email == CANDIDATE and stored.actor_id == recruiter.id and stored.source == "paste"
    assert stored.recipient_match is True
    event = db.session.query(AuditEvent).filter_by(action="verification.run").one()
    assert event.organisation_id == org.id and event.actor_id == recruiter.id


def test_history_filters_by_candidate_with_htmx_and_without(client, login, org, recruiter):
    for email in ("ann@example.org", "ann@example.org", "bob@example.org"):
        run_verification(
            json.dumps(issued_badge(email, name=f"Badge for {email}")),
            recipient_email=email,
            source="paste",
            organisation=org,
            actor=recruiter,
        )
    login(recruiter)
    page = client.get("/verifications?candidate=bob@example.org")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html.lower()
    assert "Badge for bob@example.org" in html and "Badge for ann@example.org" not in html
    assert 'hx-push-url="true"' in html and 'name="candidate" type="search" value="bob@example.org"' in html
    partial = client.get("/verifications?candidate=ann@example.org", headers={"HX-Request": "true"})
    text = partial.get_data(as_text=True)
    assert "<html" not in text.lower() and text.count("Badge for ann@example.org") == 2
    assert "Badge for bob" not in text and "HX-Request" in partial.headers["Vary"]
    assert "2 verifications for ann@example.org" in text
    # Part of an address finds every candidate it matches.
    both = client.get("/verifications?candidate=example.org").get_data(as_text=True)
    assert both.count("Badge for ann@example.org") == 2 and "Badge for bob@example.org" in both


def test_history_pages(client, login, org, recruiter):
    for n in range(27):
        db.session.add(
            Verification(
                token=f"t{n}",
                organisation_id=org.id,
                source="paste",
                verdict="valid",
                format="ob3-di",
                achievement_name=f"Badge {n:02d}",
                result={"checks": []},
            )
        )
    db.session.flush()
    login(recruiter)
    first = client.get("/verifications").get_data(as_text=True)
    assert "Page 1 of 2" in first and "/verifications?page=2" in first
    second = client.get("/verifications?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and second.count('<tr class="govuk-table__row') == 3  # header + 2


def test_another_organisations_verification_is_not_found(client, login, org, recruiter):
    other = OrganisationFactory(name="Rival Ltd")
    theirs = run_verification(
        json.dumps(issued_badge()),
        recipient_email=CANDIDATE,
        source="paste",
        organisation=other,
        actor=member(other, "recruiter"),
    )
    login(recruiter)
    for suffix in ("", ".json", ".pdf", "?format=json"):
        assert client.get(f"/verifications/{theirs.id}{suffix}").status_code == 404
    assert CANDIDATE not in client.get("/verifications").get_data(as_text=True)
    # Nor is an organisation's verification reachable through the public token URL.
    assert client.get(f"/verify/results/{theirs.token}").status_code == 404


@pytest.mark.parametrize("role, status", [("learner", 403), ("hr_manager", 403), ("recruiter", 200)])
def test_only_recruiters_verify_for_their_organisation(client, login, org, role, status):
    login(member(org, role))
    assert client.get("/verifications").status_code == status
    assert client.get("/verifications/new").status_code == status


def test_signed_out_people_are_asked_to_sign_in(client):
    assert client.get("/verifications").status_code in (302, 401)


def test_pdf_report_has_the_verdict_achievement_checks_and_who(client, login, org, recruiter):
    verification = run_verification(
        json.dumps(issued_badge()), recipient_email=CANDIDATE, source="paste", organisation=org, actor=recruiter
    )
    login(recruiter)
    response = client.get(f"/verifications/{verification.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    for expected in (
        "Verdict: Valid",
        "Data Analysis with Python",
        "Caledonian College",
        "SCQF level 7",
        "Signed by the issuer",
        "Passed",
        "Rita Recruiter",
        "Forth Engineering",
        CANDIDATE,
    ):
        assert expected in text, expected


@needs_conformance
def test_signature_by_a_key_that_is_not_the_issuers_is_not_valid(client, login, org, recruiter):
    login(recruiter)
    response = _new(client, credential_file=(io.BytesIO(W3C_RDFC.read_bytes()), "w3c.json"))
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not valid" in html and "not the issuer" in html


def test_the_reason_given_is_the_one_that_decided_the_verdict(client, login, org, recruiter):
    from datetime import UTC, datetime

    expired_elsewhere = json.dumps(issued_badge(valid_until=datetime(2025, 6, 1, tzinfo=UTC)))
    verification = run_verification(
        expired_elsewhere, recipient_email="other@example.org", source="paste", organisation=org, actor=recruiter
    )
    login(recruiter)
    html = client.get(f"/verifications/{verification.id}").get_data(as_text=True)
    assert "Not valid" in html and "Why: not issued to other@example.org" in html
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(client.get(f"/verifications/{verification.id}.pdf").data)).pages
    )
    assert "Why: not issued to other@example.org" in text


def test_signed_in_verifier_is_rate_limited_per_person(app, client, login, recruiter):
    login(recruiter)
    app.config["VERIFY_SIGNED_IN_RATE_LIMIT"] = "2 per minute"
    try:
        codes = [_new(client, credential_text="{}").status_code for _ in range(3)]
    finally:
        app.config["VERIFY_SIGNED_IN_RATE_LIMIT"] = "60 per minute;600 per day"
    assert 429 not in codes[:2] and codes[2] == 429
    assert client.get("/verifications/new").status_code == 200  # reading the form is never limited
