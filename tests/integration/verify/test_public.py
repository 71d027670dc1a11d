"""The public verifier: anyone with the link, every way in, clear errors, private results."""
from __future__ import annotations

import io
import json

import pytest

from tests.factories_verify import (CANDIDATE, DCC_VALID, BadgeServer, baked_png, baked_svg, issued_badge,
                                    issued_jwt, needs_conformance, private_networks)  # noqa: F401

pytestmark = pytest.mark.usefixtures()


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
