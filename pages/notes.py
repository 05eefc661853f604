"""計算說明: how every figure is computed (the same text as the Excel pack's notes sheet)."""

import streamlit as st

from kpi.notes import CALCULATION_NOTES
from pages.shared import data_version, sql_frame

st.title("計算說明")
for item, rule in CALCULATION_NOTES:
    st.subheader(item)
    st.text(rule)
st.subheader("資料快照")
snap = sql_frame(data_version(), "snapshots", ())
st.dataframe(snap.rename(columns={"snapshot_date": "快照日", "source": "來源", "file_name": "檔案",
                                  "sha256": "sha256", "rows": "列數", "scope": "範圍"}),
             hide_index=True)
