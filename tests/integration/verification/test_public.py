"""The public verifier: anyone with the link, every way in, clear errors, private results."""

from __future__ import annotations

import io
import json

import pytest

from app.extensions import db
from app.models.verifications import Verification
from tests.factories.verification import (
    CANDIDATE,
    DCC_VALID,
    BadgeServer,
    baked_png,
    baked_svg,
    issued_badge,
    issued_jwt,  # noqa: F401
)
from tests.support.openbadges import needs_conformance


def _verify(client, **fields):
    data = {"credential_text": "", "credential_url": "", "recipient_email": ""}
    data.update(fields)
    return client.post("/verify", data=data, content_type="multipart/form-data")


def _result(client, response):
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return page.get_data(as_text=True), response.headers["Location"]


def test_upload_json_file_gives_a_valid_verdict_with_what_was_achieved(client):
    body = json.dumps(issued_badge()).encode()
    html, _ = _result(client, _verify(client, credential_file=(io.BytesIO(body), "badge.json")))
    assert "Valid badge" in html
    assert "Data Analysis with Python" in html and "Caledonian College" in html
    assert "SCQF" in html and "use spreadsheets software" in html
    assert "Signed by the issuer" in html and "Passed" in html


@pytest.mark.parametrize(
    "make, name", [(baked_png, "badge.png"), (baked_svg, "badge.svg"), (lambda: issued_jwt().encode(), "badge.jwt")]
)
def test_upload_baked_images_and_jwt_files(client, make, name):
    html, _ = _result(client, _verify(client, credential_file=(io.BytesIO(make()), name)))
    assert "Valid badge" in html and "Data Analysis with Python" in html


def test_file_type_is_sniffed_not_trusted(client):
    # A PNG badge uploaded under a .json name (and any declared type) is still read as a PNG.
    html, _ = _result(client, _verify(client, credential_file=(io.BytesIO(baked_png()), "badge.json")))
    assert "Valid badge" in html and "PNG" in html


def test_paste_json_and_jwt(client):
    html, _ = _result(client, _verify(client, credential_text=json.dumps(issued_badge())))
    assert "Valid badge" in html
    html, _ = _result(client, _verify(client, credential_text=issued_jwt()))
    assert "Valid badge" in html and "signed as a VC-JWT" in html


@needs_conformance
def test_published_dcc_fixture_verifies_offline(client):
    html, _ = _result(client, _verify(client, credential_file=(io.BytesIO(DCC_VALID.read_bytes()), "dcc.json")))
    assert "Valid badge" in html


def test_recipient_match_and_mismatch(client):
    body = json.dumps(issued_badge())
    html, location = _result(client, _verify(client, credential_text=body, recipient_email="Ann.Learner@example.org"))
    assert "Valid badge" in html and "the email address given" in html
    assert client.get(location + ".json").get_json()["recipient_match"] is True
    html, location = _result(client, _verify(client, credential_text=body, recipient_email="someone@example.org"))
    assert "Not valid" in html and "does not match" in html
    assert client.get(location + ".json").get_json()["recipient_match"] is False


def test_url_served_locally_verifies_when_private_networks_allowed(client, private_networks):
    with BadgeServer({"/badge.json": json.dumps(issued_badge()).encode()}) as server:
        html, location = _result(client, _verify(client, credential_url=server.url("/badge.json")))
    assert "Valid badge" in html
    assert client.get(location + ".json").get_json()["source"] == "url"


def test_loopback_url_is_refused_by_default_with_a_clear_message(client):
    with BadgeServer({"/badge.json": json.dumps(issued_badge()).encode()}) as server:
        html, _ = _result(client, _verify(client, credential_url=server.url("/badge.json")))
    assert "Could not verify" in html
    assert "refused to fetch from 127.0.0.1" in html and "loopback address" in html


def _alg_none_token() -> str:
    import base64

    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return part({"alg": "none", "typ": "JWT"}) + "." + part({"vc": issued_badge()}) + ".AAAA"


