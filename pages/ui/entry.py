"""What every run draws around a page: page config, the menu, the shared filters, downloads."""

from __future__ import annotations

import streamlit as st

from pages.ui import keys
from pages.ui.auth import sign_out_button
from pages.ui.downloads import download
from pages.ui.filters import Filters, scope_caption, sidebar_filters


def frame(registry: list) -> tuple[object, Filters]:
    """Register the navigation and draw the sidebar; returns (the page to run, the filters)."""
    st.set_page_config(page_title="開放資料績效儀表板", page_icon=":material/analytics:", layout="wide")
    page = st.navigation(registry)
    st.sidebar.title("開放資料績效儀表板")
    filters = sidebar_filters()
    st.session_state[keys.FILTERS] = filters
    with st.sidebar:
        st.caption("匯出會議資料")
        download("下載排行（附件一，Excel）", "ranking", filters.scope, filters.days,
                 place="side")
        download("下載會議資料（附件一～四、KPI，Excel）", "pack", filters.scope, filters.days,
                 place="side")
        download("下載一頁摘要（PDF）", "brief", filters.scope, filters.days,
                 place="side")
        st.caption(scope_caption(filters))
        sign_out_button()
    return page, filters
