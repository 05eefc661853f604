"""計算說明: how every figure is computed (the same text as the Excel pack's notes sheet)."""

import streamlit as st

from kpi.metrics import awards, lookups, matches, national, plan, plan_notes
from kpi.metrics.notes import CALCULATION_NOTES
from kpi.reference.fields import DECISION_LABELS, PLACED_LABELS, SCOPE_LABELS
from pages.ui.auth import signed_in_office
from pages.ui.data import call, data_version
from pages.ui.render import label, table
from pages.ui.router import boot

f = boot()
st.title("計算說明")
for item, rule in CALCULATION_NOTES:
    st.header(item)
    st.text(rule)
st.header("目前的設定（資訊處於「行動方案績效」頁調整；僅登入之資訊處可修改）")
weights, saved = plan.weights_in_force()
for line in plan_notes.method_lines(weights, saved, f.days):
    st.caption(line)
for line in call(awards.gold_basis, f.scope.as_of):
    st.caption("金質獎：" + line)
st.header("資料快照")
snap = call(lookups.run, "snapshots", ())
snap["scope"] = snap["scope"].map(SCOPE_LABELS).fillna(snap["scope"])
office = signed_in_office()
table(snap, ["snapshot_date", "source", "file_name", *(["sha256"] if office else []), "rows", "scope"])
if office:
    st.caption(f"資料版本 {data_version()}；sha256 為原始檔之雜湊值，可核對檔案未被更動。")
st.header("跨快照比對的決定")
st.caption("資訊處確認或否決的配對（內建預設為人工審閱 106→107 年（106/10/30 與 107/07/20 快照） 候選的結果）；每次建置都套用仍有效的決定。")
decisions = call(matches.decisions)
decisions["decision"] = decisions["decision"].map(DECISION_LABELS)
table(decisions, ["as_of", "agency", "old_name", "new_name", "decision", "reason", "decided_by",
                  "decided_at", "undone_at"])

st.header("全國比較的機關歸屬表")
parents = call(national.parent_map)
n = national.map_counts(parents)
st.caption(f"全國匯出檔 {n['agencies']:,} 個機關併為 {n['groups']:,} 個部會（含所屬），其中 {n['single']:,} 組只有一個機關；"
           f"依名稱規則歸屬 {n['derived']:,} 個，人工覆核修正 {n['override']:,} 個（規則見上方「全國比較：單一機關與部會（含所屬）」）。")
parents["placed_by"] = parents["placed_by"].map(PLACED_LABELS).fillna(parents["placed_by"])
map_cols = ["agency", "parent", "names_in_group", "placed_by", "basis"]
st.subheader("人工覆核修正（優先於名稱規則）")
table(parents[parents["placed_by"] == PLACED_LABELS["override"]], map_cols)
st.subheader("全部機關的歸屬")
needle = st.text_input("搜尋機關或所屬部會（名稱的一部分）", key="parent_search").strip()
hits = parents[parents["agency"].str.contains(needle, regex=False)
               | parents["parent"].str.contains(needle, regex=False)] if needle else parents
st.caption(f"符合 {len(hits):,} / {len(parents):,} 個機關。")
table(hits, map_cols)
st.download_button("下載機關歸屬表（CSV）", parents[map_cols].rename(columns=label).to_csv(index=False).encode("utf-8-sig"),
                   file_name="機關歸屬表.csv", mime="text/csv")
