"""Issue 10 (items 1, 7, 11): 民國 dates, zh-TW table text, readable tables with a 合計 row.

Formatter cases are worked out by hand (民國 = AD − 1911); the 合計 figures are the 106/10/30
ministry totals published in the 106-2 minutes (附件一: 562 datasets, 884,091 views, 144,897
downloads), also what `python -m kpi report --as-of 2017-10-30` gives.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pandas as pd
import plotly.express as px
import pytest
from streamlit.testing.v1 import AppTest

from kpi.config.paths import REPO_ROOT
from kpi.reference.dates import is_date_column, roc, roc_frame, roc_ticks

# ---- the formatter (kpi/reference/dates.py) -------------------------------------------------------------


def test_roc_styles():
    day = dt.date(2018, 7, 20)
    assert roc(day) == "107/07/20"
    assert roc(day, "long") == "民國107年7月20日"
    assert roc(day, "month") == "107年7月"
    assert roc(day, "cell") == "107/07/20"


def test_roc_accepts_every_date_type_and_blanks_missing():
    assert roc(pd.Timestamp("2017-10-30")) == "106/10/30"
    assert roc(np.datetime64("2017-10-30")) == "106/10/30"
    assert roc(dt.datetime(2017, 10, 30, 0, 0)) == "106/10/30"
    for missing in (None, pd.NaT, float("nan"), pd.NA, np.datetime64("NaT")):
        assert roc(missing) == ""
        assert roc(missing, "cell") == ""


def test_cell_style_shows_a_time_only_when_there_is_one():
    assert roc(dt.datetime(2018, 7, 20, 14, 5, 9), "cell") == "107/07/20 14:05"
    assert roc(pd.Timestamp("2018-07-20 00:00:00"), "cell") == "107/07/20"  # never 00:00:00
    # a time-zone-aware moment is shown in Taiwan time: 06:05 UTC = 14:05 in Taipei
    assert roc(pd.Timestamp("2018-07-20T06:05:00Z"), "cell") == "107/07/20 14:05"


def test_years_before_minguo_100_are_padded_in_cells_only():
    """民國99 = 2010: a table cell writes 099/12/31 so the column sorts as dates; prose 99/12/31."""
    day = dt.date(2010, 12, 31)
    assert roc(day, "cell") == "099/12/31"
    assert roc(day) == "99/12/31"
    assert roc(day, "long") == "民國99年12月31日"


def test_cell_strings_sort_in_date_order():
    days = [dt.date(2010, 12, 31), dt.date(2011, 1, 1), dt.date(2013, 11, 6), dt.date(2017, 10, 30),
            dt.date(2018, 7, 20), dt.datetime(2018, 7, 20, 9, 30), dt.date(2018, 7, 21)]
    texts = [roc(d, "cell") for d in days]
    assert texts == ["099/12/31", "100/01/01", "102/11/06", "106/10/30", "107/07/20",
                     "107/07/20 09:30", "107/07/21"]
    assert sorted(reversed(texts)) == texts


def test_roc_frame_converts_every_kind_of_date_column():
    frame = pd.DataFrame({
        "listed_on": pd.to_datetime(["2013-11-06", None]),          # datetime64 with NaT
        "posted_on": [dt.date(2017, 10, 30), None],                   # date objects
        "decided_at": ["2026-11-26", "2026-11-26T14:05:00+08:00"],    # ISO texts, date-named
        "dataset_name": ["2018-07-20", "勞保局服務電話"],               # data text: left as typed
        "views": [1, 2],
    })
    out = roc_frame(frame)
    assert out["listed_on"].iloc[0] == "102/11/06" and pd.isna(out["listed_on"].iloc[1])
    assert out["posted_on"].iloc[0] == "106/10/30" and pd.isna(out["posted_on"].iloc[1])
    assert out["decided_at"].tolist() == ["115/11/26", "115/11/26 14:05"]
    assert out["dataset_name"].tolist() == ["2018-07-20", "勞保局服務電話"]
    assert out["views"].tolist() == [1, 2]
    assert frame["listed_on"].dtype.kind == "M"  # the caller's frame is not changed
    assert not is_date_column(pd.Series(["abc", ""]), "title")


def test_roc_ticks_for_plotly_axes():
    # two snapshots: each labelled itself
    assert roc_ticks(pd.to_datetime(["2017-10-30", "2018-07-20"])) == {
        "tickvals": ["2017-10-30", "2018-07-20"], "ticktext": ["106/10/30", "107/07/20"]}
    # many dates: month ticks, at most 8, in 民國 words
    ticks = roc_ticks(pd.date_range("2017-10-30", "2018-07-20", freq="W"))
    assert ticks["ticktext"][-1] == "107年7月" and len(ticks["ticktext"]) <= 8
    assert all(re.fullmatch(r"1\d\d年\d{1,2}月", t) for t in ticks["ticktext"])
    # five years: year ticks
    years = roc_ticks(pd.date_range("2013-11-06", "2018-07-20", freq="MS"))
    assert years["ticktext"] == ["103年", "104年", "105年", "106年", "107年"]
    assert roc_ticks([None, pd.NaT]) == {}


# ---- the 合計 row (kpi/metrics/usage.with_total) -------------------------------------------------


def test_total_row_reproduces_the_minutes(gw):
    from kpi.metrics import usage
    from kpi.metrics.scope import resolve_scope

    frame = usage.agency_usage(gw, resolve_scope(gw, as_of=dt.date(2017, 10, 30)))
    total = usage.with_total(frame).iloc[-1]
    assert total["short_name"] == "合計"
    assert (total["datasets"], total["views"], total["downloads"]) == (562, 884_091, 144_897)
    # no earlier snapshot: growth is not defined, so its total stays blank (not 0)
    assert total["views_growth"] is None and total["new_datasets"] is None
    assert pd.isna(total["agency"])  # nothing but the label and the counts is filled in


def test_total_row_with_a_comparison(gw):
    """107/07/20 against 106/10/30 (report --json: 565 datasets, 150,859 downloads)."""
    from kpi.metrics import usage
    from kpi.metrics.scope import resolve_scope

    frame = usage.agency_usage(gw, resolve_scope(gw))
    total = usage.with_total(frame).iloc[-1]
    assert (total["datasets"], total["downloads"]) == (565, 150_859)
    assert total["downloads_growth"] == int(frame["downloads_growth"].sum())
    assert total["removed_datasets"] == int(frame["removed_datasets"].sum())
    assert len(usage.with_total(frame.iloc[0:0])) == 0


# ---- pages in-process (AppTest) --------------------------------------------------------------


def _page(page: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


_ISO = re.compile(r"\b(?:19|20)\d\d-\d\d-\d\d\b")


def _shown_cells(at: AppTest):
    for df in at.dataframe:
        yield from df.value.columns.astype(str)
        for col in df.value.columns:
            values = df.value[col]
            if values.dtype.kind == "M":
                yield "datetime column " + str(col)
            yield from (str(v) for v in values if isinstance(v, str))


@pytest.mark.parametrize("page", ["pages/usage.py", "pages/notes.py", "pages/national.py",
                                  "pages/matches.py", "pages/overview.py"])
def test_tables_show_roc_dates_and_no_missing_marker(gw, page):
    at = _page(page)
    for df in at.dataframe:
        assert df.proto.placeholder == "—", "a missing value would read None"
    cells = list(_shown_cells(at))
    bad = [c for c in cells if _ISO.search(c) or "00:00:00" in c or c.startswith("datetime column")
           or re.fullmatch(r"\d{13}", c)]
    assert not bad, bad


def test_usage_page_total_row_rank_label_and_pinned_name(gw):
    at = _page("pages/usage.py", {"as_of": "2017-10-30"})
    agencies = at.dataframe[0].value
    total = agencies.iloc[-1]
    assert total["機關"] == "合計"
    assert (total["資料集數"], total["累計瀏覽量"], total["累計下載量"]) == (562, 884_091, 144_897)
    ranking = at.dataframe[1].value
    assert list(ranking.columns[:2]) == ["名次", "資料集名稱"]  # 名次 on pages, 編號 in the Excel
    assert "服務分類" in ranking.columns  # 附件二 gives 服務分類 to some 2017 datasets
    assert any(c.value.startswith("服務分類：") and "其餘以「—」表示" in c.value for c in at.caption)
    config = json.loads(at.dataframe[1].proto.columns)
    assert config["資料集名稱"]["pinned"] is True and config["資料集名稱"]["width"] >= 300
    assert config["名次"]["pinned"] is True
    assert config["累計瀏覽量"]["type_config"]["format"] == "localized"  # 884,091


def test_notes_snapshot_dates_are_roc(gw):
    at = _page("pages/notes.py")
    snaps = next(df.value for df in at.dataframe if "快照日" in df.value.columns)
    assert snaps["快照日"].tolist()[:2] == ["106/10/30", "107/07/20"]


def test_an_empty_table_is_said_in_words(gw):
    """No rows → 「（無資料）」 instead of Streamlit's English 'empty' grid."""
    at = _page("pages/usage.py", {"agency": ["勞保局"]})  # 勞保局 removed nothing 106/10/30 → 107/07/20
    assert "前次有、本次沒有的資料集（0 項）" in [h.value for h in at.header]
    assert "（無資料）" in [c.value for c in at.caption]


