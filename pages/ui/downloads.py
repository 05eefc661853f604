"""Exports built when the download is clicked (a callable), then cached per version and filter."""

from __future__ import annotations

import streamlit as st

from kpi.excel import export_fixlist, export_pack, export_ranking, file_name
from kpi.metrics.scope import Scope
from pages.ui.data import data_version, gw

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MAKERS = {"ranking": export_ranking, "pack": export_pack, "fixlist": export_fixlist}


@st.cache_data(show_spinner="產生 Excel 檔…", max_entries=32)
def _excel(version: str, kind: str, scope: Scope) -> bytes:
    return _MAKERS[kind](gw(), scope)


def download(label: str, kind: str, scope: Scope) -> None:
    """A download button whose file is made only when clicked."""
    version = data_version()
    st.download_button(label, lambda: _excel(version, kind, scope), file_name=file_name(kind, scope),
                       key=f"dl_{kind}", mime=XLSX, on_click="ignore")
