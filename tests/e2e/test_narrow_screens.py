"""On a phone-sized screen (375 px) no page is wider than the screen: wide tables scroll inside
their own region, long words wrap. Each page is also checked with axe at that size."""

from __future__ import annotations

import pytest

from tests.e2e.steps import checkpoint, sign_in

pytestmark = pytest.mark.no_transaction

PHONE = {"width": 375, "height": 812}
PUBLIC = ["/", "/login", "/hub", "/hub/forthside-college/FC-ENG301", "/glossary", "/verify"]
SIGNED_IN = {
    "lorna.mcintyre@forthside.example": ["/dashboard", "/catalogue"],
    "aileen.macleod@kelvinmarine.example": ["/organisation/people", "/organisation/audit"],
    "fiona.campbell@kelvinmarine.example": ["/roles/", "/roles/team", "/cpd/", "/cpd/requests"],
}


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _visit_all(page, paths: list[str], too_wide: dict[str, int]) -> None:
    for path in paths:
        page.goto(path)
        checkpoint(page, "narrow" + path.rstrip("/").replace("/", "-"))
        if (extra := _overflow(page)) > 0:
            too_wide[path] = extra


def test_no_page_is_wider_than_a_phone(browser, live_server):
    too_wide: dict[str, int] = {}
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    try:
        _visit_all(context.new_page(), PUBLIC, too_wide)
    finally:
        context.close()
    for email, paths in SIGNED_IN.items():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
        try:
            page = context.new_page()
            sign_in(page, email)
            _visit_all(page, paths, too_wide)
        finally:
            context.close()
    assert not too_wide, f"pages wider than a 375 px screen (extra px): {too_wide}"
