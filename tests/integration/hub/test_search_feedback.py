"""The hub says what it could not do: "Did you mean" for misspelt or run-together words, from
the vocabulary of published records, and an error for a filter that cannot be applied."""

from __future__ import annotations

import re
from html import unescape

from app.services.catalogue import lifecycle
from tests.factories.accounts import OrganisationFactory
from tests.factories.catalogue import micro_credential


def get(client, url, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


def result_codes(html: str) -> list[str]:
    return re.findall(r'href="/hub/[a-z-]+/([A-Z0-9-]+)"', html)


def did_you_mean(html: str) -> tuple[str, str] | None:
    """(link, words) of the page's "Did you mean" suggestion, if it has one."""
    match = re.search(r'Did you mean <a class="govuk-link" href="([^"]+)">([^<]+)</a>\?', html)
    return (match.group(1).replace("&amp;", "&"), match.group(2)) if match else None


def test_a_misspelt_word_suggests_the_word_the_hub_knows_and_the_link_finds_it(client, demo):
    page = get(client, "/hub?q=pyhton")
    assert "0 micro-credentials matching “pyhton”" in page
    link, words = did_you_mean(page)
    assert words == "python" and link == "/hub?q=python"
    assert "FC-IT205" in result_codes(get(client, link))


def test_the_suggestion_keeps_the_other_filters(client, demo):
    link, words = did_you_mean(get(client, "/hub?q=machne+learning&mode=online&sort=title"))
    assert words == "machine learning"
    assert link.startswith("/hub?") and "q=machine+learning" in link and "mode=online" in link and "sort=title" in link


def test_a_run_together_word_is_split_into_two_the_hub_knows(client, demo):
    page = get(client, "/hub?q=cybersecurity")
    assert "0 micro-credentials matching “cybersecurity”" in page
    link, words = did_you_mean(page)
    assert words == "cyber security"
    assert {"UC-CYB901", "FC-IT203", "UC-CYB903"} <= set(result_codes(get(client, link)))


def test_live_search_gets_the_suggestion_in_its_results(client, demo):
    partial = get(client, "/hub?q=pyhton", **{"HX-Request": "true"})
    assert "<html" not in partial and did_you_mean(partial)[1] == "python"


def test_no_suggestion_for_nonsense_or_a_search_that_finds_enough(client, demo):
    assert did_you_mean(get(client, "/hub?q=zzqxv")) is None
    assert did_you_mean(get(client, "/hub?q=python")) is None


def test_the_vocabulary_follows_publishing_and_retiring(client, demo):
    provider = OrganisationFactory(provider=True, slug="aqua-college")
    record = micro_credential(provider, code="AQ-1", title="Zebrafish husbandry")
    assert did_you_mean(get(client, "/hub?q=zebrafsh"))[1] == "zebrafish"
    lifecycle.retire(None, record)
    assert did_you_mean(get(client, "/hub?q=zebrafsh")) is None


def test_a_reversed_scqf_range_is_an_error_not_an_empty_list(client, demo):
    page = get(client, "/hub?level_min=11&level_max=7")
    assert "There is a problem" in page
    assert '<a href="#level_min">The lowest SCQF level must not be higher than the highest</a>' in page
    # The field says it too, and no results are shown as if the filter had worked.
    assert re.search(r'id="level-error">\s*<p class="govuk-error-message">.*must not be higher', page)
    assert "0 micro-credentials" not in page and result_codes(page) == []
    assert "Correct the filter to see micro-credentials" in page
    assert page.count("<title>Error: ") == 1


def test_a_price_that_is_not_a_number_is_an_error_and_shown_as_typed(client, demo):
    page = get(client, "/hub?q=welding&price_min=abc")
    assert '<a href="#price_min">Enter the minimum price as a number, like 250</a>' in page
    assert re.search(r'id="price_min" name="price_min" type="text" inputmode="numeric" value="abc"', page)
    assert 'class="govuk-input govuk-input--width-5 govuk-input--error" id="price_min"' in page
    assert result_codes(page) == []


def test_htmx_gets_the_error_summary_and_the_field_messages_out_of_band(client, demo):
    partial = get(client, "/hub?price_min=10&price_max=5", **{"HX-Request": "true"})
    assert "<html" not in partial
    assert "The minimum price must not be higher than the maximum price" in partial
    assert re.search(r'<div id="price-error" hx-swap-oob="true">\s*<p class="govuk-error-message">', partial)
    # Once corrected, the slots come back empty, clearing the message beside the field.
    fixed = get(client, "/hub?price_min=5&price_max=300", **{"HX-Request": "true"})
    assert re.search(r'<div id="price-error" hx-swap-oob="true">\s*</div>', fixed)
    assert "There is a problem" not in fixed and result_codes(fixed)


def test_prices_may_be_written_with_a_pound_sign_and_commas(client, demo):
    page = get(client, "/hub?price_min=£1,000&sort=price")
    assert "There is a problem" not in page
    assert result_codes(page), "no records cost £1,000 or more in the demo catalogue"
    plain = get(client, "/hub?price_min=1000&sort=price")
    assert result_codes(page) == result_codes(plain)
