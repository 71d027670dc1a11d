"""The test double that serves the conformance fixtures in place of the network."""

from __future__ import annotations

import json

import pytest

from app.openbadges.fetching import FetchError
from tests.support.openbadges import _DCC_WEB, TableFetcher, needs_conformance


@needs_conformance
def test_table_fetcher_maps_did_web_documents_to_the_fixture_files():
    fetcher = TableFetcher()
    response = fetcher.get(f"{_DCC_WEB}/dids/oidf/did.json")
    assert json.loads(response.content)["id"].endswith(":dids:oidf")


def test_table_fetcher_refuses_unknown_urls():
    with pytest.raises(FetchError):
        TableFetcher().get("https://example.org/anything")
