"""The public hub through its routes: filters, sorting, pages, htmx and JavaScript-off use."""

from __future__ import annotations

import re
from html import unescape

from app.services.catalogue.search import PAGE_SIZE


def result_codes(html: str) -> list[str]:
    return re.findall(r'href="/hub/[a-z-]+/([A-Z0-9-]+)"', html)


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_anonymous_visitor_searches_without_javascript(client, demo):
    page = get(client, "/hub?q=welding")
    assert "<html" in page and 'action="/hub"' in page and 'method="get"' in page
    assert "5 micro-credentials matching “welding”" in unescape(page)
    assert result_codes(page)[0] == "FC-ENG304"


def test_htmx_request_gets_only_the_results_and_the_url_is_pushed(client, demo):
    partial = get(client, "/hub?q=welding", **{"HX-Request": "true"})
    assert "<html" not in partial and "FC-ENG304" in partial
    page = get(client, "/hub")
    assert 'hx-push-url="true"' in page and 'hx-target="#hub-results"' in page


def test_filters_narrow_the_results(client, demo):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import MicroCredential

    published = db.session.scalars(select(MicroCredential).where(MicroCredential.status == "published")).all()

    def expected(rule):
        return sorted(r.code for r in published if rule(r))

    cases = {
        "credit=no": lambda r: not r.scqf_credits,
        "credit=yes&credits_min=15": lambda r: (r.scqf_credits or 0) >= 15,
        "mode=work-based&mode=onsite": lambda r: r.mode in ("work-based", "onsite"),
        "funding=fwdf": lambda r: "fwdf" in r.funding,
        "funding=graduate-apprenticeship": lambda r: "graduate-apprenticeship" in r.funding,
        "price_min=100&price_max=300": lambda r: 10000 <= r.price_pence <= 30000,
        "level_min=10&level_max=11": lambda r: 10 <= r.scqf_level <= 11,
        "provider=forthside-college&qa=none": lambda r: r.provider.slug == "forthside-college" and r.qa_type == "none",
        "qa=internal": lambda r: r.qa_type == "internal",
    }
    for query, rule in cases.items():
        want = expected(rule)
        assert want, query
        html = get(client, f"/hub?{query}&sort=title", **{"HX-Request": "true"})
        total = int(re.search(r"(\d+) micro-credential", html).group(1))
        assert total == len(want), query
        if total <= PAGE_SIZE:
            assert sorted(result_codes(html)) == want, query


def test_skill_filter(client, demo):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Skill

    analysis = db.session.scalar(select(Skill).where(Skill.label == "perform data analysis"))
    html = get(client, f"/hub?skill={analysis.id}", **{"HX-Request": "true"})
    assert "5 micro-credentials" in html  # seeds/README: covered by 5 published records


def test_sorting_by_price_and_level(client, demo):
    from app.extensions import db
    from app.models import MicroCredential

    html = get(client, "/hub?credit=no&sort=price", **{"HX-Request": "true"})
    records = {r.code: r for r in db.session.query(MicroCredential).filter_by(status="published")}
    prices = [records[c].price_pence for c in result_codes(html)]
    assert prices == sorted(prices) and len(prices) > 5
    html = get(client, "/hub?credit=no&sort=level-desc", **{"HX-Request": "true"})
    levels = [records[c].scqf_level for c in result_codes(html)]
    assert levels == sorted(levels, reverse=True)


def test_pagination_keeps_filters_in_bookmarkable_links(client, demo):
    first = get(client, "/hub?mode=online&sort=title")
    total = int(re.search(r"(\d+) micro-credentials", first).group(1))
    assert total > PAGE_SIZE
    assert 'href="/hub?mode=online&amp;sort=title&amp;page=2"' in first
    second = get(client, "/hub?mode=online&sort=title&page=2")
    assert not set(result_codes(first)) & set(result_codes(second))
    assert len(result_codes(first)) == PAGE_SIZE


def test_filter_form_remembers_choices(client, demo):
    page = get(client, "/hub?q=data&credit=yes&mode=online&funding=employer")
    assert 'value="data"' in page
    assert re.search(r'id="credit-yes"[^>]*checked', page)
    assert re.search(r'id="mode-online"[^>]*checked', page)
    assert re.search(r'<option value="employer" selected', page)


def test_malformed_choices_from_closed_lists_are_ignored(client, demo):
    # Values no form offers (an edited URL) fall back to the defaults; typed ranges are checked
    # and explained instead (test_search_feedback.py).
    page = unescape(get(client, "/hub?page=-3&mode=teleport&sort=evil&qa=nope"))
    assert "There is a problem" not in page
    assert re.search(r"\d+ micro-credentials", page) and result_codes(page)


def test_typing_a_search_after_browsing_sorts_by_relevance(client, demo):
    browse = get(client, "/hub")
    assert re.search(r'<option value="relevance" selected', browse)
    # The form as first shown submits sort=relevance, so a later search is ranked, not A to Z.
    ranked = get(client, "/hub?q=welding&sort=relevance")
    assert result_codes(ranked)[0] == "FC-ENG304"
    assert result_codes(get(client, "/hub?sort=relevance"))[:2] == result_codes(get(client, "/hub?sort=title"))[:2]