def test_history_chart_axis_in_roc(gw):
    from pages.ui.render import _roc_axes

    frame = pd.DataFrame({"as_of": [dt.date(2015, 12, 31), dt.date(2017, 10, 30), dt.date(2018, 7, 20)],
                          "datasets": [255, 562, 565]})
    fig = px.line(frame, x="as_of", y="datasets")
    _roc_axes(fig)
    assert list(fig.layout.xaxis.ticktext) == ["104/12/31", "106/10/30", "107/07/20"]
    assert "%{customdata[0]}" in fig.data[0].hovertemplate
    assert [r[0] for r in fig.data[0].customdata] == ["104/12/31", "106/10/30", "107/07/20"]


def test_streamlit_menu_is_minimal():
    text = (REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r'^toolbarMode = "minimal"$', text, re.M)


def _render_script():
    import datetime as dt

    import pandas as pd
    import streamlit as st

    from pages.ui.render import table

    table(pd.DataFrame({"dataset_name": [], "posted_on": []}))
    frame = pd.DataFrame({"rank": [1, 2], "dataset_name": ["甲", "乙"],
                          "listed_on": [dt.datetime(2013, 11, 6), None],
                          "service_category": [None, None], "broken_link": [True, False],
                          "views": [884091, None]})
    table(frame, config={"broken_link": st.column_config.CheckboxColumn()})


