"""Record pages in plain language, and the record as OB 3.0 / OB 2.0 documents."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from pyld import jsonld

from app.openbadges.documents import document_loader
from app.services.catalogue import lifecycle
from tests.factories.accounts import OrganisationFactory, member
from tests.factories.catalogue import micro_credential, skill, values


@pytest.fixture
def provider():
    return OrganisationFactory(provider=True, name="Glenbrae College", slug="glenbrae")


def text(response) -> str:
    """The page as a reader sees it: tags removed, spaces collapsed (links keep their href)."""
    html = response.get_data(as_text=True)
    hrefs = " ".join(re.findall(r'href="[^"]*"', html))
    return (
        " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
        .replace(" ,", ",")
        .replace(" .", ".")
        .replace(" :", ":")
        + hrefs
    )


def test_record_page_explains_a_credit_bearing_record(client, provider):
    micro_credential(
        provider,
        code="GB-DA1",
        title="Data Analysis at Work",
        scqf_level=8,
        scqf_credits=15,
        stackable_into=[{"qualification": "HND Computing", "credits": 15}],
        funding=["fwdf"],
        price_pence=45000,
        skills=[skill("perform data analysis")],
    )
    page = text(client.get("/hub/glenbrae/GB-DA1"))
    assert "Data Analysis at Work" in page
    assert "SCQF level 8" in page and "EQF level 5" in page
    assert "15 SCQF credit points, about 7.5 ECTS credits" in page
    assert "150 notional hours" in page
    assert "Counts towards HND Computing for 15 credits" in page
    assert "£450.00" in page and "Flexible Workforce Development Fund" in page
    assert "perform data analysis" in page
    assert "Credit-rated by Test College" in page
    assert "1 March 2027" in page
    assert 'href="/glossary#scqf-level"' in page


def test_record_page_explains_a_non_credit_bearing_record(client, provider):
    micro_credential(provider, code="GB-NC1", scqf_credits=None, notional_hours=12, qa_type="internal", qa_body=None)
    page = text(client.get("/hub/glenbrae/GB-NC1"))
    assert "Not credit-bearing: it carries no SCQF credit points" in page
    assert "12 notional hours" in page
    assert "Stand-alone" in page


def test_old_versions_stay_reachable_and_marked(client, provider):
    v1 = micro_credential(provider, code="GB-V", title="First Title")
    v2 = lifecycle.new_version(None, v1)
    lifecycle.update_draft(None, v2, values(title="Second Title"), [])
    lifecycle.publish(None, v2)
    assert "Second Title" in text(client.get("/hub/glenbrae/GB-V"))
    old = text(client.get("/hub/glenbrae/GB-V?version=1"))
    assert "First Title" in old and "no longer offered" in old
    doc = client.get("/hub/glenbrae/GB-V/v1/achievement.json").get_json(force=True)
    assert doc["name"] == "First Title" and doc["version"] == "1"
    assert client.get("/hub/glenbrae/GB-V?version=9").status_code == 404


def test_drafts_are_hidden_from_the_public_but_shown_to_their_provider(client, login, provider):
    micro_credential(provider, code="GB-D", publish=False)
    assert client.get("/hub/glenbrae/GB-D").status_code == 404
    assert client.get("/hub/glenbrae/GB-D/achievement.json").status_code == 404
    login(member(OrganisationFactory(provider=True), "provider_coordinator"))
    assert client.get("/hub/glenbrae/GB-D").status_code == 404
    client.post("/logout")
    login(member(provider, "provider_coordinator"))
    assert "only Glenbrae College can see it" in text(client.get("/hub/glenbrae/GB-D"))


def test_unknown_provider_or_code_is_404(client, provider):
    assert client.get("/hub/nowhere/X-1").status_code == 404
    assert client.get("/hub/glenbrae/X-1").status_code == 404


def test_achievement_is_ob3_json_ld_aligned_to_esco(client, provider):
    uri = "http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"
    micro_credential(provider, code="GB-A", title="Data Analysis", skills=[skill("perform data analysis", uri)])
    response = client.get("/hub/glenbrae/GB-A/achievement.json")
    assert response.headers["Content-Type"].startswith("application/ld+json")
    doc = json.loads(response.get_data(as_text=True))
    assert doc["@context"][1] == "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    assert doc["type"] == ["Achievement"] and doc["achievementType"] == "MicroCredential"
    assert doc["id"] == "http://localhost/hub/glenbrae/GB-A/v1/achievement.json"
    assert doc["alignment"][0]["targetUrl"] == uri
    assert doc["creditsAvailable"] == 8.0
    assert doc["criteria"]["narrative"].endswith("- Do a thing well")
    # Every term is defined by the bundled contexts: expansion keeps the alignment and type.
    expanded = jsonld.expand(doc, {"documentLoader": document_loader})
    flat = json.dumps(expanded)
    assert uri in flat
    assert "https://schema.org/AlignmentObject" in flat
    compacted_keys = set(jsonld.compact(expanded, {"@context": doc["@context"]}, {"documentLoader": document_loader}))
    assert set(doc) - {"@context"} <= compacted_keys  # nothing dropped as an undefined term


def test_badge_class_is_ob2_with_the_required_fields(client, provider):
    micro_credential(provider, code="GB-B", title="Badge Test", skills=[skill("weld metal")])
    doc = client.get("/hub/glenbrae/GB-B/badgeclass.json").get_json(force=True)
    assert doc["@context"] == "https://w3id.org/openbadges/v2" and doc["type"] == "BadgeClass"
    for field in ("id", "name", "description", "image", "criteria", "issuer"):
        assert doc[field], field
    assert doc["id"] == "http://localhost/hub/glenbrae/GB-B/v1/badgeclass.json"
    issuer = client.get(doc["issuer"].replace("http://localhost", "")).get_json(force=True)
    assert issuer["type"] == "Issuer" and issuer["name"] == "Glenbrae College" and issuer["id"] == doc["issuer"]
    image = client.get(doc["image"].replace("http://localhost", ""))
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/svg+xml"
    assert doc["alignment"][0]["targetName"] == "weld metal"


def test_glossary_and_attribution_pages(client):
    page = text(client.get("/glossary"))
    assert 'id="notional-hours"' in page and "Notional hours" in page or "notional hours" in page
    assert "ESCO" in page
    about = text(client.get("/about-data"))
    assert "This service uses the ESCO classification of the European Commission." in about
    assert "CC BY 4.0" in about
