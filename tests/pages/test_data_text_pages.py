"""A dataset name made of Markdown, Streamlit shortcodes and directives, HTML entities, HTML and
LaTeX reads exactly as typed on every page that lists datasets: in tables as the cell, in text
elements as typed, in Markdown elements with every special character escaped, and in chart labels
HTML-escaped (Plotly reads tags). AppTest sees what each element is given to render."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from kpi.config.paths import REPO_ROOT

NAME = ":red[警告] :rocket: &amp; <b>x</b> $x$ **粗體** _斜_ [連結](http://example.com) #標題"
HEADER = "提供機關名稱,資料集名稱,瀏覽人次,下載次數,資料集評分,上架日\n"
MARKDOWN_KINDS = ("markdown", "caption", "title", "header", "subheader", "success", "info", "warning",
                  "error")
PAGES = ("pages/usage.py", "pages/overview.py", "pages/scorecard.py", "pages/matches.py")
OFFICE_ONLY = {"pages/matches.py"}  # reached by the signed-in office
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    """The embedded default plus 2018-08-31 and 2018-09-30 snapshots of 勞動部 holding the hostile
    name, which grows the most between them (so it is in tables, the movers chart and its caption)."""
    from tests.conftest import copy_data

    path = copy_data(tmp_path_factory.mktemp("hostile-names"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KPI_DATA_DIR", str(path))
        from kpi.service import build, import_file
        from kpi.store import gateway

        build("test")
        rows = gateway().query("SELECT dataset_name, views, downloads, listed_on FROM counter "
                               "WHERE snapshot_date = ? AND agency = '勞動部'", [dt.date(2018, 7, 20)])
        for day, grown in ((dt.date(2018, 8, 31), 0), (dt.date(2018, 9, 30), 1)):
            lines = [HEADER]
            for r in rows.itertuples():
                listed = "" if r.listed_on is None or r.listed_on != r.listed_on else str(r.listed_on)[:10]
                name = '"' + str(r.dataset_name).replace('"', '""') + '"'
                lines.append(f"勞動部,{name},{int(r.views) + 5 + grown},{int(r.downloads) + 1 + grown},,{listed}\n")
            quoted = '"' + NAME.replace('"', '""') + '"'
            lines.append(f"勞動部,{quoted},{100 + grown * 900000},{10 + grown * 800000},,2018-08-01\n")
            file = path.parent / f"hostile_usage_{day}.csv"
            file.write_text("".join(lines), encoding="utf-8")
            import_file("usage", file, day, "test")
    return path


def _elements(at: AppTest, kind: str) -> list:
    return list(at.get(kind))


def _flat(values) -> list:
    if isinstance(values, dict):  # plotly's typed arrays ({"dtype", "bdata"}) hold numbers only
        return []
    return [v for item in values for v in (_flat(item) if isinstance(item, list) else [item])]


def _as_shown(value: str) -> str:
    """What Streamlit shows for ``value``: an HTML block's text, or Markdown whose every special
    character is escaped (both read in Chromium by tests/browser/test_data_text.py); an
    unescaped one fails here."""
    from pages.ui.render import plain

    if block := re.fullmatch(r"<div>(.*)</div>", value, re.S):
        return html.unescape(block.group(1).replace("<br>", "\n"))
    shown = re.sub(r"\\(.)", r"\1", value)
    assert plain(shown) == value, f"data text reaches Markdown unescaped: {value[:160]!r}"
    return shown


@pytest.mark.parametrize("page", PAGES)
def test_hostile_name_reads_as_typed_on_every_page_listing_datasets(hostile_data, monkeypatch, page):
    from kpi.ops.auth import hash_password

    monkeypatch.setenv("KPI_DATA_DIR", str(hostile_data))
    monkeypatch.setenv("KPI_OFFICE_PASSWORD_HASH", hash_password(PASSWORD, iterations=1000))
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=180)
    # on 比對確認 the name is listed while it is unpaired: new since the 2018-07-20 export
    at.query_params["since"] = "2018-07-20" if page == "pages/matches.py" else "2018-08-31"
    at.query_params["agency"] = "勞動部"
    at.run()
    if page in OFFICE_ONLY:
        at.switch_page("pages/imports.py").run()
        at.text_input[0].input(PASSWORD)
        at.button[0].click().run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    seen = 0
    for frame in (d.value for d in at.dataframe):
        for column in frame.columns:
            values = frame[column].astype(str)
            partial = values[values.str.contains("警告", regex=False)]
            assert (partial == NAME).all(), partial.tolist()  # a cell is the name, never a variant
            seen += len(partial)
    for kind in MARKDOWN_KINDS:
        for element in _elements(at, kind):
            if "警告" in str(element.value):
                assert NAME in _as_shown(element.value), (kind, element.value)
                seen += 1
    for element in _elements(at, "text"):
        if "警告" in element.value:
            assert NAME in element.value
            seen += 1
    for chart in _elements(at, "plotly_chart"):
        labels = [str(v) for trace in json.loads(chart.proto.spec)["data"]
                  for axis in ("x", "y", "customdata") for v in _flat(trace.get(axis) or [])]
        hits = [v for v in labels if "警告" in v]
        assert all(v == html.escape(NAME) for v in hits), hits  # Plotly reads tags: escaped once
        seen += len(hits)
    assert seen >= 1, f"{page} shows the hostile dataset nowhere"
    if page in ("pages/usage.py", "pages/scorecard.py"):  # the movers chart and its caption
        assert any(NAME in _as_shown(c.value) for c in at.caption if "警告" in c.value)
