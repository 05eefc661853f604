"""Issue 25: the 民眾使用分析 page and the 年度 filter, through Streamlit's AppTest.

(The browser checks — 民國 dates, no English, axe — run on this page through the page lists of
tests/browser/test_meeting_screen.py and tests/browser/test_accessibility.py.)
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.engine.test_year_opendata import TEXT_107
from tests.pages.test_meeting_pages import _app as _meeting_app

PAGE = "pages/public_use.py"


def _app(query: dict, page: str = PAGE) -> AppTest:
    return _meeting_app(page, query)  # runs dashboard.py with the query, switches, no exception


def _no_download(gw, agencies: list[str] | None = None) -> list[int]:
    from kpi.metrics import public_use
    from kpi.metrics.scope import resolve_scope

    scope = resolve_scope(gw, agencies=agencies)
    return public_use.no_download(public_use.usage_frame(gw, scope), scope.agencies)["no_download"].tolist()


def _frame(at: AppTest, first_column: str):
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column)


def test_default_view(gw):
    at = _app({})
    assert at.title[0].value == "民眾使用分析"
    assert [h.value for h in at.header] == ["依服務分類", "依檔案格式", "依上架年數", "使用集中度",
                                            "各機關期間無人下載的資料集", "成長最快與衰退最多"]
    assert at.caption[0].value.startswith("期間：106/10/30 後至 107/07/20。")
    zero = _frame(at, "機關")
    assert zero["機關"].tolist() == ["勞動部", "勞保局", "勞發署", "基金局", "職安署", "勞研所"]
    assert zero["期間無人下載"].tolist() == _no_download(gw)  # hand-worked in test_public_use
    assert any(i.value.startswith("判斷衰退需比較同長度的前一期間") for i in at.info)  # needs a third snapshot
    assert any(c.value.startswith("服務分類：42 項有資料，523 項沒有") for c in at.caption)


def test_one_agency_and_a_year_in_the_url(gw):
    at = _app({"agency": "勞保局", "period_year": "107", "use_by": "views"})
    assert at.caption[0].value.startswith(f"期間：107 年度（{TEXT_107}）。")
    assert at.radio(key="public_use_by").value == "views"
    zero = _frame(at, "機關")
    assert zero["機關"].tolist() == ["勞保局"] and zero["期間無人下載"].tolist() == _no_download(gw, ["勞保局"])
    sidebar = [c.value for c in at.sidebar.caption]
    assert f"107 年度：{TEXT_107}" in sidebar
    assert at.sidebar.selectbox(key="as_of").disabled and at.sidebar.selectbox(key="since").disabled
    assert at.query_params["period_year"] in ("107", ["107"])
    assert at.query_params["use_by"] in ("views", ["views"])


def test_year_filter_sets_the_dates_on_other_pages(gw):
    at = _app({"period_year": "107", "as_of": "2017-10-30", "since": "none"}, "pages/usage.py")
    assert at.sidebar.selectbox(key="as_of").value == "2018-07-20"
    assert at.sidebar.selectbox(key="since").value == "2017-10-30"
    at.sidebar.selectbox(key="period_year").select("").run()  # back to two chosen dates
    assert not at.sidebar.selectbox(key="as_of").disabled
    assert "period_year" not in at.query_params


def test_plan_links_keep_their_own_year(gw):
    """SPEC §8: plan?year=106 was handed out before the 年度 filter; it is not a period year."""
    at = _app({"year": "106"}, "pages/plan.py")
    assert at.sidebar.selectbox(key="period_year").value == ""
    assert at.sidebar.selectbox(key="as_of").value == "2018-07-20"


def test_office_page_offers_the_year_open_dataset(gw, monkeypatch):
    import io
    import zipfile

    from kpi.ops.auth import hash_password
    from pages.ui.downloads import _opendata
    from tests.pages.test_import_page import PASSWORD, _page

    monkeypatch.setenv("KPI_OFFICE_PASSWORD_HASH", hash_password(PASSWORD, iterations=1000))
    at = _page()
    at.text_input[0].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.selectbox(key="opendata_year").options == ["107 年度", "106 年度"]
    assert f"107 年度（{TEXT_107}）" in [c.value for c in at.caption]
    buttons = [b for b in at.get("download_button") if "年度開放資料集" in b.proto.label]
    assert [b.proto.label for b in buttons] == [
        "下載 107 年度開放資料集（CSV、JSON、資料字典、datapackage.json、清單列；zip）"]
    names = zipfile.ZipFile(io.BytesIO(_opendata("test", 107))).namelist()
    assert "opendata_107/datapackage.json" in names and "opendata_107/dataset_usage_107.csv" in names
