"""Markup checks a screen reader depends on, without a browser: unique ids, every label and
aria-describedby pointing at something real, and no inline script or style (CSP)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.factories.accounts import OrganisationFactory, member
from tests.factories.catalogue import micro_credential, skill


def check(html: str) -> None:
    body = html.split("<body", 1)[1]
    ids = re.findall(r'\sid="([^"]+)"', body)
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert duplicates == []
    for target in re.findall(r'<label[^>]*\sfor="([^"]+)"', body):
        assert target in ids, f"label for missing #{target}"
    for described in re.findall(r'aria-describedby="([^"]+)"', body):
        for target in described.split():
            assert target in ids, f"aria-describedby missing #{target}"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), "inline script"
    assert ' style="' not in body


@pytest.fixture
def provider():
    return OrganisationFactory(provider=True, name="Glenbrae College", slug="glenbrae")


def test_hub_pages(client, provider):
    micro_credential(
        provider, code="GB-M1", skills=[skill("weld metal")], stackable_into=[{"qualification": "HNC", "credits": 8}]
    )
    for url in ("/hub", "/hub?q=test&credit=yes&mode=online", "/hub/glenbrae/GB-M1", "/glossary", "/about-data"):
        response = client.get(url)
        assert response.status_code == 200
        check(response.get_data(as_text=True))


def test_catalogue_pages(client, login, provider):
    record = micro_credential(provider, code="GB-M2")
    login(member(provider, "provider_coordinator"))
    for url in (
        "/catalogue",
        "/catalogue/new",
        f"/catalogue/{record.id}",
        f"/catalogue/{record.id}/edit",
        "/catalogue/import",
    ):
        check(client.get(url).get_data(as_text=True))
    invalid = client.post("/catalogue/new", data={"title": ""})
    assert invalid.status_code == 422
    check(invalid.get_data(as_text=True))


def test_platform_page(client, login, provider):
    micro_credential(provider, code="GB-M3")
    login(member(OrganisationFactory(platform=True, slug="op"), "platform_admin"))
    check(client.get("/platform").get_data(as_text=True))
