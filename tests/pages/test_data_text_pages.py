"""A dataset name made of Markdown, Streamlit shortcodes and directives, HTML entities, HTML and
LaTeX reads exactly as typed on every page that lists datasets: in tables as the cell, in text
elements as typed, in Markdown elements with every special character escaped, and in chart labels
HTML-escaped (Plotly reads tags). AppTest sees what each element is given to render."""

from __future__ import annotations

import html
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import app
from tests.helpers.hostile_names import NAME
from tests.helpers.office import allow_office

MARKDOWN_KINDS = ("markdown", "caption", "title", "header", "subheader", "success", "info", "warning",
                  "error")
PAGES = ("pages/usage.py", "pages/overview.py", "pages/scorecard.py", "pages/matches.py")
OFFICE_ONLY = {"pages/matches.py"}  # reached by the signed-in office


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


@pytest.mark.slow  # ≈9 s: the full suite runs it, the quick loop does not
@pytest.mark.parametrize("page", PAGES)
def test_hostile_name_reads_as_typed_on_every_page_listing_datasets(hostile_data, monkeypatch, page):
    monkeypatch.setenv("KPI_DATA_DIR", str(hostile_data))
    allow_office(monkeypatch)
    # on 比對確認 the name is listed while it is unpaired: new since the 2018-07-20 export
    since = "2018-07-20" if page == "pages/matches.py" else "2018-08-31"
    at = app(page, {"since": since, "agency": "勞動部"}, office=page in OFFICE_ONLY, timeout=180)
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
