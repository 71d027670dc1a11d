"""Test helpers for verification: credentials issued here with did:key (so they verify with
no network), conformance files read in place, a local badge server, and API keys."""

from __future__ import annotations

import io
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from app.openbadges import issuing
from app.openbadges.baking import bake_png, bake_svg
from app.openbadges.dids import did_key_for, did_key_verification_method
from app.openbadges.keys import generate_key_pair
from tests.support.openbadges import CONFORMANCE

# A DCC fixture: OB 3.0 credential, did:key issuer, eddsa-rdfc-2022, no status, no expiry -> valid offline.
DCC_VALID = (
    CONFORMANCE
    / "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/legacy-noStatus-noExpiry.json"
)
DCC_EXPIRED = (
    CONFORMANCE / "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/oidf-noStatus-expired.json"
)
# The W3C eddsa-rdfc-2022 vector: the signature verifies, but the key is not the issuer's.
W3C_RDFC = CONFORMANCE / "w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json"

KEY = generate_key_pair()
ISSUER_DID = did_key_for(KEY.public_key)
METHOD = did_key_verification_method(KEY.public_key)
CANDIDATE = "ann.learner@example.org"


def _spec(name: str = "Data Analysis with Python", image: str | None = None) -> issuing.AchievementSpec:
    return issuing.AchievementSpec(
        id="https://hub.example/micro-credentials/42",
        image=image,
        name=name,
        description="Cleaning, exploring and presenting data.",
        criteria="Passed the assessed project.",
        credits_available=10,
        level=issuing.Level("SCQF", "7", "https://scqf.org.uk/"),
        skills=[
            issuing.Skill(
                "use spreadsheets software", "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
            )
        ],
    )


def issued_badge(
    email: str = CANDIDATE,
    *,
    name: str = "Data Analysis with Python",
    valid_until: datetime | None = None,
    valid_from: datetime | None = None,
    issuer_url: str | None = "https://college.example",
    image: str | None = None,
) -> dict:
    """An OpenBadgeCredential signed with eddsa-rdfc-2022 by a did:key issuer."""
    profile = issuing.IssuerProfile(ISSUER_DID, "Caledonian College", url=issuer_url)
    award = issuing.Award(email, valid_from=valid_from or datetime(2025, 1, 10, tzinfo=UTC), valid_until=valid_until)
    return issuing.issue(profile, _spec(name, image), award, KEY, verification_method=METHOD)


def issued_jwt(email: str = CANDIDATE) -> str:
    credential = issued_badge(email)
    credential.pop("proof", None)
    return issuing.issue_jwt(credential, KEY, verification_method=METHOD)


def png_image() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(out, format="PNG")
    return out.getvalue()


def baked_png(email: str = CANDIDATE) -> bytes:
    return bake_png(png_image(), json.dumps(issued_badge(email)))


def baked_svg(email: str = CANDIDATE) -> bytes:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'
    return bake_svg(svg, json.dumps(issued_badge(email)))


class BadgeServer:
    """A local HTTP server answering GET path -> (status, body) from a table."""

    def __init__(self, routes: dict[str, bytes | tuple[int, bytes]]):
        self.routes = routes
        self.requested: list[str] = []  # every path asked for, in order
        table, requested = routes, self.requested

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                requested.append(self.path)
                found = table.get(self.path)
                status, body = (
                    (404, b"not found") if found is None else (found if isinstance(found, tuple) else (200, found))
                )
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def __enter__(self) -> BadgeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def private_networks(app):
    """Let the verifier fetch from the test's loopback server for this test only."""
    app.config["VERIFIER_ALLOW_PRIVATE_NETWORKS"] = True
    yield
    app.config["VERIFIER_ALLOW_PRIVATE_NETWORKS"] = False
