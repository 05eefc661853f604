"""The page registry and the one thing every page does first: make sure the router is ours.

Streamlit runs the very first request after a server start in its legacy mode when a folder
named pages/ exists: a deep link (/notes) then runs that page script alone, with a menu made
from file names. ``boot()`` registers the real navigation and reruns, so the request goes
through dashboard.py like every other. Each page calls it explicitly on its first line.
"""

from __future__ import annotations

import streamlit as st

from pages.ui import keys


def page_registry() -> list:
    """Every page of the app, in menu order (used by dashboard.py's st.navigation)."""
    return [
        st.Page("pages/overview.py", title="總覽", icon=":material/dashboard:", default=True),
        st.Page("pages/usage.py", title="使用量與排行", icon=":material/trending_up:", url_path="usage"),
        st.Page("pages/feedback.py", title="民眾意見", icon=":material/forum:", url_path="feedback"),
        st.Page("pages/plan.py", title="行動方案績效", icon=":material/flag:", url_path="plan"),
        st.Page("pages/quality.py", title="資料品質與標章", icon=":material/verified:", url_path="quality"),
        st.Page("pages/national.py", title="全國比較", icon=":material/public:", url_path="national"),
        st.Page("pages/notes.py", title="計算說明", icon=":material/menu_book:", url_path="notes"),
        st.Page("pages/imports.py", title="資料匯入", icon=":material/upload_file:", url_path="imports"),
    ]


def boot():
    """The filters dashboard.py computed for this run; reroutes a legacy-mode first request."""
    if keys.FILTERS not in st.session_state:
        st.navigation(page_registry(), position="hidden")
        st.rerun()
    return st.session_state[keys.FILTERS]
