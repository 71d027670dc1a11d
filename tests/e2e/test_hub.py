"""Journeys (issue 3): an anonymous visitor searches the public hub with and without JavaScript
(filters change the results, the URL is a bookmark), and a provider coordinator publishes a
draft micro-credential that then appears on the hub."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, sign_in

pytestmark = pytest.mark.no_transaction

COORDINATOR = "lorna.mcintyre@forthside.example"


def _result_titles(page) -> list[str]:
    return page.locator("#hub-results .cw-hub-result h3").all_inner_texts()


def test_anonymous_search_with_javascript(page):
    page.goto("/hub")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a micro-credential")
    heading = page.locator("#results-heading")
    expect(heading).to_contain_text("micro-credentials")
    total = int(heading.inner_text().split()[0])
    checkpoint(page, "hub-01-search")

    page.evaluate("window.credworkMarker = 'same document'")
    page.get_by_label("Search", exact=True).fill("welding")
    # Typing searches by itself (no button): results and URL change in place.
    expect(heading).to_contain_text("matching “welding”")
    expect(page).to_have_url(re.compile(r"/hub\?.*q=welding"))
    titles = _result_titles(page)
    assert "Welding Techniques and Weld Quality" in titles
    assert "Data Analysis with Python" not in titles
    assert 0 < int(heading.inner_text().split()[0]) < total

    # Enter searches at once, without waiting for the typing pause.
    page.get_by_label("Search", exact=True).fill("data")
    page.get_by_label("Search", exact=True).press("Enter")
    expect(heading).to_contain_text("matching “data”")
    everywhere = len(_result_titles(page))
    page.get_by_label("Provider").select_option(label="University of Caledonia")
    expect(page).to_have_url(re.compile(r"provider=university-of-caledonia"))
    expect(page.locator("#hub-results .cw-hub-result").first).to_contain_text("University of Caledonia")
    providers = page.locator("#hub-results .cw-hub-result p.govuk-body-s:first-of-type").all_inner_texts()
    assert providers and all(p.startswith("University of Caledonia") for p in providers), providers
    assert len(providers) < everywhere
    assert page.evaluate("window.credworkMarker") == "same document"
    checkpoint(page, "hub-02-filtered")

    # The address bar is a bookmark: opened afresh, the same search and filter are applied.
    bookmark = page.url
    fresh = page.context.new_page()
    fresh.goto(bookmark)
    expect(fresh.get_by_label("Search", exact=True)).to_have_value("data")
    expect(fresh.get_by_label("Provider")).to_have_value("university-of-caledonia")
    assert _result_titles(fresh) == _result_titles(page)

    page.locator("#hub-results .cw-hub-result h3 a").first.click()
    expect(page).to_have_url(re.compile(r"/hub/university-of-caledonia/UC-"))
    checkpoint(page, "hub-03-record")


def test_clicking_a_result_straight_after_typing_opens_it(page):
    # Leaving the search box fires `change`; it once started a second search that raced the
    # click, leaving the record on screen under the search's URL.
    page.goto("/hub")
    page.get_by_label("Search", exact=True).fill("welding")
    expect(page.locator("#results-heading")).to_contain_text("matching “welding”")
    page.get_by_role("link", name="Welding Techniques and Weld Quality").click()
    expect(page).to_have_url(re.compile(r"/hub/forthside-college/FC-ENG304$"))
    page.wait_for_timeout(500)  # time for a late, stray search response to land
    expect(page).to_have_url(re.compile(r"/hub/forthside-college/FC-ENG304$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welding Techniques and Weld Quality")


def test_anonymous_search_without_javascript(new_context):
    page = new_context(javascript=False).new_page()
    page.goto("/hub")
    page.get_by_label("Search", exact=True).fill("cad")
    page.get_by_label("Provider").select_option(label="Forthside College")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/hub\?.*q=cad.*provider=forthside-college"))
    expect(page.locator("#results-heading")).to_contain_text("matching “cad”")
    titles = _result_titles(page)
    assert "2D CAD for Engineering Drawings" in titles
    assert "Advanced CAD for Marine Design" not in titles  # a Caledonia course
    checkpoint(page, "hub-04-nojs-results")

    page.get_by_role("link", name="2D CAD for Engineering Drawings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2D CAD for Engineering Drawings")
    checkpoint(page, "hub-05-nojs-record")


def test_coordinator_publishes_a_draft_and_the_hub_shows_it(new_context):
    visitor = new_context().new_page()
    visitor.goto("/hub?q=cloud+computing+essentials")
    expect(visitor.locator("#results-heading")).to_be_visible()
    assert "Cloud Computing Essentials" not in _result_titles(visitor)

    page = new_context().new_page()
    sign_in(page, COORDINATOR)
    page.get_by_role("link", name="Publish micro-credentials").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your micro-credentials")
    checkpoint(page, "hub-06-catalogue")
    page.get_by_role("link", name="Cloud Computing Essentials").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cloud Computing Essentials")
    expect(page.locator("main .govuk-tag", has_text="Draft")).to_be_visible()
    checkpoint(page, "hub-07-draft")
    page.get_by_role("button", name="Publish on the hub").click()
    expect(page.get_by_text("FC-IT206 version 1 is published on the hub")).to_be_visible()
    expect(page.locator("main .govuk-tag", has_text="Published")).to_be_visible()
    checkpoint(page, "hub-08-published")

    visitor.reload()
    expect(visitor.get_by_role("link", name="Cloud Computing Essentials")).to_be_visible()
    visitor.get_by_role("link", name="Cloud Computing Essentials").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Cloud Computing Essentials")
    expect(visitor.locator("main")).to_contain_text("Forthside College")
    checkpoint(visitor, "hub-09-public-record")


def test_a_misspelt_search_offers_did_you_mean_and_a_reversed_range_says_so(page):
    page.goto("/hub")
    page.get_by_label("Search", exact=True).fill("pyhton")
    heading = page.locator("#results-heading")
    expect(heading).to_contain_text("0 micro-credentials matching “pyhton”")
    suggestion = page.locator("#did-you-mean")
    expect(suggestion).to_have_text("Did you mean python?")
    checkpoint(page, "hub-09-did-you-mean")
    suggestion.get_by_role("link", name="python").click()
    expect(page).to_have_url(re.compile(r"/hub\?q=python(&|$)"))
    expect(heading).to_contain_text("matching “python”")
    assert "Python for Beginners" in _result_titles(page)

    # A reversed SCQF range: an error summary in the results and a message beside the field.
    levels = page.get_by_role("group", name="SCQF level")
    levels.get_by_label("From").select_option("11")
    levels.get_by_label("to").select_option("7")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The lowest SCQF level must not be higher than the highest")
    expect(page.locator("#level-error")).to_contain_text("The lowest SCQF level must not be higher than the highest")
    assert _result_titles(page) == []
    checkpoint(page, "hub-10-filter-error")
    levels.get_by_label("to").select_option("12")
    expect(summary).to_have_count(0)
    expect(page.locator("#level-error")).to_have_text("")
    assert "Python for Beginners" not in _result_titles(page)  # level 5, outside 11 to 12
