"""Issue 27 in a real browser: the office adds a committee meeting on 資料匯入; 總覽's 「自上次會議以來」
names it and compares with its snapshot; a viewer sees the same section and no office controls."""

from __future__ import annotations

import pytest

from tests.helpers.browser import open_page, settled, start, stop
from tests.helpers.office import PASSWORD, allow_office

NAMED = "上次會議：107/01/15「107年第1次會議」；當時最新快照 106/10/30，以該快照比較。"


@pytest.fixture
def office_server(fresh_data, monkeypatch):
    allow_office(monkeypatch)
    proc, url = start(fresh_data, figures=False)  # the figures are not what this tests
    yield url
    stop(proc)


def test_office_adds_a_meeting_and_overview_names_it(office_server, browser, tmp_path):
    page = open_page(browser, f"{office_server}/imports")
    page.wait_for_selector("h1:has-text('資訊處登入')", timeout=60_000)
    page.get_by_label("資訊處密碼").fill(PASSWORD)
    page.get_by_role("button", name="登入").click()
    page.wait_for_selector("h1:has-text('資料匯入')", timeout=60_000)
    settled(page)
    # the upload widget reads zh-TW (Streamlit's own words hidden, replaced)
    button_word = page.evaluate("""() => getComputedStyle(document.querySelector(
        '.st-key-upload [data-testid="stFileUploaderDropzone"] button'), '::after').content""")
    limit_word = page.evaluate("""() => getComputedStyle(document.querySelector(
        '.st-key-upload [data-testid="stFileUploaderDropzoneInstructions"] span'), '::after').content""")
    assert button_word == '"選擇檔案"' and "每個檔案上限 200MB" in limit_word
    page.locator(".st-key-upload").screenshot(path=str(tmp_path / "uploader.png"))
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]  # the office page's new forms too (WCAG 2.1 AA)
    assert [(v["id"], v["impact"], [n["html"][:300] for n in v["nodes"]]) for v in violations if v["impact"] in ("serious", "critical")
            or v["id"] in ("heading-order", "label", "button-name")] == []
    page.get_by_role("textbox", name="委員會會議日期").fill("107/01/15")
    page.get_by_role("textbox", name="會議名稱").fill("107年第1次會議")
    page.get_by_role("button", name="新增委員會會議").click()
    page.wait_for_selector("text=已匯入 1 列", timeout=60_000)
    page.locator("[data-testid='stSidebarNav']").get_by_text("總覽").click()
    page.wait_for_selector("h1:has-text('總覽')", timeout=60_000)
    settled(page)
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "自上次會議以來（106/10/30 → 107/07/20）" in main and NAMED in main
    page.close()

    viewer = open_page(browser, office_server)  # a new browser context: not signed in
    viewer.wait_for_selector("h1:has-text('總覽')", timeout=60_000)
    settled(viewer)
    assert NAMED in viewer.locator("[data-testid='stMain']").inner_text()
    assert "資料匯入" not in viewer.locator("[data-testid='stSidebarNav']").inner_text()
    viewer.locator("[data-testid='stSidebarNav']").get_by_text("資訊處登入").click()
    viewer.wait_for_selector("h1:has-text('資訊處登入')", timeout=60_000)
    settled(viewer)
    body = viewer.locator("[data-testid='stMain']").inner_text()
    for office_word in ("委員會會議行事曆", "會議決議事項", "會議資料自動寄送", "新增委員會會議", "儲存寄送設定"):
        assert office_word not in body
    assert viewer.locator("[data-testid='stFileUploader']").count() == 0
    viewer.close()
