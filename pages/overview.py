"""總覽: the meeting brief — totals, change since the previous snapshot, one card per agency."""

import plotly.express as px
import streamlit as st

from kpi.agencies import short_name
from kpi.dates import roc
from kpi.metrics.plan import INDICATOR_LABELS, INDICATORS, Weights
from pages.shared import current_filters, data_version, num, pct, report, sql_frame, yearly

f = current_filters()
version = data_version()
st.title("總覽：會議簡報")
data = report(version, f.scope, f.days)
total = data["total"]
since = f"較 {roc(f.scope.since)}" if f.scope.since else None

c1, c2, c3, c4 = st.columns(4)
c1.metric("開放資料集", num(total["datasets"]),
          delta=None if total["new_datasets"] is None else
          f"新增 {total['new_datasets']}、下架 {total['removed_datasets']}", delta_color="off")
c2.metric("累計瀏覽量", num(total["views"]),
          delta=None if total["views_growth"] is None else f"+{total['views_growth']:,} {since}")
c3.metric("累計下載量", num(total["downloads"]),
          delta=None if total["downloads_growth"] is None else
          f"+{total['downloads_growth']:,} {since}")
c4.metric("6日內回復比率", pct(total["feedback"]["ratio"]),
          help="6日內回復 ÷（6日內回復＋逾6日回復＋逾期未回復）；目標 95%")
if total["counter_resets"]:
    st.info(f"有 {total['counter_resets']} 項資料集的累計數比前次少（計數器重設或重新上架），"
            "其差額不計入成長；明細見「使用量與排行」。")

roc_year = f.scope.as_of.year - 1911
targets_year = roc_year if roc_year in (105, 106) else 106
st.subheader(f"各機關行動方案指標（{targets_year} 年實績對目標）")
if targets_year != roc_year:
    st.caption(f"行動方案只訂 105、106 年目標；資料日期在 {roc_year} 年，此處列 106 年的達成情形。")
ach = yearly(version, f.scope, targets_year, Weights()).set_index("agency")
cols = st.columns(3)
for i, agency in enumerate(f.scope.agencies):
    with cols[i % 3].container(border=True):
        st.markdown(f"**{short_name(agency)}**")
        if agency not in ach.index:
            st.caption("無行動方案目標")
            continue
        row = ach.loc[agency]
        for name in INDICATORS:
            actual, target, met = row[f"{name}_actual"], row[f"{name}_target"], row[f"{name}_met"]
            is_count = name in ("meetings", "new_datasets")
            shown = num(actual) if is_count else pct(actual)
            goal = num(target) if is_count else pct(target)
            mark = "○ 無資料" if met is None or met != met else ("● 達成" if met else "✕ 未達成")
            st.text(f"{mark}  {INDICATOR_LABELS[name]}：{shown}（目標 {goal}）")

st.subheader("本部開放資料集數量歷程")
totals = sql_frame(version, "portal_totals", ())
fig = px.line(totals, x="as_of", y="datasets", markers=True, text="datasets",
              labels={"as_of": "日期", "datasets": "開放資料集數"})
fig.update_traces(textposition="top center")
st.plotly_chart(fig, width="stretch")
st.caption("來源：行動方案（104 年底 255 項）、106 年第 2 次會議附件一（562 項）、110 年會議紀錄"
           "（598 項，其中 516 項金標章）。")
