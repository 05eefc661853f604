"""Growth read right, in a real browser: 總覽 and 職安署's scorecard print the net change a
reader computes from two totals, a waterfall from before to after with its parts, and the same
6-day headline as the one-page brief (whose text is read from the PDF the page hands out)."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.browser.test_every_page import _open, _settled, browser, server, warm  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def _text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def test_overview_net_change_and_waterfall(warm, browser):  # noqa: F811
    page = _open(browser, warm)
    page.wait_for_selector("h1:has-text('總覽')", timeout=60_000)
    _settled(page)
    text = _text(page)
    assert "+5,962 淨變化" in text and "+81,934 淨變化" in text and "106/10/30" in text
    assert "續存增加 +22,473" in text and "重新計數 -14,114" in text  # the parts, as on the waterfall
    assert "+23,151" not in text  # the old headline that read as the difference of two totals
    assert page.locator(".js-plotly-plot .waterfalllayer").count() >= 2  # downloads and views
    svg = page.locator(".js-plotly-plot").first.inner_text()
    for word in ("前次累計", "續存增加", "重新計數", "新增", "下架", "本次累計", "144,897", "150,859"):
        assert word in svg, word
    assert "198 項中 187 項" in text  # the recount cohort named
    headline = page.locator("[data-testid='stMetric']").nth(3).inner_text()
    assert "70.6%" in headline
    page.close()


def test_scorecard_of_occupational_safety(warm, browser):  # noqa: F811
    page = _open(browser, f"{warm}/scorecard?agency=職安署")
    page.wait_for_selector("h1:has-text('機關成績單：職安署')", timeout=60_000)
    _settled(page)
    text = _text(page)
    assert "-4,386" in text  # 40,654 → 36,268, not 「成長 3,525」 alone
    page.goto(page.url.replace("/scorecard", "/"))
    _settled(page)
    pill = page.locator("[data-testid='stMetricDelta']").nth(2)  # 累計下載量 of 職安署
    assert pill.inner_text().startswith("-4,386")  # a fall reads as a fall: the down arrow, red
    assert pill.locator("[data-testid='stMetricDeltaIcon-Down']").count() == 1
    svg = page.locator(".js-plotly-plot").first.inner_text()
    assert "40,654" in svg and "36,268" in svg and "-2,337" in svg
    assert "42 項屬此事件" in text
    page.close()


def test_brief_prints_the_overview_headline(warm, browser):  # noqa: F811
    page = _open(browser, warm)
    page.wait_for_selector("h1:has-text('總覽')", timeout=60_000)
    _settled(page)
    on_screen = page.locator("[data-testid='stMetric']").nth(3).inner_text()
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("button", name="下載一頁摘要（PDF）").click()
    pdf = PdfReader(got.value.path())
    words = pdf.pages[0].extract_text().replace("\x00", "")
    assert "70.6%" in on_screen and "70.6%" in words
    assert "106 年發表之意見" in words and "淨變化 +5,962" in words
    page.close()
