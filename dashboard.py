"""勞動部開放資料績效儀表板 — entry point: page registry and the shared filters."""

import time

import streamlit as st

from kpi import timing
from pages.ui import keys
from pages.ui.downloads import download
from pages.ui.filters import scope_caption, sidebar_filters
from pages.ui.router import page_registry

started = time.perf_counter()
st.set_page_config(page_title="開放資料績效儀表板", page_icon=":material/analytics:", layout="wide")

page = st.navigation(page_registry())
st.sidebar.title("開放資料績效儀表板")
filters = sidebar_filters()
st.session_state[keys.FILTERS] = filters
with st.sidebar:
    st.caption("匯出會議資料（Excel）")
    download("下載排行（附件一）", "ranking", filters.scope)
    download("下載會議資料（附件一～四、KPI）", "pack", filters.scope)
    st.caption(scope_caption(filters))
try:
    page.run()
finally:  # also when a page calls st.stop()
    timing.record(page.title, time.perf_counter() - started)
