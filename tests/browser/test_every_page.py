"""Real browser: `streamlit run` on a free port, every page in headless Chromium (Debian's build).

Checks no error element, downloads both Excel files and reads them, and saves a screenshot of
each page to docs/screenshots/ (README shows them).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import openpyxl
import pytest

from kpi.config.paths import REPO_ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = REPO_ROOT / "docs" / "screenshots"
PAGES = {"": "總覽", "scorecard": "機關成績單", "usage": "使用量與排行", "feedback": "民眾意見", "plan": "行動方案績效",
         "quality": "資料品質與標章", "public_use": "民眾使用分析", "national": "全國比較", "notes": "計算說明", "imports": "資訊處登入"}

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(data_dir):
    port = _free_port()
    env = {**os.environ, "KPI_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not start")
    return proc, url


@pytest.fixture(scope="module")
def server(built_data):
    proc, url = _start(built_data)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_cold_deep_link_is_the_first_request_after_start(built_data, browser):
    """Streamlit's legacy pages/ mode handles the first request after a start: /notes must still
    show 計算說明 with the real menu (no file-name pages such as a helper module)."""
    proc, url = _start(built_data)
    try:
        page = _open(browser, f"{url}/notes?agency=勞保局")
        page.wait_for_selector("h1:has-text('計算說明')", timeout=60_000)
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "總覽" in nav and "使用量與排行" in nav and "ui" not in nav.split()
        assert "勞保局" in page.locator("[data-testid='stSidebar']").inner_text()
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def warm(server, browser):
    """Open the root once, as a person does: Streamlit's first run then registers the navigation."""
    page = _open(browser, server)
    page.wait_for_selector("h1", timeout=60_000)
    page.close()
    return server


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-TW",
                            accept_downloads=True)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stSidebar']", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(1500)
    return page


def _settled(page) -> None:
    """Wait until Streamlit has drawn every element (no skeletons, no running script)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]')"
        " && !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(2000)


@pytest.mark.parametrize("path,title", list(PAGES.items()))
def test_page_renders_without_error(warm, browser, path, title):
    page = _open(browser, f"{warm}/{path}")
    page.wait_for_selector(f"h1:has-text('{title}')", timeout=60_000)
    _settled(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert page.locator("[role='dialog']").count() == 0  # e.g. Streamlit's "Page not found"
    page.screenshot(path=str(SHOTS / f"{path or 'overview'}.png"), full_page=True)
    page.close()


def test_filter_in_url_is_applied(warm, browser):
    page = _open(browser, f"{warm}/feedback?agency=勞發署&as_of=2018-07-20&since=2017-10-30&days=calendar")
    page.wait_for_selector("h1:has-text('民眾意見')", timeout=60_000)
    assert "勞發署" in page.locator("[data-testid='stSidebar']").inner_text()
    page.close()


@pytest.mark.parametrize("button,sheets", [
    ("下載排行（附件一，Excel）", ["附件一"]),
    ("下載會議資料（附件一～四、KPI，Excel）", ["附件一", "附件二", "附件三", "附件四", "KPI摘要"]),
])
def test_excel_downloads(warm, browser, tmp_path, button, sheets):
    page = _open(browser, f"{warm}/?as_of=2017-10-30")
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
