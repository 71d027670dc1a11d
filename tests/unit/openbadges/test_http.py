"""The engine through the real SSRF-safe fetcher, against a local HTTP server (no external network)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.openbadges.ob2 import verify_ob2
from app.openbadges.result import CheckStatus, Verdict
from app.openbadges.status import check_status, encode_status_list
from app.security.fetcher import SafeFetcher

NOW = datetime(2026, 6, 1, tzinfo=UTC)
HOST = "issuer.test"
PAGES: dict[str, tuple[int, bytes]] = {}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        status, body = PAGES.get(self.path, (404, b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def base():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://{HOST}:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class IntranetFetcher(SafeFetcher):
    """issuer.test resolves to the local server, as an intranet name would."""

    def _resolve(self, host, port):
        return ["127.0.0.1"] if host == HOST else super()._resolve(host, port)


def _publish(base: str, *, assertion_status: int = 200, revoked_indexes=frozenset({3})) -> str:
    issuer = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": f"{base}/issuer",
        "name": "Test College",
        "url": base,
    }
    badge = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": f"{base}/badge",
        "name": "Welding Safety",
        "description": "d",
        "image": f"{base}/i.png",
        "criteria": f"{base}/c",
        "issuer": f"{base}/issuer",
    }
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"{base}/a/1",
        "recipient": {"type": "email", "hashed": False, "identity": "learner@example.org"},
        "badge": f"{base}/badge",
        "issuedOn": "2025-01-01T00:00:00Z",
        "verification": {"type": "hosted"},
    }
    status_list = {
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": f"{base}/issuer",
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(set(revoked_indexes)),
        },
    }
    PAGES.clear()
    PAGES.update(
        {
            "/issuer": (200, json.dumps(issuer).encode()),
            "/badge": (200, json.dumps(badge).encode()),
            "/a/1": (assertion_status, json.dumps(assertion).encode()),
            "/status/1": (200, json.dumps(status_list).encode()),
        }
    )
    return f"{base}/a/1"


def test_hosted_badge_verifies_through_the_safe_fetcher(base):
    url = _publish(base)
    result = verify_ob2(
        url, fetcher=IntranetFetcher(allow_private_networks=True), recipient_email="learner@example.org", now=NOW
    )
    assert (result.verdict, result.achievement.name, result.issuer.name) == (
        Verdict.VALID,
        "Welding Safety",
        "Test College",
    )


def test_gone_hosted_badge_is_revoked_through_the_safe_fetcher(base):
    url = _publish(base, assertion_status=410)
    assert verify_ob2(url, fetcher=IntranetFetcher(allow_private_networks=True), now=NOW).verdict is Verdict.REVOKED


def test_a_badge_pointing_at_the_local_network_is_refused_by_default(base):
    url = _publish(base)
    result = verify_ob2(url, fetcher=IntranetFetcher(), now=NOW)
    assert result.verdict is Verdict.UNVERIFIABLE
    assert "loopback" in result.check("proof").detail


@pytest.mark.parametrize("index, revoked", [(3, True), (4, False)])
def test_status_list_through_the_safe_fetcher(base, index, revoked):
    _publish(base)
    credential = {
        "credentialStatus": {
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": f"{base}/status/1",
        }
    }
    check, found = check_status(
        credential, fetcher=IntranetFetcher(allow_private_networks=True), verify_list=lambda d: True, now=NOW
    )
    assert found is revoked


def test_status_list_on_the_local_network_is_could_not_check_by_default(base):
    _publish(base)
    credential = {
        "credentialStatus": {
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "4",
            "statusListCredential": f"{base}/status/1",
        }
    }
    check, found = check_status(credential, fetcher=IntranetFetcher(), verify_list=lambda d: True, now=NOW)
    assert (check.status, found) == (CheckStatus.WARN, None)
    assert "refused" in check.detail
