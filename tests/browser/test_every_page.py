"""Real browser: `streamlit run` on a free port, every page in headless Chromium (Debian's build).

Checks no error element, downloads both Excel files and reads them, and saves a screenshot of
each page to docs/screenshots/ (README shows them).
"""

from __future__ import annotations

import openpyxl
import pytest

from kpi.config.paths import REPO_ROOT
from tests.helpers.browser import PAGES, open_page, settled, start, stop

SHOTS = REPO_ROOT / "docs" / "screenshots"


def test_cold_deep_link_is_the_first_request_after_start(built_data, browser):
    """Streamlit's legacy pages/ mode handles the first request after a start: /notes must still
    show 計算說明 with the real menu (no file-name pages such as a helper module)."""
    proc, url = start(built_data)
    try:
        page = open_page(browser, f"{url}/notes?agency=勞保局")
        page.wait_for_selector("h1:has-text('計算說明')", timeout=60_000)
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "總覽" in nav and "使用量與排行" in nav and "ui" not in nav.split()
        assert "勞保局" in page.locator("[data-testid='stSidebar']").inner_text()
        page.close()
    finally:
        stop(proc)


@pytest.mark.parametrize("path,title", list(PAGES.items()))
def test_page_renders_without_error(drawn, path, title):
    page = drawn(path, title)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert page.locator("[role='dialog']").count() == 0  # e.g. Streamlit's "Page not found"
    page.screenshot(path=str(SHOTS / f"{path or 'overview'}.png"), full_page=True)


def test_filter_in_url_is_applied(warm, browser):
    page = open_page(browser, f"{warm}/feedback?agency=勞發署&as_of=2018-07-20&since=2017-10-30&days=calendar")
    page.wait_for_selector("h1:has-text('民眾意見')", timeout=60_000)
    settled(page)
    assert "勞發署" in page.locator("[data-testid='stSidebar']").inner_text()
    page.close()


@pytest.mark.parametrize("button,sheets", [
    ("下載排行（附件一，Excel）", ["附件一"]),
    ("下載會議資料（附件一～四、KPI，Excel）", ["附件一", "附件二", "附件三", "附件四", "KPI摘要"]),
])
def test_excel_downloads(warm, browser, tmp_path, button, sheets):
    page = open_page(browser, f"{warm}/?as_of=2017-10-30")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=button).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert "106年10月30日" in target.name and target.name.endswith(".xlsx")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[: len(sheets)] == sheets
    first = next(book["附件一"].iter_rows(min_row=4, max_row=4, values_only=True))  # title, scope, header
    assert first[1] == "勞工體格及健康檢查認可醫療機構" and first[5] == 22_291
    page.close()
