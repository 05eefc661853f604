"""Issue 15 in a real browser: every caption that states an assumption on 行動方案績效, 全國比較 and
計算說明 is on the screen (Debian chromium, fixtures of tests/browser/test_every_page.py)."""

from __future__ import annotations

import pytest

from tests.browser.test_every_page import _open, _settled, browser, server, warm  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_plan_captions_state_the_method_and_coverage(warm, browser):  # noqa: F811
    page = _open(browser, f"{warm}/plan?days=working")
    page.wait_for_selector("h1:has-text('行動方案績效')", timeout=60_000)
    _settled(page)
    captions = page.locator("[data-testid='stMain']").inner_text()
    for expected in ("缺漏指標：缺資料之指標不計入", "以 100 分為上限", "回復日數 3 日內之意見比例",
                     "依其比率酌以加分", "回復日數：工作日",
                     "各機關皆無資料、不計入綜合分數之指標：工作小組會議、資訊正確率、三星比率",
                     "職安署 102.50：超過 100", "附件三 35 則，106/04/20–106/10/26；回復日數以工作日計",
                     "快照前已下架者不在其中"):
        assert expected in captions, expected
    # issue 10: three indicators have no data, so the ranking is partial and proposes no award
    assert "僅依 2/5 項指標：成長量、6日內回復" in captions and "建議獎勵" not in captions
    page.close()


def test_national_captions_state_the_rules_applied(warm, browser):  # noqa: F811
    page = _open(browser, f"{warm}/national")
    page.wait_for_selector("h1:has-text('全國比較')", timeout=60_000)
    _settled(page)
    body = page.locator("[data-testid='stMain']").inner_text()
    for expected in ("未套用金標章條件：尚未匯入資料集清單", "「勞動部（本部）」只指勞動部本身",
                     "下一名次跳號", "無上架日者 704 項無法判斷", "不是規則所稱之「同期間」數量",
                     "未評分之資料集 32,310 / 35,955 項，評分項以 0 分計",
                     "部會（含所屬）之間：下載第 12 名、瀏覽第 10 名／96", "單一機關之間",
                     "不與單一機關並列"):
        assert expected in body, expected
    page.close()


def test_notes_list_the_settings_and_the_rules(warm, browser):  # noqa: F811
    page = _open(browser, f"{warm}/notes")
    page.wait_for_selector("h1:has-text('計算說明')", timeout=60_000)
    _settled(page)
    body = page.locator("[data-testid='stMain']").inner_text()
    for expected in ("目前的設定", "預設值，資訊處尚未調整", "凡開放達1年且經品質檢測取得金標章之資料集",
                     "金質獎：尚未匯入資料集清單", "名次與同分", "回復日數設定"):
        assert expected in body, expected
    page.close()
