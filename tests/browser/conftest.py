"""Browser fixtures: one headless Chromium and one `streamlit run` on the shared built data per test
process, i.e. per xdist worker (each on a free port, so parallel workers never collide): starting
them per module cost 9–15 s a module. Tests that need a server of their own (cold, signed in, other
data) start it themselves. Every test here is marked `browser` by its folder (tests/conftest.py).

Both are closed as soon as the worker's next test is not a browser test: Playwright's sync API
keeps an asyncio loop running on the main thread, and a later test calling asyncio.run() (the
link check, the fetch) would fail beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, open_drawn, open_page, start, stop

HERE = Path(__file__).resolve().parent
_LIVE: dict[str, object] = {}  # what this worker has started: playwright, browser, server, warm


def _close() -> None:
    if "server" in _LIVE:
        stop(_LIVE.pop("server"))
    if "browser" in _LIVE:
        _LIVE.pop("browser").close()
        _LIVE.pop("playwright").stop()
    _LIVE.pop("url", None)
    _LIVE.pop("warm", None)
    _LIVE.pop("pages", None)  # closed with their browser


def pytest_runtest_teardown(item, nextitem):
    if nextitem is None or HERE not in Path(nextitem.path).parents:
        _close()


@pytest.fixture
def browser():
    if "browser" not in _LIVE:
        from playwright.sync_api import sync_playwright

        _LIVE["playwright"] = sync_playwright().start()
        _LIVE["browser"] = _LIVE["playwright"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    return _LIVE["browser"]


@pytest.fixture
def server(built_data):
    if "server" not in _LIVE:
        _LIVE["server"], _LIVE["url"] = start(built_data)
    return _LIVE["url"]


@pytest.fixture
def warm(server, browser):
    """Open the root once, as a person does: Streamlit's first run then registers the navigation."""
    if "warm" not in _LIVE:
        page = open_page(browser, server)
        page.wait_for_selector("h1", timeout=60_000)
        page.close()
        _LIVE["warm"] = True
    return server


@pytest.fixture
def drawn(warm, browser):
    """``drawn(path_and_query, title)``: that page of the shared server, opened at the meeting-room
    size and settled once per worker, then shared by every test that only reads it (rendered
    without error, axe, the meeting-screen text): each page is drawn once, not once per module.
    A test that clicks or types opens its own page. These tests run on one worker (tests/conftest.py)."""
    def get(path_and_query: str, title: str):
        pages = _LIVE.setdefault("pages", {})
        page = pages.get(path_and_query)
        if page is None or page.is_closed():
            page = pages[path_and_query] = open_drawn(browser, f"{warm}/{path_and_query}", title)
        return page
    return get
