"""One record per page (kpi/reference/menu.py): the router, the URL code, the tests and the bench
read it, and a page script without a record fails here."""

from __future__ import annotations

import re

from kpi.config.paths import REPO_ROOT
from kpi.reference.menu import BY_SLUG, EVERYONE, OFFICE, PAGES, VIEWER_PAGES, page


def test_every_page_script_has_one_record_and_every_record_a_script():
    scripts = {f"pages/{p.name}" for p in (REPO_ROOT / "pages").glob("*.py") if p.name != "__init__.py"}
    assert sorted(p.script for p in PAGES) == sorted(scripts)
    assert len({p.slug for p in PAGES}) == len({p.title for p in PAGES}) == len(PAGES)
    assert [p.title for p in PAGES if p.default] == ["總覽"]
    assert {p.role for p in PAGES} == {EVERYONE, OFFICE}


def test_who_sees_what():
    viewer = [p.title_for(office=False) for p in PAGES if p.in_menu(office=False)]
    office = [p.title_for(office=True) for p in PAGES if p.in_menu(office=True)]
    assert viewer == ["總覽", "機關成績單", "使用量與排行", "民眾意見", "行動方案績效", "資料品質與標章", "民眾使用分析",
                      "全國比較", "計算說明", "資訊處登入"]
    assert office == ["總覽", "機關成績單", "使用量與排行", "民眾意見", "行動方案績效", "資料品質與標章", "民眾使用分析",
                      "全國比較", "比對確認", "計算說明", "資料匯入"]
    assert [p.slug for p in VIEWER_PAGES] == ["", "scorecard", "usage", "feedback", "plan", "quality", "public_use",
                                              "national", "notes"]
    assert page("imports").icon_for(office=False) == ":material/login:" != page("imports").icon_for(office=True)


def test_the_router_registers_the_records(monkeypatch):
    """What the router hands st.Page for each record (st.Page itself needs a running script)."""
    import pages.ui.router as router

    monkeypatch.setattr(router.st, "Page", lambda script, **kw: (script, kw))
    for office in (False, True):
        got = router.page_registry(office)
        assert [script for script, _ in got] == [r.script for r in PAGES]
        assert [(kw["title"], kw.get("url_path", ""), kw["default"], kw["visibility"], kw["icon"]) for _, kw in got] == [
            (r.title_for(office), r.slug, r.default, "visible" if r.in_menu(office) else "hidden", r.icon_for(office))
            for r in PAGES]
    assert router.HIDDEN_FOR_VIEWERS == ("比對確認",)


def test_url_parameters_belong_to_registered_pages():
    from pages.ui.url import PAGE_PARAMS

    assert set(PAGE_PARAMS) == {"usage", "plan", "public_use"} and set(PAGE_PARAMS) <= set(BY_SLUG)


def test_warm_up_and_bench_name_registered_pages():
    titles = {p.title for p in PAGES}
    warm = REPO_ROOT / "kpi/metrics/warm.py"  # replaced by figures computed at publish (issue 26)
    keys = set(re.findall(r'^\s+"([^"]+)": \[', warm.read_text(encoding="utf-8"), re.M)) if warm.exists() else set()
    assert keys <= titles, keys - titles
    from bench.browser import DASHBOARD_PATHS

    assert [p.slug for p in VIEWER_PAGES] == DASHBOARD_PATHS


def test_no_other_module_lists_the_pages():
    """A list of (nearly) every page script written out again: it should read the registry.
    Tests that pick a few pages on purpose are not lists of the pages."""
    script = r"[\"']pages/[a-z_]+\.py[\"']"
    listing = re.compile(rf"{script}(?:\s*,\s*{script}){{{len(VIEWER_PAGES) - 2},}}")
    code = [*REPO_ROOT.glob("kpi/**/*.py"), *REPO_ROOT.glob("pages/**/*.py"), REPO_ROOT / "dashboard.py",
            *[p for p in REPO_ROOT.glob("bench/*.py") if p.name != "run.py"],  # run.py: removed by issue 26
            *REPO_ROOT.glob("tests/**/*.py")]
    assert listing.search('["pages/a.py", "pages/b.py",\n "pages/c.py", "pages/d.py", "pages/e.py", "pages/f.py",'
                          ' "pages/g.py", "pages/h.py"]')
    assert [str(p.relative_to(REPO_ROOT)) for p in code if listing.search(p.read_text(encoding="utf-8"))] == []
