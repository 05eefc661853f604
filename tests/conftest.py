"""Fixtures every folder uses: the built store template, a shared read-only copy (built_data, gw) and a
private writable copy per test (fresh_data). Folder markers: tests/browser/ is `browser`.

Every test works on a copy of data/ (KPI_DATA_DIR), never on the repo's own folder. The embedded
default is built once per test process (one per xdist worker) and copied, never rebuilt per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.store import build_template, built_copy

TESTS = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups and before `-m` deselects
def pytest_collection_modifyitems(config, items):
    """A test under tests/browser/ drives Chromium: marked `browser` by its folder, not file by file.
    A test marked `serial` (it needs the machine to itself: time or memory caps) is also `slow`.

    A module whose tests share a module-scoped fixture (a streamlit server, a data folder built with
    extra imports) keeps them on one xdist worker (`--dist loadgroup`), so it is set up once, not
    once per worker. Modules holding slow or browser tests go first, each kept whole: the longest
    work starts while the short tests fill in around it, instead of one long test ending the run
    alone (the 50 killed imports take ≈4 minutes of one worker)."""
    browser = TESTS / "browser"
    for item in items:
        if browser in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("serial"):
            item.add_marker(pytest.mark.slow)
        defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
        if "drawn" in getattr(item, "fixturenames", ()):  # pages drawn once and shared: one worker
            item.add_marker(pytest.mark.xdist_group("browser-drawn-pages"))
        elif any(d.scope == "module" for fixturedefs in defs.values() for d in fixturedefs):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
    heavy = {str(item.path) for item in items
             if item.get_closest_marker("slow") or item.get_closest_marker("browser")}
    items.sort(key=lambda item: str(item.path) not in heavy)  # stable: modules stay whole, in order


@pytest.fixture(scope="session", autouse=True)
def real_publish():
    """Commits in tests skip computing the page figures (3–5 s each, most of a commit; ~580 s of
    the quick loop's ~1240 s when they did not): such a version is served on demand, as a store
    from before the figures were published is. Returned: the real step, for whoever needs it —
    the template (so the shared store serves pages by lookup, as the product's does), tests marked
    `publishes` (tests/store/test_published_figures.py checks both ways, and that published
    equals on demand for every page and agency), and every `python -m kpi` a test starts
    (unless it asks for tests.helpers.cli.command(..., figures=False), where they are not under test)."""
    from kpi.build import figures

    real = figures.publish
    patch = pytest.MonkeyPatch()
    patch.setattr(figures, "publish", lambda version: {})
    yield real
    patch.undo()


@pytest.fixture(autouse=True)
def _page_figures_where_tested(request, real_publish, monkeypatch):
    if request.node.get_closest_marker("publishes"):
        from kpi.build import figures

        monkeypatch.setattr(figures, "publish", real_publish)


@pytest.fixture(scope="session")
def store_template(real_publish, tmp_path_factory) -> Path:
    """The embedded default, built once for this process; never handed to a test to write in."""
    from kpi.build import figures

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(figures, "publish", real_publish)
        return build_template(tmp_path_factory.mktemp("template") / "data")


@pytest.fixture(scope="session")
def built_data(store_template, tmp_path_factory) -> Path:
    """A built store on the embedded default data, shared read-only by the tests."""
    return built_copy(store_template, tmp_path_factory.mktemp("shared") / "data")


@pytest.fixture
def gw(built_data, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    from kpi.store import gateway

    return gateway()


@pytest.fixture
def fresh_data(store_template, tmp_path, monkeypatch) -> Path:
    """A private, built copy for tests that import or undo (they change the store)."""
    path = built_copy(store_template, tmp_path / "data")
    monkeypatch.setenv("KPI_DATA_DIR", str(path))
    return path


@pytest.fixture
def data_words(gw) -> set[str]:
    """English inside the embedded data (pages/ and browser/ allow it on screen: it is the data)."""
    from tests.helpers.screen_text import english_in_data

    return english_in_data(gw)


@pytest.fixture(scope="module")
def hostile_data(store_template, tmp_path_factory) -> Path:
    """A data folder where a name made of Markdown, HTML and LaTeX grows the most (pages/, browser/)."""
    from tests.helpers.hostile_names import hostile_name_data

    return hostile_name_data(store_template, tmp_path_factory.mktemp("hostile-names"))
