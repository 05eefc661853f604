"""總覽: the meeting brief — totals, change since the previous snapshot, one card per agency."""

import plotly.express as px
import streamlit as st

from kpi import lookups
from kpi.agencies import short_name
from kpi.dates import roc
from kpi.metrics import feedback, plan
from kpi.metrics.coverage import period_text
from kpi.metrics.definitions import INDICATORS, metric, plan_label, show
from kpi.report import build_report
from pages.ui.data import call
from pages.ui.render import chart
from pages.ui.router import boot

f = boot()
st.title("總覽：會議簡報")
st.caption(f"資料日期 {roc(f.scope.as_of)}；" + (f"成長、新增與下架為 {period_text(f.scope)} 的變化。"
                                              if f.scope.since else "未選比較基準日，不計成長。"))
data = call(build_report, f.scope, f.days)
total = data["total"]
since = f"較 {roc(f.scope.since)}" if f.scope.since else None
year = call(plan.default_year, f.scope.as_of)
reply_target = call(plan.common_target, "reply_6day_ratio", year)

c1, c2, c3, c4 = st.columns(4)
c1.metric("開放資料集", show("datasets", total["datasets"], "—"),
          delta=None if total["new_datasets"] is None else
          f"新增 {total['new_datasets']}、下架 {total['removed_datasets']}", delta_color="off")
c2.metric(metric("views").label, show("views", total["views"], "—"),
          delta=None if total["views_growth"] is None else f"+{total['views_growth']:,} {since}")
c3.metric(metric("downloads").label, show("downloads", total["downloads"], "—"),
          delta=None if total["downloads_growth"] is None else
          f"+{total['downloads_growth']:,} {since}")
year_fb = call(feedback.year_summary, f.scope, year, f.days)
period_fb = total["feedback"]
c4.metric(metric("reply_6day_ratio").label, show("reply_6day_ratio", year_fb["ratio"]),
          help=f"{metric('reply_6day_ratio').help}；{year} 年發表的意見，"
               f"與下方各機關卡片同一基準；目標 {show('reply_6day_ratio', reply_target)}")
c4.caption(f"{year} 年發表的意見（與下方卡片同一基準）；所選期間 {period_text(f.scope)}：" + (
    f"{period_fb['total']} 則，{show('reply_6day_ratio', period_fb['ratio'])}" if period_fb["total"]
    else "沒有民眾意見"))
if total["counter_resets"]:
    st.info(f"有 {total['counter_resets']} 項資料集的累計數比前次少（計數器重設或重新上架），"
            "其差額不計入成長；明細見「使用量與排行」。")

roc_year = f.scope.as_of.year - 1911
st.header(f"各機關行動方案指標（{year} 年實績對目標）")
if year != roc_year:
    st.caption(f"行動方案未訂 {roc_year} 年目標；此處列最近有目標的 {year} 年達成情形。")
weights, _ = plan.weights_in_force()
ach = call(plan.yearly_achievement, f.scope, year, weights).set_index("agency")
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
            mark = "○ 無資料" if met is None or met != met else ("● 達成" if met else "✕ 未達成")
            st.text(f"{mark}  {plan_label(name)}：{show(name, actual, '—')}（目標 {show(name, target)}）")

st.header("本部開放資料集數量歷程")
totals = call(lookups.run, "portal_totals", ())
fig = px.line(totals, x="as_of", y="datasets", markers=True, text="datasets",
              labels={"as_of": "日期", "datasets": "開放資料集數"})
fig.update_traces(textposition="top center")
chart(fig, totals[["as_of", "datasets"]].rename(columns={"as_of": "日期"}),
      "開放資料集數：" + "、".join(f"{roc(d)} {n:,} 項" for d, n in zip(totals["as_of"], totals["datasets"], strict=True)))
st.caption("來源：行動方案（104 年底 255 項）、106 年第 2 次會議附件一（562 項）、110 年會議紀錄"
           "（598 項，其中 516 項金標章）。")
