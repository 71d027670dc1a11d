"""Public documents many fetch and few change answer conditional GETs: an ETag, a
Cache-Control, and 304 Not Modified when the client's copy is current (issue 13)."""

from __future__ import annotations

from types import SimpleNamespace

from itsdangerous import TimestampSigner

from app.blueprints import caching
from app.extensions import db
from app.services import issuing
from tests.factories.issuing import award, provider_with_record


def _path(url: str) -> str:
    return url.removeprefix("http://localhost")


def _revalidates(client, path: str, accept: str = "*/*"):
    first = client.get(path, headers={"Accept": accept})
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get(path, headers={"Accept": accept, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    return first


def test_an_issued_credential_and_its_status_list_revalidate_and_a_revocation_changes_the_etag(client):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record)
    db.session.commit()
    document = _revalidates(client, f"/credentials/{issued.public_id}.json")
    assert document.headers["Cache-Control"] == "public, no-cache"  # kept, but checked every time
    _revalidates(client, f"/credentials/{issued.public_id}.jwt")
    status_path = _path(issued.credential["credentialStatus"]["statusListCredential"])
    before = _revalidates(client, status_path)
    assert "no-cache" in before.headers["Cache-Control"]

    issuing.revoke(coordinator, issued, "Awarded in error")
    db.session.commit()
    after = client.get(status_path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]


def test_hub_documents_and_record_pages_revalidate(client):
    provider, _, record = provider_with_record()
    db.session.commit()
    base = f"/hub/{provider.slug}/{record.code}"
    achievement = _revalidates(client, f"{base}/achievement.json")
    assert achievement.headers["Cache-Control"] == "public, max-age=300"
    _revalidates(client, f"{base}/badgeclass.json")
    _revalidates(client, f"/hub/{provider.slug}/issuer.json")
    page = _revalidates(client, base, accept="text/html")
    assert page.headers["Cache-Control"] == "private, no-cache"  # never kept by a shared cache


def test_a_did_document_is_fresh_for_five_minutes(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://credwork.test")
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record)
    db.session.commit()
    did = client.get(f"/issuers/{provider.slug}/did.json")
    assert did.status_code == 200 and issued.issuer.did.endswith(provider.slug)
    assert did.headers["Cache-Control"] == "public, max-age=300"
    assert (
        client.get(f"/issuers/{provider.slug}/did.json", headers={"If-None-Match": did.headers["ETag"]}).status_code
        == 304
    )


def test_a_hub_page_revalidates_across_seconds_though_its_csrf_token_is_signed_anew(client, monkeypatch):
    """The signed CSRF token in every page changes each second; the page's ETag does not (within a
    ten-minute window), and it does change with the window, so a 304 never serves an old token."""
    provider, _, record = provider_with_record()
    db.session.commit()
    path = f"/hub/{provider.slug}/{record.code}"
    now = [1_800_000_000.0]
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(now[0]))  # what signs the token
    monkeypatch.setattr(caching, "time", SimpleNamespace(time=lambda: now[0]))
    first = client.get(path, headers={"Accept": "text/html"})
    now[0] += 5  # a new second: a newly signed token in the body
    again = client.get(path, headers={"Accept": "text/html", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    now[0] += 600  # the next window: the page comes again, with a fresh token
    fresh = client.get(path, headers={"Accept": "text/html", "If-None-Match": first.headers["ETag"]})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != first.headers["ETag"]
