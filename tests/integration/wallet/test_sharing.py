"""Sharing imported badges: a revocable share link, public or private (private by default), email,
LinkedIn, an embeddable snippet, the download, and a public profile that is off by default."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, WalletCredential
from app.services import wallet as wallet_service
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.verification import issued_badge
from tests.factories.wallet import wallet_entry

SHARE = re.compile(r'value="http://localhost(/wallet/s/[A-Za-z0-9_-]+)"')


def _actions(user):
    return db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user.id)).all()


def _imported(client, learner):
    badge = json.dumps(issued_badge(learner.email))
    response = client.post(
        "/wallet/import", data={"credential_text": badge, "credential_url": ""}, content_type="multipart/form-data"
    )
    assert response.status_code == 303
    return response.headers["Location"], badge


def test_a_learner_shares_a_badge_and_then_revokes_the_link(app, client, login, outbox):
    learner = member(OrganisationFactory(), "learner", email="ann.learner@example.org", name="Ann Learner")
    login(learner)
    page_url, badge = _imported(client, learner)
    page = client.get(page_url).get_data(as_text=True)
    assert "This badge is not shared" in page and "Make a share link" in page

    assert client.post(f"{page_url}/share").status_code == 303
    page = client.get(page_url).get_data(as_text=True)
    link = SHARE.search(page).group(1)
    linkedin = re.search(r'href="(https://www.linkedin.com/profile/add\?[^"]+)"', page).group(1)
    query = parse_qs(urlsplit(linkedin.replace("&amp;", "&")).query)
    assert query["name"] == ["Data Analysis with Python"] and query["certUrl"] == [f"http://localhost{link}"]
    assert f"&lt;a href=&#34;http://localhost{link}&#34;&gt;Data Analysis with Python from Caledonian College" in page

    anonymous = app.test_client()
    shared = anonymous.get(link).get_data(as_text=True)
    assert "Data Analysis with Python" in shared and "Valid" in shared and "ann.learner@example.org" not in shared
    download = anonymous.get(f"{link}/download")
    assert download.status_code == 200 and download.headers["Content-Type"] == "application/json"
    assert download.get_data(as_text=True) == badge

    sent = client.post(f"{page_url}/email", data={"email": "recruiter@firm.example"})
    assert sent.status_code == 303
    [mail] = [m for m in outbox if m.to == "recruiter@firm.example"]
    assert f"http://localhost{link}" in mail.body and "Ann Learner" in mail.subject
    bad = client.post(f"{page_url}/email", data={"email": "not an email"})
    assert bad.status_code == 422 and "correct format" in bad.get_data(as_text=True)

    assert client.post(f"{page_url}/unshare").status_code == 303
    assert anonymous.get(link).status_code == 404 and anonymous.get(f"{link}/download").status_code == 404
    assert {"wallet.share", "wallet.email", "wallet.unshare"} <= set(_actions(learner))


def test_the_public_profile_is_off_by_default_and_lists_only_public_badges(app, client, login):
    learner = member(OrganisationFactory(), "learner", name="Ann Learner")
    shown = wallet_entry(learner, name="Forklift safety")
    wallet_entry(learner, name="Private counselling course")
    db.session.commit()
    login(learner)
    assert "Your public profile is off" in client.get("/wallet/").get_data(as_text=True)

    assert client.post(f"/wallet/imported/{shown.id}/visibility", data={"public": "yes"}).status_code == 303
    assert shown.public is True
    assert client.post("/wallet/profile", data={"enabled": "yes"}).status_code == 303
    page = client.get("/wallet/").get_data(as_text=True)
    profile = re.search(r'href="http://localhost(/wallet/people/[A-Za-z0-9_-]+)"', page).group(1)
    public = app.test_client().get(profile).get_data(as_text=True)
    assert "Ann Learner" in public and "Forklift safety" in public
    assert "Private counselling course" not in public

    assert client.post("/wallet/profile", data={"enabled": "no"}).status_code == 303
    assert app.test_client().get(profile).status_code == 404
    assert {"wallet.visibility", "wallet.profile"} <= set(_actions(learner))


def test_nobody_else_can_share_or_publish_someone_elses_badge(client, login):
    org = OrganisationFactory()
    owner, other = member(org, "learner"), member(org, "learner")
    entry = wallet_entry(owner, name="Owner's badge")
    db.session.commit()
    login(other)
    for action in ("share", "unshare", "visibility", "email", "download"):
        method = client.get if action == "download" else client.post
        assert method(f"/wallet/imported/{entry.id}/{action}").status_code == 404, action
    assert entry.share_token is None and entry.public is False


def test_a_badge_issued_on_credwork_is_shared_downloaded_and_shown_on_the_profile(app, client, login, outbox):
    from app.services import issuing as issuing_service
    from tests.factories.issuing import award, provider_with_record

    provider, coordinator, record = provider_with_record()
    learner = member(OrganisationFactory(), "learner", email="isla@learner.example")
    issued = award(provider, coordinator, record, email="isla@learner.example", notify=False)
    db.session.commit()
    assert issued.user_id == learner.id
    login(learner)
    page = client.get(f"/wallet/issued/{issued.id}").get_data(as_text=True)
    assert issuing_service.credential_url(issued.public_id) in page
    for ext in (".json", ".jwt", ".png", ".svg", ".pdf"):
        assert f"/credentials/{issued.public_id}{ext}" in page
    assert "linkedin.com/profile/add" in page

    assert client.post(f"/wallet/issued/{issued.id}/email", data={"email": "boss@employer.example"}).status_code == 303
    [sent] = [m for m in outbox if m.to == "boss@employer.example"]
    assert issuing_service.credential_url(issued.public_id) in sent.body

    client.post("/wallet/profile", data={"enabled": "yes"})
    assert client.post(f"/wallet/issued/{issued.id}/visibility", data={"public": "yes"}).status_code == 303
    profile_page = client.get(
        wallet_service.profile_url(wallet_service.profile_of(learner)).replace("http://localhost", "")
    )
    assert record.title in profile_page.get_data(as_text=True)
    client.post(f"/wallet/issued/{issued.id}/visibility", data={"public": "no"})
    profile_page = client.get(
        wallet_service.profile_url(wallet_service.profile_of(learner)).replace("http://localhost", "")
    )
    assert record.title not in profile_page.get_data(as_text=True)

    other = member(OrganisationFactory(), "learner")
    stranger = login(other, c=app.test_client())
    assert stranger.get(f"/wallet/issued/{issued.id}").status_code == 404
    assert stranger.post(f"/wallet/issued/{issued.id}/visibility", data={"public": "yes"}).status_code == 404


def test_an_imported_badges_check_downloads_as_a_pdf(client, login):
    learner = member(OrganisationFactory(), "learner", email="ann.learner@example.org")
    login(learner)
    client.post(
        "/wallet/import",
        data={"credential_text": json.dumps(issued_badge(learner.email)), "credential_url": ""},
        content_type="multipart/form-data",
    )
    entry = db.session.scalar(select(WalletCredential))
    response = client.get(f"/wallet/imported/{entry.id}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Cache-Control"] == "no-store"