def test_render_table_in_process():
    at = AppTest.from_function(_render_script, default_timeout=60)
    at.run()
    assert not at.exception
    assert [c.value for c in at.caption] == ["（無資料）"]  # the empty frame: words, no grid
    df = at.dataframe[0]
    shown = df.value
    # 服務分類 empty on every row → left out; rank reads 名次; dates in 民國 form
    assert list(shown.columns) == ["名次", "資料集名稱", "上架日", "錯誤連結", "累計瀏覽量"]
    assert shown["上架日"].iloc[0] == "102/11/06" and pd.isna(shown["上架日"].iloc[1])
    assert df.proto.placeholder == "—"
    config = json.loads(df.proto.columns)
    assert config["錯誤連結"]["type_config"]["type"] == "checkbox"
    assert config["錯誤連結"]["label"] == "錯誤連結"  # the override kept the kpi.reference.fields label
    assert config["資料集名稱"]["pinned"] is True


def test_growth_charts_sorted_with_one_colour_per_agency(gw):
    at = _page("pages/usage.py")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    specs = [s for s in specs if s["data"][0]["type"] == "bar"]  # the movers (the waterfalls come first)
    assert len(specs) == 2
    colours = {}
    for spec in specs:
        layout = spec["layout"]
        assert layout.get("showlegend") is not False and layout["legend"]["orientation"] == "h"
        # bottom-to-top category order: read top-down the bars go by downloads_change
        names = layout["yaxis"]["categoryarray"][::-1]
        change = {y: x for t in spec["data"] for y, x in zip(t["y"], _values(t["x"]), strict=True)}
        values = [change[n] for n in names]
        assert values in (sorted(values, reverse=True), sorted(values))
        for t in spec["data"]:
            assert colours.setdefault(t["name"], t["marker"]["color"]) == t["marker"]["color"]
    top = specs[0]["layout"]["yaxis"]["categoryarray"][-1]
    assert top == "初任人員平均經常性薪資"  # +3,118 downloads, 106/10/30 → 107/07/20


def _values(x):
    """Plotly JSON writes a numeric array either as a list or as {"dtype", "bdata"} (base64)."""
    if isinstance(x, dict):
        import base64

        return np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]).tolist()
    return list(x)
