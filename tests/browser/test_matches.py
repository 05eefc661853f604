"""Issue 17 in a real browser: the office signs in, opens 比對確認, confirms a candidate with a reason,
and the usage page's growth figure changes (browser fixture from tests/browser/conftest.py)."""

from __future__ import annotations

import pytest

from tests.helpers.browser import open_page, settled, start, stop
from tests.helpers.office import PASSWORD, allow_office


@pytest.fixture
def office_server(fresh_data, monkeypatch):
    """A private data copy where the office has rejected the shipped #46 pair, so 全民勞教e網課程
    (listed 2013) stands beside the removed #72 as a candidate."""
    from kpi.service import decide_pair

    decide_pair("資訊處", {"as_of": "2018-07-20", "since": "2017-10-30", "agency": "勞動部",
                          "old_name": "勞教e網課程", "new_name": "全民勞教e網課程",
                          "decision": "reject", "reason": "瀏覽器測試的前置"})
    allow_office(monkeypatch)
    proc, url = start(fresh_data, figures=False)  # the figures are not what this tests
    yield url
    stop(proc)


def _growth(chromium, url: str) -> str:
    page = open_page(chromium, f"{url}/usage")
    page.wait_for_selector("text=續存資料集瀏覽增加", timeout=60_000)
    settled(page)
    text = page.locator("p:has-text('續存資料集瀏覽增加')").inner_text()
    page.close()
    return text


def test_office_confirms_a_candidate_and_growth_changes(office_server, browser):
    before = _growth(browser, office_server)
    # the rises of continuing datasets outside the recount cohort: 101,166 − 215 (the rejected #46 pair)
    assert "100,951" in before
    page = open_page(browser, f"{office_server}/imports")  # issue 10: sign in first, then 比對確認 is in the menu
    page.get_by_label("資訊處密碼").fill(PASSWORD)
    page.get_by_role("button", name="登入").click()
    page.locator("[data-testid='stSidebarNav']").get_by_text("比對確認").click()
    page.wait_for_selector("h1:has-text('跨快照比對確認')", timeout=60_000)
    page.get_by_label("理由（必填）").fill("上架日 2013/11/13 早於前次快照，瀏覽 2,639→3,669")
    page.get_by_role("button", name="確認為同一資料集").click()
    page.wait_for_selector("text=已確認", timeout=120_000)
    settled(page)
    page.close()
    after = _growth(browser, office_server)
    assert "101,981" in after  # 100,951 + (3,669 − 2,639): listed 2013/11/13, outside the cohort
