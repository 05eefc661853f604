"""One real-browser check behind tests/pages/test_data_text_pages.py: in Chromium's DOM the hostile
dataset name reads exactly as typed in the 使用量 movers chart (Plotly's SVG) and its caption,
with no emoji, colour, bold or formula made of it."""

from __future__ import annotations

import pytest

from tests.browser.test_every_page import _open, _start, browser  # noqa: F401 - the fixture is used by name
from tests.pages.test_data_text_pages import NAME, hostile_data  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


def test_hostile_name_in_the_dom_of_the_usage_page(hostile_data, browser):  # noqa: F811
    proc, url = _start(hostile_data)
    try:
        page = _open(browser, f"{url}/usage?since=2018-08-31&agency=勞動部")
        caption = page.locator("[data-testid='stCaptionContainer']", has_text="成長最多 10 項：").first
        caption.wait_for(timeout=90_000)
        assert NAME in caption.inner_text()
        assert caption.locator("b, strong, em, a, .katex, [style*='color']").count() == 0
        assert "🚀" not in page.locator("[data-testid='stMain']").inner_text()
        page.locator(".js-plotly-plot .ytick text", has_text="警告").first.wait_for(timeout=60_000)
        ticks = page.locator(".js-plotly-plot .ytick text").all_text_contents()
        assert NAME in ticks, [t for t in ticks if "警告" in t]
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_plain_text_in_an_alert_reads_as_typed(browser, tmp_path):  # noqa: F811
    """st.error/st.success always render Markdown: plain() escapes what they would interpret."""
    import subprocess
    import sys
    import time
    import urllib.request

    from kpi.config.paths import REPO_ROOT
    from tests.browser.test_every_page import _free_port

    app = tmp_path / "alert.py"
    app.write_text(f"import sys\nsys.path.insert(0, {str(REPO_ROOT)!r})\nimport streamlit as st\n"
                   "from pages.ui.render import plain\n"
                   f"st.error(plain({NAME!r}))\n", encoding="utf-8")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except (TimeoutError, OSError):
                time.sleep(0.5)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}")
        alert = page.locator("[data-testid='stAlert']").first
        alert.wait_for(timeout=60_000)
        assert alert.inner_text().strip() == NAME
        assert alert.locator("b, strong, em, .katex, [style*='color']").count() == 0
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
