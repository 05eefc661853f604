"""Driving `streamlit run` in Debian's Chromium: start a server on a free port, open a page, wait
until it is drawn. The fixtures that hold a server or a browser are in tests/browser/conftest.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from kpi.config.paths import REPO_ROOT
from kpi.reference.menu import PAGES as MENU
from tests.helpers.cli import WITHOUT_FIGURES
from tests.helpers.ports import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# every page of the router with its title (the office page shows its sign-in to a viewer)
PAGES = {p.slug: p.title_for(office=False) for p in MENU if p.in_menu(office=False)}  # a viewer's menu


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("streamlit did not start")


_NO_FIGURES = WITHOUT_FIGURES + "from streamlit.web.cli import main; main()"  # `streamlit run`, writing so


def start(data_dir: Path | None, script: str | Path = "dashboard.py", figures: bool = True,
          **popen) -> tuple[subprocess.Popen, str]:
    """`streamlit run` on a free port against `data_dir` (None: a script that reads no data);
    returns the process and its address once it answers. ``figures=False``: what the office
    writes there is published without the page figures (computed on demand instead)."""
    port = free_port()
    env = {**os.environ, **({"KPI_DATA_DIR": str(data_dir)} if data_dir else {})}
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.STDOUT)
    streamlit = [sys.executable, "-m", "streamlit"] if figures else [sys.executable, "-c", _NO_FIGURES]
    proc = subprocess.Popen(
        [*streamlit, "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO_ROOT, env=env, **popen)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc)
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=20)


def open_page(browser, url: str):
    """A new page at `url`, once Streamlit has drawn its frame (the sidebar); the caller waits for
    what it reads (its title, then `settled`), so no page waits out a quiet spell twice."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-TW",
                            accept_downloads=True)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stSidebar']", timeout=60_000)
    return page


MEETING_SIZE = {"width": 1366, "height": 768}  # a meeting-room laptop


def open_drawn(browser, url: str, title: str):
    """A page at `url` at the meeting-room size, once its title is there and it has settled."""
    page = open_page(browser, url)
    page.set_viewport_size(MEETING_SIZE)
    page.wait_for_selector(f"h1:has-text('{title}')", timeout=90_000)
    settled(page)
    return page


def settled(page) -> None:
    """Wait until Streamlit has drawn every element (no skeletons, no running script)."""
    quiet(page)


# True once the script has finished (Streamlit marks its root with data-test-script-state; the
# status widget is hidden by toolbarMode minimal), nothing is loading, and the document has not
# changed for `ms` milliseconds (a MutationObserver notes every change: a chart drawn, a font applied)
_QUIET = """(ms) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const running = !app || app.getAttribute('data-test-script-state') !== 'notRunning';
  const busy = running || document.querySelector('[data-testid="stSkeleton"], [data-testid="stStatusWidget"]');
  if (!window.__kpiObserver) {
    window.__kpiLast = performance.now();
    window.__kpiObserver = new MutationObserver(() => { window.__kpiLast = performance.now(); });
    window.__kpiObserver.observe(document, {subtree: true, childList: true, attributes: true,
                                            characterData: true});
  }
  if (busy) { window.__kpiLast = performance.now(); return false; }
  return performance.now() - window.__kpiLast >= ms;
}"""


def quiet(page, ms: int = 500) -> None:
    """Wait until Streamlit has finished and the page has stopped changing for `ms` (instead of a
    fixed pause: the suite spent ~1.5–2 s asleep after every page, more than most pages need and
    on a loaded machine sometimes less). The script's end is read from Streamlit itself, so the
    quiet spell only has to cover what the browser draws after the last message (charts, fonts)."""
    page.evaluate("() => { window.__kpiLast = performance.now(); }")  # at least `ms` from now:
    page.wait_for_function(_QUIET, arg=ms, timeout=60_000, polling=100)  # a click's rerun has begun
