"""The page registry and the one thing every page does first: make sure the router is ours.

Streamlit runs the very first request after a server start (and every AppTest run) in its
legacy mode when a folder named pages/ exists: the page script runs alone, with a menu made
from file names. ``boot()`` then does what dashboard.py does (real menu, filters, the routed
page), so the page looks and behaves the same either way. Each page calls it on its first line.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import streamlit as st

from pages.ui import keys

_run = threading.local()  # Streamlit runs a script run in one thread, entry script and page alike


@contextlib.contextmanager
def entered() -> Iterator[None]:
    """Marks the page run as coming through dashboard.py (for this run only)."""
    _run.entered = True
    try:
        yield
    finally:
        _run.entered = False


HIDDEN_FOR_VIEWERS = ("比對確認",)  # registered (its link works) but not in a viewer's menu


def page_registry(office: bool = False) -> list:
    """Every page of the app, in menu order (st.navigation's registry for this run).

    Viewers get a 資訊處登入 page in place of 資料匯入, and 比對確認 only by its link (hidden from
    the menu; it says it is the office's); the signed-in office sees both in the menu.
    """
    def shown(title: str) -> str:
        return "hidden" if not office and title in HIDDEN_FOR_VIEWERS else "visible"

    return [
        st.Page("pages/overview.py", title="總覽", icon=":material/dashboard:", default=True),
        st.Page("pages/scorecard.py", title="機關成績單", icon=":material/assignment_ind:", url_path="scorecard"),
        st.Page("pages/usage.py", title="使用量與排行", icon=":material/trending_up:", url_path="usage"),
        st.Page("pages/feedback.py", title="民眾意見", icon=":material/forum:", url_path="feedback"),
        st.Page("pages/plan.py", title="行動方案績效", icon=":material/flag:", url_path="plan"),
        st.Page("pages/quality.py", title="資料品質與標章", icon=":material/verified:", url_path="quality"),
        st.Page("pages/public_use.py", title="民眾使用分析", icon=":material/insights:", url_path="public_use"),
        st.Page("pages/national.py", title="全國比較", icon=":material/public:", url_path="national"),
        st.Page("pages/matches.py", title="比對確認", icon=":material/compare_arrows:", url_path="matches",
                visibility=shown("比對確認")),
        st.Page("pages/notes.py", title="計算說明", icon=":material/menu_book:", url_path="notes"),
        st.Page("pages/imports.py", title="資料匯入" if office else "資訊處登入",
                icon=":material/upload_file:" if office else ":material/login:", url_path="imports"),
    ]


def boot():
    """The filters for this run. In legacy mode (the page runs without dashboard.py) the frame
    is drawn here and the routed page is run inside it, as dashboard.py would, then this outer
    run stops: no rerun, so a click that started the run is not lost, and widget ids are the
    ones the normal route gives."""
    if getattr(_run, "entered", False):
        return st.session_state[keys.FILTERS]
    from pages.ui.entry import frame

    page, _ = frame()
    with entered():
        page.run()
    st.stop()
