"""A tampered badge never looks real, and badge images from other issuers are shown from this
site's own copy, fetched once at verification time (the CSP never lets pages load them)."""

from __future__ import annotations

import io
import json
import re

from PIL import Image
from pypdf import PdfReader

from app.extensions import db
from app.models.verifications import BadgeImage, Verification
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.verification import CANDIDATE, BadgeServer, issued_badge, png_image
from tests.integration.verification.test_public import _result, _verify


def _tampered() -> dict:
    credential = issued_badge(name="Data Analysis with Python")
    credential["credentialSubject"]["achievement"]["name"] = "Data Science PhD"  # the forgery
    return credential


def _row(html: str, label: str) -> str:
    """The text of the "Every check" table's row for one check."""
    match = re.search(rf"<th[^>]*>\s*{re.escape(label)}\s*</th>(.*?)</tr>", html, re.S)
    assert match, f"no {label} row"
    return re.sub(r"<[^>]+>", " ", match.group(1))


def test_a_tampered_badge_shows_its_verdict_as_the_heading_and_its_claims_set_apart(client):
    html, _ = _result(client, _verify(client, credential_text=json.dumps(_tampered()), recipient_email=CANDIDATE))
    h1 = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert [re.sub(r"\s+", " ", h).strip() for h in h1] == ["Not valid"]
    assert "<title>Not valid: Data Science PhD (claimed, not proven)" in html
    # The forged title sits only inside the "claimed" box, labelled as a claim.
    assert "What the credential claims" in html and "Claimed, not proven" in html
    assert re.search(r"Claimed achievement\s*</dt>\s*<dd[^>]*>\s*Data Science PhD", html)
    assert not re.search(r"<h2[^>]*>\s*Data Science PhD", html)
    # Checks that mean nothing without a valid proof are not applicable, never "Passed".
    for label in ("Issuer known to the hub", "Revocation", "Dates", "Awarded to", "Signed by the issuer"):
        row = _row(html, label)
        assert "Not applicable" in row and "Passed" not in row, label
    assert "Failed" in _row(html, "Signature or hosted copy")


def test_the_history_marks_a_tampered_badges_name_as_claimed(client, login):
    login(member(OrganisationFactory(name="Forth Engineering"), "recruiter"))
    client.post(
        "/verifications/new",
        data={"credential_text": json.dumps(_tampered()), "credential_url": "", "recipient_email": CANDIDATE},
        content_type="multipart/form-data",
    )
    html = client.get("/verifications").get_data(as_text=True)
    assert "Data Science PhD (claimed, not proven)" in html


def test_a_genuine_badges_name_is_its_heading(client):
    html, _ = _result(client, _verify(client, credential_text=json.dumps(issued_badge())))
    assert re.search(r"<h2[^>]*>\s*Data Analysis with Python\s*</h2>", html)
    assert "Claimed, not proven" not in html
    assert "Passed" in _row(html, "Signed by the issuer")


def test_an_unfetchable_url_is_labelled_as_not_recognised_not_as_open_badges_2(client, private_networks):
    with BadgeServer({}) as server:  # every path answers 404
        html, _ = _result(client, _verify(client, credential_url=server.url("/ob3/credential.json")))
    assert "Could not verify" in html
    assert "answered HTTP 404" in html
    assert "Not recognised" in html and "Open Badges 2.0" not in html
    stored = db.session.query(Verification).one()
    assert stored.format == "unknown"


def test_an_issuers_badge_image_is_fetched_once_and_served_from_this_site(client, private_networks):
    picture = png_image()
    with BadgeServer({"/badge.png": picture}) as server:
        credential = issued_badge(image=server.url("/badge.png"))
        html, _ = _result(client, _verify(client, credential_text=json.dumps(credential)))
        again, _ = _result(client, _verify(client, credential_text=json.dumps(credential)))
    assert server.requested.count("/badge.png") == 1  # the second verification reused the copy
    src = re.search(r'<img class="cw-badge-image" src="([^"]+)"', html).group(1)
    assert src.startswith("/verify/images/") and src in again
    image = client.get(src)
    assert image.status_code == 200 and image.data == picture
    assert image.headers["Content-Type"] == "image/png"
    assert "immutable" in image.headers["Cache-Control"]
    assert "sandbox" in image.headers["Content-Security-Policy"]
    assert db.session.query(BadgeImage).count() == 1


def test_an_svg_badge_image_is_kept_and_served_sandboxed(client, private_networks):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'
    with BadgeServer({"/badge.svg": svg}) as server:
        html, _ = _result(
            client, _verify(client, credential_text=json.dumps(issued_badge(image=server.url("/badge.svg"))))
        )
    src = re.search(r'<img class="cw-badge-image" src="([^"]+)"', html).group(1)
    served = client.get(src)
    assert served.headers["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in served.headers["Content-Security-Policy"]


def test_what_is_not_an_image_is_not_shown_and_says_why(client, private_networks):
    with BadgeServer({"/page.png": b"<html><script>alert(1)</script></html>"}) as server:
        html, _ = _result(
            client, _verify(client, credential_text=json.dumps(issued_badge(image=server.url("/page.png"))))
        )
    assert "Valid badge" in html  # an image problem never changes the verdict
    assert "cw-badge-image" not in html
    assert "not a PNG, JPEG, GIF, WebP or SVG image" in html
    assert db.session.query(BadgeImage).count() == 0


def test_an_image_over_the_size_limit_is_not_kept(app, client, private_networks, monkeypatch):
    monkeypatch.setitem(app.config, "BADGE_IMAGE_MAX_BYTES", 100)
    buffer = io.BytesIO()
    Image.effect_noise((64, 64), 50).save(buffer, format="PNG")
    with BadgeServer({"/big.png": buffer.getvalue()}) as server:
        html, _ = _result(
            client, _verify(client, credential_text=json.dumps(issued_badge(image=server.url("/big.png"))))
        )
    assert "the badge image is larger than the 100 bytes allowed" in html
    assert db.session.query(BadgeImage).count() == 0


def test_a_tampered_badges_image_is_never_fetched(client, private_networks):
    with BadgeServer({"/badge.png": png_image()}) as server:
        credential = issued_badge(image=server.url("/badge.png"))
        credential["credentialSubject"]["achievement"]["name"] = "Data Science PhD"
        html, _ = _result(client, _verify(client, credential_text=json.dumps(credential)))
    assert server.requested == []
    assert "was not fetched, because the proof did not verify" in html


def test_an_unknown_image_digest_is_not_found(client):
    assert client.get("/verify/images/" + "0" * 64).status_code == 404
    assert client.get("/verify/images/not-a-digest").status_code == 404


def test_the_pdf_report_of_a_tampered_badge_says_its_claims_are_not_proven(client):
    _, location = _result(client, _verify(client, credential_text=json.dumps(_tampered())))
    response = client.get(location + ".pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).split())
    assert "Verdict: Not valid" in text
    assert "What the credential claims (not proven)" in text and "Claimed achievement Data Science PhD" in text
    assert "What was achieved" not in text
