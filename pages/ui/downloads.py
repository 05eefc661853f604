"""Exports built when the download is clicked (a callable), then cached per version and filter."""

from __future__ import annotations

import streamlit as st

from kpi.exports import build, file_name
from kpi.exports.names import mime
from kpi.metrics.plan import weights_in_force
from kpi.metrics.scope import Scope
from pages.ui.data import data_version, gw


@st.cache_data(show_spinner="產生檔案中…", max_entries=32)
def _file(version: str, kind: str, scope: Scope, days: str, by: str, weights) -> bytes:
    return build(kind, gw(), scope, days=days, by=by, weights=weights)[0]


def download(label: str, kind: str, scope: Scope, days: str = "calendar", by: str = "downloads",
             place: str = "page") -> None:
    """A download button whose file is made only when clicked; its name says what is inside."""
    version = data_version()
    weights = weights_in_force()[0]
    name = file_name(kind, scope, by)
    st.download_button(label, lambda: _file(version, kind, scope, days, by, weights), file_name=name,
                       key=f"dl_{place}_{kind}_{by}", mime=mime(name), on_click="ignore")


@st.cache_data(show_spinner="產生檔案中…", max_entries=8)
def _opendata(version: str, year: int) -> bytes:
    from kpi.metrics.periods import year_scope
    from kpi.opendata.package import opendata_zip

    scope, period = year_scope(gw(), year)
    return opendata_zip(gw(), scope, period)


def opendata_download(year: int) -> None:
    """The year's open dataset (python -m kpi export opendata) as one zip, made when clicked."""
    version = data_version()
    st.download_button(f"下載 {year} 年度開放資料集（CSV、JSON、資料字典、datapackage.json、清單列；zip）",
                       lambda: _opendata(version, year), file_name=f"勞動部開放資料使用統計_{year}年度.zip",
                       key=f"dl_opendata_{year}", mime="application/zip", on_click="ignore")