@pytest.mark.parametrize(
    "text, reason",
    [
        ('{"credentialSubject": ', "malformed"),
        ("eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e30", "truncated"),
        (None, "unsigned JWT"),
    ],
)
def test_bad_pasted_input_gives_a_clear_result_never_a_500(client, text, reason):
    html, _ = _result(client, _verify(client, credential_text=text if text is not None else _alg_none_token()))
    assert "Not valid" in html or "Could not verify" in html
    assert "Valid badge" not in html
    assert reason.lower() in html.lower()


@pytest.mark.parametrize("text", ["hello there", "Data Science PhD, honest", "<script>alert(1)</script>"])
def test_text_that_is_not_a_badge_is_a_form_error_and_not_kept(client, text):
    from app.extensions import db
    from app.models.verifications import Verification

    before = db.session.query(Verification).count()
    response = _verify(client, credential_text=text)
    assert response.status_code == 422
    assert "That is not a badge" in response.get_data(as_text=True)
    assert db.session.query(Verification).count() == before


def test_missing_or_double_input_re_renders_the_form(client):
    response = _verify(client)
    assert response.status_code == 422
    assert "Upload a badge file, paste the badge, or give its web address" in response.get_data(as_text=True)
    response = _verify(client, credential_text="{}", credential_url="https://example.org/b")
    assert response.status_code == 422 and "one way only" in response.get_data(as_text=True)
    response = _verify(client, credential_url="ftp://example.org/badge")
    assert response.status_code == 422 and "https://" in response.get_data(as_text=True)


def test_oversized_upload_is_refused_clearly(client, app):
    big = b"{" + b" " * (app.config["VERIFY_MAX_UPLOAD_BYTES"] + 10) + b"}"
    response = _verify(client, credential_file=(io.BytesIO(big), "big.json"))
    assert response.status_code == 422 and "must be smaller than" in response.get_data(as_text=True)
    huge = b"0" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = _verify(client, credential_file=(io.BytesIO(huge), "huge.json"))
    assert response.status_code == 413 and "too large" in response.get_data(as_text=True)


def test_png_with_a_huge_chunk_is_reported_not_crashed(client):
    import struct
    import zlib

    png = baked_png()
    fake = struct.pack(">I", 2**31 - 1) + b"iTXt" + b"openbadges\x00" + b"\x00" * 20
    damaged = png[:33] + fake + struct.pack(">I", zlib.crc32(b"x")) + png[33:]
    html, _ = _result(client, _verify(client, credential_file=(io.BytesIO(damaged), "bad.png")))
    assert "Valid badge" not in html


def test_result_json_and_pdf(client):
    _, location = _result(client, _verify(client, credential_text=json.dumps(issued_badge())))
    data = client.get(location + ".json").get_json()
    assert data["verdict"] == "valid" and data["achievement"]["name"] == "Data Analysis with Python"
    assert {c["name"] for c in data["checks"]} >= {"proof", "issuer_binding", "validity_window", "status"}
    assert client.get(location + "?format=json").get_json()["verdict"] == "valid"
    pdf = client.get(location + ".pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_public_results_are_private_to_their_link(client, app):
    _, location = _result(
        client, _verify(client, credential_text=json.dumps(issued_badge()), recipient_email=CANDIDATE)
    )
    token = location.rsplit("/", 1)[1]
    assert len(token) >= 40  # 256 random bits
    altered = token[:-1] + ("B" if token.endswith("A") else "A")
    assert client.get("/verify/results/" + altered).status_code == 404
    stored = db.session.query(Verification).filter_by(token=token).one()
    # Nothing identifying is kept for an anonymous verification.
    assert stored.organisation_id is None and stored.actor_id is None and stored.candidate_email is None
    page = client.get(location)
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"


def test_public_verifier_is_rate_limited_per_address(client, app):
    app.config["VERIFY_PUBLIC_RATE_LIMIT"] = "2 per minute"
    try:
        codes = [_verify(client, credential_text="{}").status_code for _ in range(3)]
    finally:
        app.config["VERIFY_PUBLIC_RATE_LIMIT"] = "30 per minute;300 per day"
    assert codes == [303, 303, 429]
    assert client.get("/verify").status_code == 200  # reading the form is never limited


def test_badly_formed_candidate_email_is_shown_against_the_field(client):
    response = _verify(client, credential_text="{}", recipient_email="not an email")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "There is a problem" in html
    assert 'href="#recipient_email"' in html and "correct format" in html
