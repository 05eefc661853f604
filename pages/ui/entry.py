"""What every run draws around a page: page config, the menu, the shared filters, downloads."""

from __future__ import annotations

import streamlit as st

from kpi.cycle.meetings import meeting_scope
from kpi.faults.messages import describe
from pages.ui import keys, url
from pages.ui.auth import sign_out_button, signed_in_office
from pages.ui.data import call, data_version
from pages.ui.downloads import download
from pages.ui.filters import EMPTY_TEXT, Filters, scope_caption, sidebar_filters
from pages.ui.render import plain

# Streamlit's keyboard skip link reads "Skip to main content": shown in zh-TW instead (WCAG 2.4.1
# bypass blocks stays; only its words change). A style-only st.html takes no room on the page.
SKIP_LINK_CSS = """<style>
[data-testid="stSkipToContent"] { font-size: 0 !important; }
[data-testid="stSkipToContent"]::after { content: "跳至主要內容"; font-size: 1rem; }
</style>"""


def unreadable() -> None:
    """A data folder whose store cannot be opened or built (a seed file missing, a disk that fails)
    stops the run with one zh-TW sentence naming the file, instead of Streamlit's redacted error.
    The build runs under the write lock and publishes nothing when it fails: nothing stored changes."""
    try:
        data_version()
    except Exception as err:  # the pages' one boundary for the store; each page's own errors stay its own
        st.error("無法開啟或建立資料：" + plain(describe(err)))
        st.stop()


def frame() -> tuple[object, Filters]:
    """Register the navigation (it depends on who is signed in), draw the sidebar, seed the page's
    own choices from the URL and write the view back; returns (the page to run, the filters).
    An empty agency choice is stated and the page is not run (nothing to show, nothing misleading)."""
    from pages.ui.router import page_registry

    st.set_page_config(page_title="開放資料績效儀表板", page_icon=":material/analytics:", layout="wide")
    st.html(SKIP_LINK_CSS)
    office = signed_in_office() is not None
    page = st.navigation(page_registry(office))
    st.sidebar.title("開放資料績效儀表板")
    unreadable()
    filters, params = sidebar_filters()
    st.session_state[keys.FILTERS] = filters
    url.seed(page.url_path)
    url.write(page.url_path, params)
    with st.sidebar:
        if not filters.empty:
            st.caption("匯出會議資料")
            download("下載排行（附件一，Excel）", "ranking", filters.scope, filters.days,
                     place="side")
            # the pack and the brief compare with the previous meeting's snapshot unless a since was chosen
            meeting = call(meeting_scope, filters.scope, filters.since_chosen)[0]
            download("下載會議資料（附件一～四、KPI，Excel）", "pack", meeting, filters.days,
                     place="side")
            download("下載一頁摘要（PDF）", "brief", meeting, filters.days,
                     place="side")
        st.caption(scope_caption(filters, office))
        sign_out_button()
    if filters.empty:
        st.title(page.title)
        st.warning(EMPTY_TEXT)
        st.stop()
    return page, filters
