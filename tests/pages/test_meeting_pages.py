"""Issue 10 in-process (AppTest): every page, default filters and ?agency=勞保局, as a viewer.

The same failures the browser test looks for, read from the element tree: tables handed to
Streamlit hold no datetime values (they would show as epoch milliseconds) and no None/nan; text
has no AD dates, 13-digit numbers, 00:00:00, English words, command lines or hashes; no slider;
ranks are never 1 of 1; no award proposal on partial indicators.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kpi.config.paths import REPO_ROOT
from tests.browser.test_meeting_screen import AD_DATE, ALLOWED, ENGLISH, HEX_HASH, THIRTEEN_DIGITS, data_words  # noqa: F401

PAGES = ["pages/overview.py", "pages/usage.py", "pages/feedback.py", "pages/plan.py",
         "pages/quality.py", "pages/public_use.py", "pages/national.py", "pages/scorecard.py", "pages/notes.py"]
VIEWS = {"default": {}, "agency": {"agency": ["勞保局"]}}
NULLS = re.compile(r"\b(?:None|nan|NaN|NaT|empty)\b")


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def _texts(at: AppTest) -> list[str]:
    out = []
    for root in (at.main, at.sidebar):
        for node in _walk(root):
            kind = type(node).__name__
            if kind in ("Block", "ElementList", "Dataframe", "PlotlyChart", "UnknownElement"):
                continue
            # a widget's value is the program's (ISO dates, keys); people read its options
            widget = hasattr(node, "options") or hasattr(node, "min") or kind in ("Checkbox", "Toggle")
            for attr in ("label", "body", "help", "placeholder") + (() if widget else ("value",)):
                value = getattr(node, attr, None)
                if isinstance(value, str) and value:
                    out.append(value)
            for option in getattr(node, "options", None) or []:
                out.append(str(option))
    return out


def _frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def _app(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=180)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("page", PAGES)
def test_page_is_meeting_ready_in_process(gw, data_words, page, view):  # noqa: F811
    at = _app(page, VIEWS[view])
    text = re.sub(r"\]\([^)]*\)", "]", "\n".join(_texts(at)))  # a link's target is not read
    # chart captions go out as an escaped HTML block (data text is text): read what a person reads
    text = html.unescape(re.sub(r"</?div>", "", text))
    assert not AD_DATE.findall(text), AD_DATE.findall(text)[:5]
    assert not THIRTEEN_DIGITS.findall(text)
    assert "00:00:00" not in text
    assert not NULLS.findall(text), NULLS.findall(text)[:5]
    english = sorted({w for w in ENGLISH.findall(text) if w not in ALLOWED and w not in data_words})
    assert not english, english
    assert "python -m kpi" not in text and "hash-password" not in text
    assert not HEX_HASH.findall(text)
    assert not re.search(r"第\s*1\s*名\s*／\s*1(?!\d)", text)
    assert not at.slider
    for frame in _frames(at):
        for col in frame.columns:
            values = frame[col]
            assert not pd.api.types.is_datetime64_any_dtype(values), col
            assert not values.map(lambda v: isinstance(v, (dt.date, pd.Timestamp))).any(), col
            cells = values.astype(str)
            assert not cells.str.contains(r"00:00:00|^(?:None|nan|NaT)$", regex=True).any(), col
    if page == "pages/plan.py":
        assert "建議獎勵" not in text  # three of five indicators have no data on the embedded default
    if page == "pages/overview.py":
        assert "無資料" not in [m.value for m in at.metric]
