"""Issue 10 in a real browser (server and browser fixtures of tests/test_browser): a copied link opened
cold as the very first request after a start shows the same view; a viewer sees no slider, no office
page, no command line and no hash; the office signs in and sees them; ranks are in the whole group
and the partial composite proposes no award (figures: tests/pages/test_roles.py)."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_every_page import _open, _settled, _start, browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
HEX = re.compile(r"\b[0-9a-f]{16,64}\b")


@pytest.fixture
def fresh_server(built_data, monkeypatch):
    """A server just started: its first request runs in Streamlit's legacy pages/ mode."""
    from kpi.ops.auth import hash_password

    monkeypatch.setenv("KPI_OFFICE_PASSWORD_HASH", hash_password(PASSWORD, iterations=1000))
    proc, url = _start(built_data)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def _viewer_checks(page) -> None:
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "資料匯入" not in nav and "比對確認" not in nav and "資訊處登入" in nav
    body = page.locator("body").inner_text()
    assert "python -m kpi" not in body and "hash-password" not in body and "資料版本" not in body
    assert not HEX.search(body), HEX.search(body)


def test_cold_links_show_the_same_view_and_a_viewer_sees_no_office_things(fresh_server, browser):  # noqa: F811
    page = _open(browser, f"{fresh_server}/usage?agency=勞保局&by=views&year=106")  # first request
    page.wait_for_selector("h1:has-text('使用量與排行')", timeout=60_000)
    _settled(page)
    assert page.get_by_role("radio", name="瀏覽次數").is_checked()
    assert page.get_by_role("radio", name="指定機關").is_checked()
    assert "勞保局" in page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").inner_text()
    assert "by=views" in page.url
    _viewer_checks(page)
    page.close()

    page = _open(browser, f"{fresh_server}/plan?agency=勞保局&by=views&year=106&days=calendar")
    page.wait_for_selector("h1:has-text('行動方案績效')", timeout=60_000)
    _settled(page)
    assert page.get_by_role("radio", name="106 年").is_checked()
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "僅依 2/5 項指標：成長量、6日內回復" in main and "建議獎勵" not in main
    assert "部分指標名次" in main and "在全部 6 個機關中的名次" in main
    assert page.locator("[data-testid='stSlider'], [role='slider']").count() == 0
    assert "權重：" in main and "預設值，資訊處尚未調整" in main
    _viewer_checks(page)
    page.close()


def test_the_office_signs_in_and_sees_its_pages(fresh_server, browser):  # noqa: F811
    page = _open(browser, f"{fresh_server}/imports")
    page.wait_for_selector("h1:has-text('資訊處登入')", timeout=60_000)
    page.get_by_label("資訊處密碼").fill(PASSWORD)
    page.get_by_role("button", name="登入").click()
    page.wait_for_selector("h1:has-text('資料匯入')", timeout=60_000)
    nav = page.locator("[data-testid='stSidebarNav']")
    assert "比對確認" in nav.inner_text() and "資料匯入" in nav.inner_text()
    nav.get_by_text("行動方案績效").click()
    page.wait_for_selector("h1:has-text('行動方案績效')", timeout=60_000)
    _settled(page)
    page.get_by_text("調整計算方式（資訊處）").click()
    page.wait_for_selector("[data-testid='stSlider']", timeout=30_000)
    assert page.locator("[data-testid='stSlider']").count() == 7
    assert "資料版本" in page.locator("[data-testid='stSidebar']").inner_text()
    page.close()


def test_an_empty_agency_choice_is_stated(fresh_server, browser):  # noqa: F811
    page = _open(browser, f"{fresh_server}/?agency=")
    page.wait_for_selector("text=未選擇機關", timeout=60_000)
    _settled(page)
    assert page.locator("[data-testid='stMetric']").count() == 0
    page.close()
