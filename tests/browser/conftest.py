"""Browser fixtures: one headless Chromium and one `streamlit run` on the shared built data per test
process, i.e. per xdist worker (each on a free port, so parallel workers never collide): starting
them per module cost 9–15 s a module. Tests that need a server of their own (cold, signed in, other
data) start it themselves. Every test here is marked
`browser` by its folder (tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, open_page, start, stop


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def server(built_data):
    proc, url = start(built_data)
    yield url
    stop(proc)


@pytest.fixture(scope="session")
def warm(server, browser):
    """Open the root once, as a person does: Streamlit's first run then registers the navigation."""
    page = open_page(browser, server)
    page.wait_for_selector("h1", timeout=60_000)
    page.close()
    return server
