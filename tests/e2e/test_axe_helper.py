"""The accessibility check itself: it fails on a serious problem and says what and where."""

from __future__ import annotations

import pytest

from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.no_transaction

BROKEN = """<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body><main>
<h1>Broken page</h1><img src="/static/missing.png"><input type="text" id="unlabelled">
</main></body></html>"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_missing_alt_text_and_an_unlabelled_field_fail_with_a_readable_message(new_context, javascript):
    page = new_context(javascript=javascript).new_page()
    page.goto("/accessibility")
    page.set_content(BROKEN)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "image-alt" in message and "label" in message
    assert "#unlabelled" in message  # where: the offending element's selector
    assert "https://dequeuniversity.com/rules/axe/" in message


def test_a_real_page_passes(page):
    page.goto("/accessibility")
    assert_accessible(page)
