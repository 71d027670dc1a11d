"""Downloads carry the credential (baked images, PDF certificate) and the CLI prints it."""

from __future__ import annotations

import io
import json
from urllib.parse import parse_qs, urlsplit

from pypdf import PdfReader

from app.openbadges.baking import extract
from app.openbadges.verify import verify
from app.services import issuing
from app.services.issuing import certificate
from tests.factories.issuing import ClientFetcher, award, provider_with_record


def test_baked_png_and_svg_carry_the_signed_credential_and_verify(app, client):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record)
    png = client.get(f"/credentials/{issued.public_id}.png").get_data()
    baked = extract(png)
    assert baked.kind == "png" and json.loads(baked.payload) == issued.credential
    svg = client.get(f"/credentials/{issued.public_id}.svg").get_data()
    baked_svg = extract(svg)
    assert json.loads(baked_svg.payload) == issued.credential
    assert baked_svg.verify_url == issuing.credential_url(issued.public_id)
    for image in (png, svg):
        result = verify(image, fetcher=ClientFetcher(app, client))
        assert result.verdict == "valid", result.to_json()


def test_pdf_certificate_names_learner_achievement_issuer_and_verification_url(app, client):
    provider, coordinator, record = provider_with_record(title="Welding Inspection Basics")
    issued = award(provider, coordinator, record, name="Siobhán Ó Certified")
    response = client.get(f"/credentials/{issued.public_id}.pdf")
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in (
        "Siobhán Ó Certified",
        "Welding Inspection Basics",
        provider.name,
        issuing.credential_url(issued.public_id),
        "SCQF level 7",
    ):
        assert expected in text, (expected, text)


def test_linkedin_link_is_prefilled(app, client):
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record)
    page = client.get(f"/credentials/{issued.public_id}").get_data(as_text=True)
    href = next(part for part in page.split('"') if part.startswith("https://www.linkedin.com/profile/add?"))
    query = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"] and query["name"] == [record.title]
    assert query["organizationName"] == [provider.name] and query["certId"] == [issued.public_id]
    assert query["certUrl"] == [issuing.credential_url(issued.public_id)]
    assert query["issueYear"] == [str(issued.issued_at.year)] and query["issueMonth"] == [str(issued.issued_at.month)]


def test_cli_lists_as_json_and_exports_json_and_jwt(app):
    provider, coordinator, record = provider_with_record()
    first = award(provider, coordinator, record, name="First Learner", email="first@learner.example")
    second = award(provider, coordinator, record, name="Second Learner", email="second@learner.example")
    issuing.revoke(coordinator, second, "Awarded in error")
    runner = app.test_cli_runner()

    listed = runner.invoke(args=["credentials", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    items = {item["id"]: item for item in json.loads(listed.output)}
    assert {first.public_id, second.public_id} <= set(items)
    item = items[second.public_id]
    assert item["status"] == "revoked" and item["recipient"]["email"] == "second@learner.example"
    assert item["achievement"]["name"] == record.title and item["issued"].startswith(str(second.issued_at.year))
    assert items[first.public_id]["status"] == "valid"

    exported = runner.invoke(args=["credentials", "export", first.public_id, "--format", "json"])
    assert json.loads(exported.output) == first.credential
    jwt = runner.invoke(args=["credentials", "export", first.public_id, "--format", "jwt"])
    assert jwt.output.strip() == first.credential_jwt and jwt.output.count(".") == 2
    missing = runner.invoke(args=["credentials", "export", "no-such-id"])
    assert missing.exit_code != 0 and "No issued credential" in missing.output


def test_certificate_qr_code_opens_the_credential_page(app, monkeypatch):
    encoded = []
    real_make = certificate.qrcode.make
    monkeypatch.setattr(certificate.qrcode, "make", lambda data, **kw: encoded.append(data) or real_make(data, **kw))
    provider, coordinator, record = provider_with_record()
    issued = award(provider, coordinator, record)
    certificate.certificate_pdf(issued)
    assert encoded == [issuing.credential_url(issued.public_id)]
