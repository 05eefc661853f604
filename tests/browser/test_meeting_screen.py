"""Issue 10 in a real browser, as a committee member sees it (viewer, 1366×768): every page
opened cold on the embedded default, with the default filters and with ?agency=勞保局.

Fails on: a date not in 民國 form, a 13-digit number, 00:00:00, None/nan/NaT/empty, an English
UI word, a slider or an office page for a viewer, a command line, a hash, a rank that is 1 of
1, a top-3 proposal on partial indicators, a headline 無資料. Screenshots of each page go to
docs/screenshots/meeting/ (committed; read them before a release).
"""

from __future__ import annotations

import re

import pytest

from kpi.config.paths import REPO_ROOT
from tests.helpers.browser import MEETING_SIZE, open_drawn, quiet
from tests.helpers.screen_text import AD_DATE, ALLOWED, ENGLISH, HEX_HASH, NULL_WORDS, THIRTEEN_DIGITS

SHOTS = REPO_ROOT / "docs" / "screenshots" / "meeting"
PAGES = {"": "總覽", "usage": "使用量與排行", "feedback": "民眾意見", "plan": "行動方案績效",
         "quality": "資料品質與標章", "public_use": "民眾使用分析", "national": "全國比較", "scorecard": "機關成績單",
         "notes": "計算說明"}
VIEWS = {"default": "", "agency": "?agency=勞保局"}

# Every text a person can see: the DOM's text (grid cells, chart axes in SVG included) without
# icon ligatures (material icons are drawn from words such as keyboard_arrow_right).
VISIBLE_TEXT = """() => {
  const skip = 'script, style, noscript, [data-testid="stIconMaterial"], .material-icons,'
    + ' [data-testid="stSidebarCollapseButton"], [data-testid="stExpandSidebarButton"],'
    + ' .stSkipToContent, [data-testid="stSkipToContent"]';  // relabelled 跳至主要內容 by CSS: see the test below
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (el && !el.closest(skip) && node.textContent.trim()) out.push(node.textContent.trim());
  }
  return out.join('\\n');  // one line per text node: adjacent grid cells never merge into one number
}"""

def _shoot(page, path) -> None:
    """The whole page at 1366 wide: Streamlit scrolls inside its main block, so the window is made
    as tall as that block's content (at most 6,000 px) for the screenshot."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight")
    page.set_viewport_size({"width": 1366, "height": min(max(int(height), 768), 6000)})
    quiet(page)  # charts redraw at the new size
    page.screenshot(path=str(path))
    page.set_viewport_size(MEETING_SIZE)
    quiet(page)  # and back: the page is shared with the other tests that read it


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("path", list(PAGES))
def test_page_is_meeting_ready(drawn, data_words, path, view):
    page = drawn(f"{path}{VIEWS[view]}", PAGES[path])
    text = page.evaluate(VISIBLE_TEXT)
    name = path or "overview"
    _shoot(page, SHOTS / f"{name}-{view}.png")

    assert page.locator("[data-testid='stException']").count() == 0
    assert not AD_DATE.findall(text), AD_DATE.findall(text)[:5]
    assert not THIRTEEN_DIGITS.findall(text), THIRTEEN_DIGITS.findall(text)[:5]
    assert "00:00:00" not in text
    assert not NULL_WORDS.findall(text), NULL_WORDS.findall(text)[:5]
    english = sorted({w for w in ENGLISH.findall(text) if w not in ALLOWED and w not in data_words})
    assert not english, english
    # a viewer changes nothing and sees no office tools
    assert page.locator("[data-testid='stSlider']").count() == 0
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "資料匯入" not in nav and "比對確認" not in nav
    assert "python -m kpi" not in text and "hash-password" not in text and "secrets" not in text
    assert not HEX_HASH.findall(text), HEX_HASH.findall(text)[:3]
    # ranks are ranks in the whole group, never 1 of 1; no proposal on partial indicators
    assert not re.search(r"第\s*1\s*名\s*／\s*1(?!\d)", text)
    if path == "plan":
        assert "建議獎勵" not in text  # 3 of the 5 indicators have no data on the embedded default
        assert "僅依 2/5 項指標" in text
        if view == "agency":
            assert re.search(r"第\s*\d\s*名\s*／\s*6", text)
    if path == "":
        values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
        assert values and "無資料" not in values
    if view == "agency":
        assert "勞保局" in page.locator("[data-testid='stSidebar']").inner_text()


def test_streamlit_menu_shows_no_english_to_a_viewer(server, browser):
    page = open_drawn(browser, server, "總覽")
    menu = page.locator("[data-testid='stMainMenu']")
    if menu.count():
        menu.first.click()
        page.wait_for_timeout(500)
    text = page.locator("body").inner_text()
    for word in ("Print", "Record", "Made with Streamlit", "Rerun", "Settings", "Deploy"):
        assert word not in text
    # Streamlit's skip link (shown on keyboard focus) reads 跳至主要內容, its English hidden
    skip = page.locator(".stSkipToContent, [data-testid='stSkipToContent']")
    if skip.count():
        label = skip.first.evaluate("e => getComputedStyle(e, '::after').content")
        assert label == '"跳至主要內容"' and skip.first.evaluate("e => getComputedStyle(e).fontSize") == "0px"
    page.close()
