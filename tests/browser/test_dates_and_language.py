"""Issue 10 in a real browser: pages opened cold read in 民國 dates and zh-TW, nothing else.

What is checked is what a person can read: the page's visible text and the text of every table
cell (st.dataframe draws on a canvas; its accessibility table carries each cell's text).
"""

from __future__ import annotations

import re

import pytest

from kpi.config.paths import REPO_ROOT
from tests.helpers.browser import settled

SHOT = REPO_ROOT / "docs" / "screenshots" / "usage_1366x768.png"


# A 13-digit whole number is an epoch-millisecond date (a ratio's long decimals are not).
FORBIDDEN = {
    "epoch milliseconds": re.compile(r"(?<![\d.])\d{13}(?![\d.])"),
    "midnight time": re.compile(r"00:00:00"),
    "AD date": re.compile(r"\b(?:19|20)\d\d-\d\d-\d\d\b"),
    "missing-value word": re.compile(r"\b(?:None|nan|NaN|NaT|null|empty)\b"),
    "Streamlit English": re.compile(r"Select all|Choose options|Choose an option|Record screen|"
                                    r"Made with Streamlit|No results"),
}
ROC_DATE = re.compile(r"\b1\d\d/\d\d/\d\d\b")


def _open_cold(browser, url: str):
    """A fresh browser context (no cookies, no session) at the size of a meeting-room laptop."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-TW")
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=90_000)
    settled(page)
    return context, page


def _readable(page) -> list[str]:
    texts = [page.locator("[data-testid='stMain']").inner_text(),
             page.locator("[data-testid='stSidebar']").inner_text()]
    grids = page.locator("[data-testid='stDataFrame']")
    for i in range(grids.count()):  # a grid fills its cells' text in once it has been on screen
        grids.nth(i).scroll_into_view_if_needed()
        page.wait_for_timeout(400)
        texts += grids.nth(i).locator("th, td").all_text_contents()
    return texts


@pytest.mark.parametrize("path", ["usage", "feedback?as_of=2017-10-30&since=none", "national", "notes"])
def test_page_reads_in_roc_dates_and_zh_tw(server, browser, path):
    context, page = _open_cold(browser, f"{server}/{path}")
    try:
        texts = _readable(page)
        found = {what: sorted({m for t in texts for m in pattern.findall(t)})[:5]
                 for what, pattern in FORBIDDEN.items()}
        assert not any(found.values()), found
        assert any(ROC_DATE.search(t) for t in texts), "no 民國 date such as 107/07/20 on the page"
        assert page.locator("[data-testid='stMainMenu']").count() == 0  # toolbarMode minimal
    finally:
        context.close()


def test_usage_at_1366_by_768(server, browser):
    """The per-agency table with its 合計 row fits the width; the ranking keeps its name column
    pinned; the screenshot is kept for the README and was looked at."""
    context, page = _open_cold(browser, f"{server}/usage")
    try:
        cells = page.locator("[data-testid='stDataFrame']").first.locator("td").all_text_contents()
        assert "合計" in cells and "565" in cells and "150859" in cells  # 107/07/20 totals
        tables = page.locator("[data-testid='stDataFrame']").all()  # the reconciliation tables come first
        headers = [t.locator("th").all_text_contents()[:2] for t in tables]
        assert ["名次", "資料集名稱"] in headers
        SHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOT))
        box = page.locator("[data-testid='stDataFrame']").first.bounding_box()
        assert box and box["x"] + box["width"] <= 1366  # the agency table is not cut off
    finally:
        context.close()


def test_sidebar_inputs_read_in_roc_and_zh_tw(server, browser):
    context, page = _open_cold(browser, f"{server}/usage?agency=勞保局")  # 指定機關: the agency picker shows
    try:
        inputs = page.locator("[data-testid='stSidebar'] input").evaluate_all(
            "els => els.map(e => e.value + ' ' + (e.value ? '' : e.placeholder || ''))")
        page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect'] input").first.click()
        page.wait_for_timeout(800)
        options = page.locator("[role='listbox']").all_inner_texts()
        found = {what: sorted({m for t in [*inputs, *options] for m in pattern.findall(t)})
                 for what, pattern in FORBIDDEN.items()}
        assert not any(found.values()), found
    finally:
        context.close()
