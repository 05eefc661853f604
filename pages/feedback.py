"""民眾意見: reply days per item, the 6-day line, ratios against 95%, pending/overdue, requests."""

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from kpi.agencies import short_name
from kpi.fields import JUDGED_LABELS
from pages.shared import (
    DAYS_CHOICES,
    column_config,
    current_filters,
    data_version,
    feedback_items,
    feedback_summary,
    pct,
    sql_frame,
)

f = current_filters()
version = data_version()
st.title("民眾意見（我有話要說）與資料需求（我想要更多）")
st.caption(f"日數以{DAYS_CHOICES[f.days]}計；未回復者以該匯出檔的日期判定處理中或逾期。")

cal = feedback_summary(version, f.scope, "calendar")
work = feedback_summary(version, f.scope, "working")
both = cal[["agency", "total", "on_time", "late", "pending", "overdue", "ratio"]].copy()
both.insert(0, "機關", both.pop("agency").map(short_name))
both["工作日比率"] = work["ratio"].to_numpy()
cols = ["total", "on_time", "late", "pending", "overdue", "ratio"]
st.subheader("各機關 6 日內回復比率（日曆日與工作日並列，目標 95%）")
st.dataframe(both.rename(columns={"ratio": "日曆日比率"}), hide_index=True,
             column_config={**column_config(cols[:-1]),
                            "日曆日比率": st.column_config.NumberColumn("6日內回復比率（日曆日）",
                                                                     format="percent"),
                            "工作日比率": st.column_config.NumberColumn("6日內回復比率（工作日）",
                                                                     format="percent")})
if int(cal["total"].sum()) == 0:
    st.info("此期間（比較基準日之後至資料日期）沒有民眾意見；將「比較基準日」設為「（不比較）」可看資料日期以前的全部意見。")
chosen = cal if f.days == "calendar" else work
fig = go.Figure(go.Bar(x=chosen["agency"].map(short_name), y=chosen["ratio"],
                       text=[pct(v) for v in chosen["ratio"]], textposition="outside",
                       name="6日內回復比率"))
fig.add_hline(y=0.95, line_dash="dash", line_color="red", annotation_text="目標 95%")
fig.update_layout(yaxis={"tickformat": ".0%", "range": [0, 1.1], "title": "比率"},
                  xaxis_title="機關", height=380)
st.plotly_chart(fig, width="stretch")

items = feedback_items(version, f.scope, f.days).copy()
items["judged"] = items["judged"].map(JUDGED_LABELS)
st.subheader(f"回復日數分布（{len(items)} 則）")
if len(items):
    fig = px.histogram(items, x="days", color="judged", nbins=max(int(items["days"].max()) + 1, 7),
                       labels={"days": f"回復日數（{DAYS_CHOICES[f.days]}）", "judged": "判定",
                               "count": "則數"})
    fig.add_vline(x=6.5, line_dash="dash", line_color="red", annotation_text="6 日")
    fig.update_layout(yaxis_title="則數", height=360)
    st.plotly_chart(fig, width="stretch")
show = ["posted_on", "title", "dataset_name", "agency", "status", "replied_on", "days", "judged"]
st.dataframe(items[show], hide_index=True, column_config=column_config(show))

open_items = items[items["judged"].isin([JUDGED_LABELS["pending"], JUDGED_LABELS["overdue"]])]
st.subheader(f"未回復（{len(open_items)} 則）")
st.dataframe(open_items[show], hide_index=True, column_config=column_config(show))

st.subheader("資料需求（我想要更多）")
req = sql_frame(version, "requests", (list(f.scope.agencies),))
st.dataframe(req.rename(columns={"request_id": "編號", "title": "標題", "posted_at": "提出日期",
                                 "suggested_name": "建議資料集名稱", "agency": "回復機關",
                                 "replied_on": "最後回復日期", "source": "來源"}), hide_index=True)
