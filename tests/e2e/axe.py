"""axe-core checks on the page a journey is looking at.

axe is read from node_modules (the package.json devDependency) and evaluated through the
DevTools protocol, which the page's Content-Security-Policy does not govern; the page itself
keeps its real CSP, so the journeys also prove the site works under it.

axe runs asynchronously, which a page with JavaScript disabled cannot do: such a page is checked
as a copy (its HTML without scripts, same stylesheets) in a scratch JavaScript-enabled page.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


@cache
def _axe_source() -> str:
    if not AXE_PATH.exists():
        raise AssertionError(f"{AXE_PATH} is missing: run `npm ci` (axe-core is a devDependency)")
    # A trailing expression so the evaluation result is not axe's IIFE return value.
    return AXE_PATH.read_text(encoding="utf-8") + "\n;true"


SCRIPT_TAG = re.compile(r"<script\b[^>]*>.*?</script>", re.IGNORECASE | re.DOTALL)


def violations(page) -> list[dict]:
    """Serious and critical axe violations on the page as it is now."""
    page.wait_for_load_state("load")
    if not getattr(page.context, "javascript_enabled", True):
        return _violations_of_copy(page)
    return _run_axe(page)


def _violations_of_copy(page) -> list[dict]:
    html = SCRIPT_TAG.sub("", page.content())
    html = re.sub(r"<head>", f'<head><base href="{page.url}">', html, count=1, flags=re.IGNORECASE)
    scratch = page.context.browser.new_page()
    try:
        scratch.set_content(html, wait_until="load")
        return _run_axe(scratch)
    finally:
        scratch.context.close()


def _run_axe(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [v for v in found if v.get("impact") in BLOCKING_IMPACTS]


def describe(found: list[dict]) -> str:
    """Violations as a reader-friendly list: rule, impact, help, and each offending element."""
    lines = []
    for v in found:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}: {node.get('failureSummary', '').splitlines()[-1].strip()}")
            lines.append(f"      {node.get('html', '')[:200]}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail with a readable list when axe finds a serious or critical violation on the page."""
    found = violations(page)
    assert not found, f"axe-core found accessibility problems on {page.url}:\n{describe(found)}"
