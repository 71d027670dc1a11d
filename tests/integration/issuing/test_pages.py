"""What coordinators, learners and the public see: awarding (one, or a CSV), the claim link,
the public credential page and downloads, revocation, and isolation between providers."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import HeldCredential
from app.models.badges import IssuedCredential
from app.services import issuing
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.issuing import award, provider_with_record

CLAIM_LINK = re.compile(r"http://localhost(/credentials/claim/\S+)")


def _count(org) -> int:
    return db.session.scalar(select(func.count(IssuedCredential.id)).where(IssuedCredential.organisation_id == org.id))


def test_coordinator_awards_a_badge_and_the_learner_claims_it_once(app, client, login, outbox):
    provider, coordinator, record = provider_with_record()
    login(coordinator)
    form = client.get("/issuing/new")
    assert form.status_code == 200 and record.title in form.get_data(as_text=True)
    response = client.post(
        "/issuing/new",
        data={
            "micro_credential_id": str(record.id),
            "name": "Morven Learner",
            "email": "morven@learner.example",
            "evidence_url": "https://portfolio.example/morven",
            "valid_until": "2030-06-30",
        },
    )
    assert response.status_code == 303
    issued = db.session.scalar(
        select(IssuedCredential).where(IssuedCredential.recipient_email == "morven@learner.example")
    )
    assert response.headers["Location"].endswith(f"/issuing/{issued.id}")
    assert issued.valid_until.date().isoformat() == "2030-06-30"
    admin = client.get(f"/issuing/{issued.id}").get_data(as_text=True)
    assert "morven@learner.example" in admin and "Not yet" in admin

    [mail] = [m for m in outbox if m.to == "morven@learner.example"]
    link = CLAIM_LINK.search(mail.body).group(1)
    assert issued.claim_token_hash and link.rsplit("/", 1)[1] not in issued.claim_token_hash
    anonymous = app.test_client()
    assert "Accept the badge" in anonymous.get(link).get_data(as_text=True)
    claimed = anonymous.post(link)
    assert claimed.status_code == 303 and claimed.headers["Location"].endswith(f"/credentials/{issued.public_id}")
    assert issued.claimed_at is not None
    again = anonymous.post(link)
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)
    assert anonymous.get("/credentials/claim/not-a-real-token").status_code == 404


def test_claiming_while_signed_in_with_that_email_links_the_account(app, client, login, outbox):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, name="Sam Learner", email="sam@learner.example")
    assert issued.user_id is None
    employer = OrganisationFactory()
    learner = member(employer, "learner", email="sam@learner.example")  # signs up after the award
    link = CLAIM_LINK.search(outbox[-1].body).group(1)
    login(learner)
    assert client.post(link).status_code == 303
    assert issued.user_id == learner.id
    held = db.session.scalars(select(HeldCredential).where(HeldCredential.user_id == learner.id)).all()
    assert [(h.organisation_id, h.issued_credential_id) for h in held] == [(employer.id, issued.id)]


def test_form_errors_are_shown_with_422_and_nothing_is_issued(client, login):
    provider, coordinator, record = provider_with_record()
    login(coordinator)
    response = client.post(
        "/issuing/new",
        data={"micro_credential_id": str(record.id), "name": "", "email": "not-an-email", "valid_until": "31/02/2030"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "real date" in page
    assert "Enter the learner&#39;s full name" in page and "correct format" in page
    assert _count(provider) == 0


def test_bulk_award_with_bad_rows_issues_nothing_and_lists_row_numbers(client, login, outbox):
    provider, coordinator, record = provider_with_record()
    login(coordinator)
    csv = (
        "name,email\nAda One,ada@learner.example\n,nobody@learner.example\nBad Email,not-an-email\n"
        "Ada Again,ada@learner.example\nToo,many,columns\n"
    )
    response = client.post(
        "/issuing/bulk",
        data={"micro_credential_id": str(record.id), "file": (io.BytesIO(csv.encode()), "learners.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    rows = re.findall(r'<td class="govuk-table__cell[^"]*">(\d+)</td>', response.get_data(as_text=True))
    assert rows == ["3", "4", "5", "6"]
    assert "Nothing was issued" in response.get_data(as_text=True)
    assert _count(provider) == 0 and outbox == []


def test_bulk_award_issues_every_row_and_emails_each_learner(client, login, outbox):
    provider, coordinator, record = provider_with_record()
    login(coordinator)
    template = client.get("/issuing/bulk/template.csv")
    assert template.mimetype == "text/csv" and template.get_data(as_text=True).startswith("name,email")
    csv = "Ada One,ada@learner.example\nBen Two,ben@learner.example\r\nCat Three,cat@learner.example\n"
    response = client.post(
        "/issuing/bulk",
        data={
            "micro_credential_id": str(record.id),
            "valid_until": "2031-01-31",
            "file": (io.BytesIO(csv.encode()), "learners.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert _count(provider) == 3
    assert sorted(m.to for m in outbox) == ["ada@learner.example", "ben@learner.example", "cat@learner.example"]
    listing = client.get("/issuing").get_data(as_text=True)
    assert "3 badges issued" in listing and "Cat Three" in listing


def test_public_page_shows_the_badge_in_plain_language_and_no_email(app):
    provider, coordinator, record = provider_with_record(scqf_credits=None, notional_hours=20)
    issued = award(provider, coordinator, record, name="Iona Public", email="iona@learner.example")
    anonymous = app.test_client()
    page = anonymous.get(f"/credentials/{issued.public_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for expected in (
        "Iona Public",
        record.title,
        provider.name,
        "Valid",
        "SCQF level 7",
        "Not credit-bearing",
        "use spreadsheets software",
        "Do a thing well",
        "Add to LinkedIn profile",
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME",
    ):
        assert expected in text, expected
    assert "iona@learner.example" not in text
    assert anonymous.get("/credentials/00000000-0000-4000-8000-000000000000").status_code == 404


def test_public_page_shows_revocation_with_reason_and_date(app, client, login):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record, name="Rory Revoked")
    login(coordinator)
    assert client.post(f"/issuing/{issued.id}/revoke", data={"reason": ""}).status_code == 422
    assert client.post(f"/issuing/{issued.id}/revoke", data={"reason": "Assessment not passed"}).status_code == 303
    page = app.test_client().get(f"/credentials/{issued.public_id}").get_data(as_text=True)
    assert "Revoked" in page and "Assessment not passed" in page


def test_downloads_have_the_right_types(app):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record)
    anonymous = app.test_client()
    base = f"/credentials/{issued.public_id}"
    json_ld = anonymous.get(base + ".json")
    assert json_ld.mimetype == "application/ld+json" and json_ld.get_json(force=True)["id"].endswith(base)
    assert json_ld.headers["Access-Control-Allow-Origin"] == "*"
    jwt = anonymous.get(base + ".jwt")
    assert jwt.mimetype == "text/plain" and jwt.get_data(as_text=True) == issued.credential_jwt
    assert anonymous.get(base + ".png").mimetype == "image/png"
    assert anonymous.get(base + ".svg").mimetype == "image/svg+xml"
    assert anonymous.get(base + ".pdf").mimetype == "application/pdf"
    # The credential's id dereferences to the credential itself for a machine.
    negotiated = anonymous.get(base, headers={"Accept": "application/ld+json, application/json"})
    assert negotiated.mimetype == "application/ld+json"
    assert anonymous.get(base, headers={"Accept": "text/html,*/*"}).mimetype == "text/html"


def test_another_providers_coordinator_gets_404_and_other_roles_403(client, login):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record)
    rival = member(OrganisationFactory(provider=True), "provider_coordinator")
    login(rival)
    assert client.get(f"/issuing/{issued.id}").status_code == 404
    assert client.post(f"/issuing/{issued.id}/revoke", data={"reason": "x"}).status_code == 404
    assert client.post(f"/issuing/{issued.id}/reissue", data={}).status_code == 404
    assert issued.revoked_at is None
    assert issued.recipient_name not in client.get("/issuing").get_data(as_text=True)


def test_non_coordinators_cannot_issue(app, login):
    provider, _, _ = provider_with_record()
    assessor = member(provider, "assessor")
    c = login(assessor, c=app.test_client())
    assert c.get("/issuing").status_code == 403
    assert app.test_client().get("/issuing").status_code in (302, 401)


def test_issuer_page_creates_the_profile_and_rotates_keys(client, login):
    provider, coordinator, _ = provider_with_record()
    login(coordinator)
    assert "Create the issuer profile" in client.get("/issuing/issuer").get_data(as_text=True)
    assert client.post("/issuing/issuer/keys").status_code == 303
    assert client.post("/issuing/issuer/keys").status_code == 303
    page = client.get("/issuing/issuer").get_data(as_text=True)
    assert page.count("In use") == 1 and "Retired" in page


def test_issued_list_filters_by_learner_and_status_with_and_without_htmx(client, login):
    provider, coordinator, record = provider_with_record()
    award(provider, coordinator, record, name="Fiona Found", email="fiona@learner.example")
    gone = award(provider, coordinator, record, name="Gordon Gone", email="gordon@learner.example")
    issuing.revoke(coordinator, gone, "Awarded in error")
    login(coordinator)
    page = client.get("/issuing?q=FIONA").get_data(as_text=True)
    assert "Fiona Found" in page and "Gordon Gone" not in page and "<html" in page
    partial = client.get("/issuing?state=revoked", headers={"HX-Request": "true"})
    body = partial.get_data(as_text=True)
    assert "Gordon Gone" in body and "Fiona Found" not in body and "<html" not in body
    assert "HX-Request" in partial.headers["Vary"]
    assert "1 badge found" in client.get("/issuing?state=valid").get_data(as_text=True)
