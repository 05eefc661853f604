"""計算說明: how every figure is computed (the same text as the Excel pack's notes sheet)."""

import streamlit as st

from kpi import lookups
from kpi.notes import CALCULATION_NOTES
from pages.ui.data import call
from pages.ui.render import table
from pages.ui.router import boot

boot()
st.title("計算說明")
for item, rule in CALCULATION_NOTES:
    st.subheader(item)
    st.text(rule)
st.subheader("資料快照")
snap = call(lookups.run, "snapshots", ())
cols = ["snapshot_date", "source", "file_name", "sha256", "rows", "scope"]
table(snap, cols)
