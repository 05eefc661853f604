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
