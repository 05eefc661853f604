"""The one way a test drives the dashboard in-process (Streamlit's AppTest): open dashboard.py with
a query and secrets, optionally sign the office in, switch to a page, and fail on any exception."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from kpi.config.paths import REPO_ROOT
from tests.helpers.office import PASSWORD

DASHBOARD = str(REPO_ROOT / "dashboard.py")


def no_exception(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def visit(at: AppTest, page: str) -> AppTest:
    """Switch a running app to `page` (e.g. "pages/usage.py") as the sidebar menu does."""
    at.switch_page(page).run()
    return no_exception(at)


def sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    """The office signs in on 資訊處登入 (its hash set with tests.helpers.office.allow_office)."""
    visit(at, "pages/imports.py")
    at.text_input[0].input(password)
    at.button[0].click().run()
    return no_exception(at)


def app(page: str | None = None, query: dict | None = None, *, secrets: dict | None = None,
        office: bool = False, timeout: float = 120) -> AppTest:
    """The dashboard opened with `query` in the URL and `secrets`, the office signed in if asked,
    then on `page`; every run checked for an exception."""
    at = AppTest.from_file(DASHBOARD, default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.run()
    no_exception(at)
    if office:
        sign_in(at)
    if page:
        visit(at, page)
    return at
