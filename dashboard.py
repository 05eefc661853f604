"""勞動部開放資料績效儀表板 — entry point: page registry and the shared filters."""

import time

import streamlit as st

from kpi import timing
from kpi.excel import file_name
from pages.shared import K_FILTERS, data_version, excel, page_registry, scope_caption, sidebar_filters

started = time.perf_counter()
st.set_page_config(page_title="開放資料績效儀表板", page_icon=":material/analytics:", layout="wide")

page = st.navigation(page_registry())
st.sidebar.title("開放資料績效儀表板")
filters = sidebar_filters()
st.session_state[K_FILTERS] = filters
with st.sidebar:
    st.caption("匯出會議資料（Excel）")
    version = data_version()
    st.download_button("下載排行（附件一）", excel(version, "ranking", filters.scope),
                       file_name=file_name("ranking", filters.scope), key="dl_ranking",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    st.download_button("下載會議資料（附件一～四、KPI）", excel(version, "pack", filters.scope),
                       file_name=file_name("pack", filters.scope), key="dl_pack",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    st.caption(scope_caption(filters))
try:
    page.run()
finally:  # also when a page calls st.stop()
    timing.record(page.title, time.perf_counter() - started)
