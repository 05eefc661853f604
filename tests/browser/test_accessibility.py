"""無障礙 (WCAG 2.1 AA): axe-core in Chromium on every page, default filters and one agency.

Fails on any serious or critical violation, and on headings out of order (moderate in axe's
scale, but the guideline asks for a heading structure a screen reader can follow).
"""

from __future__ import annotations

import pytest

from tests.helpers.browser import PAGES

ALWAYS_FAIL = {"heading-order", "page-has-heading-one", "image-alt", "label", "button-name"}


@pytest.mark.parametrize("query", ["", "?agency=勞保局"], ids=["default", "one_agency"])
@pytest.mark.parametrize("path,title", list(PAGES.items()))
def test_no_serious_accessibility_violation(drawn, path, title, query):
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(drawn(f"{path}{query}", title)).response["violations"]
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in violations
           if v["impact"] in ("serious", "critical") or v["id"] in ALWAYS_FAIL]
    assert bad == []
