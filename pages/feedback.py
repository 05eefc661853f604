"""民眾意見: reply days per item, the 6-day line, ratios against the plan's target, requests."""

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from kpi.metrics import feedback, plan
from kpi.metrics.definitions import show
from kpi.reference.agencies import short_name
from kpi.reference.dates import roc
from kpi.reference.fields import JUDGED_LABELS, label
from pages.ui.coverage import notice
from pages.ui.data import call
from pages.ui.filters import DAYS_CHOICES
from pages.ui.render import chart, table
from pages.ui.router import boot

f = boot()
st.title("民眾意見（我有話要說）與資料需求（我想要更多）")
st.caption(f"日數以{DAYS_CHOICES[f.days]}計；未回復者以該匯出檔的日期判定處理中或逾期。")


def requests_panel() -> None:
    st.header("資料需求（我想要更多）")
    if notice("requests", f.scope).missing:
        return
    req = call(feedback.requests_in_period, f.scope)
    table(req)


cov = notice("feedback", f.scope)
if cov.missing:
    requests_panel()
    st.stop()
judged_at = f"以 {roc(cov.judged_on)} 資料判定" if cov.judged_on else "以匯出日判定"
both = call(feedback.both_day_counts, f.scope)
target = call(plan.common_target, "reply_6day_ratio", call(plan.default_year, f.scope.as_of))
ratio_label = label("reply_6day_ratio")
cols = ["total", "on_time", "late", "pending", "overdue"]
st.header(f"各機關 6 日內回復比率（日曆日與工作日並列，目標 {show('reply_6day_ratio', target)}）")
cal_col, work_col = (f"{DAYS_CHOICES[d]}比率" for d in ("calendar", "working"))
shown = both.rename(columns={"ratio": cal_col, "ratio_working": work_col})
shown["short_name"] = shown["agency"].map(short_name)
table(shown, ["short_name", *cols, cal_col, work_col], config={
    cal_col: st.column_config.NumberColumn(f"{ratio_label}（日曆日）", format="percent"),
    work_col: st.column_config.NumberColumn(f"{ratio_label}（工作日）", format="percent")})
chosen = both["ratio" if f.days == "calendar" else "ratio_working"]
fig = go.Figure(go.Bar(x=both["agency"].map(short_name), y=chosen,
                       text=[show("reply_6day_ratio", v) for v in chosen], textposition="outside",
                       name=ratio_label))
if target is not None:
    fig.add_hline(y=target, line_dash="dash", line_color="red",
                  annotation_text=f"目標 {show('reply_6day_ratio', target)}")
fig.update_layout(yaxis={"tickformat": ".0%", "range": [0, 1.1], "title": "比率"},
                  xaxis_title="機關", height=380)
chart(fig, both[["agency", "ratio", "ratio_working"]].assign(agency=both["agency"].map(short_name)),
      f"{ratio_label}（{DAYS_CHOICES[f.days]}）：" + "、".join(
          f"{short_name(a)} {show('reply_6day_ratio', v)}" for a, v in zip(both["agency"], chosen, strict=True)))

items = call(feedback.feedback_items, f.scope, f.days)
items["judged"] = items["judged"].map(JUDGED_LABELS)
st.header(f"回復日數分布（{len(items)} 則，{judged_at}）")
if len(items):
    def histogram():
        fig = px.histogram(items, x="days", color="judged", nbins=max(int(items["days"].max()) + 1, 7),
                           labels={"days": f"回復日數（{DAYS_CHOICES[f.days]}）", "judged": "判定",
                                   "count": "則數"})
        fig.add_vline(x=6.5, line_dash="dash", line_color="red", annotation_text="6 日")
        return fig.update_layout(yaxis_title="則數", height=360)

    counts = items.groupby("judged").size()
    chart(histogram, items[["days", "judged"]].value_counts().rename("n").reset_index().sort_values("days"),
          "各判定則數：" + "、".join(f"{k} {v}" for k, v in counts.items()),
          key=("feedback.days", f.scope, f.days))
item_cols = ["posted_on", "title", "dataset_name", "agency", "status", "replied_on", "days", "judged"]
table(items, item_cols)

open_items = items[items["judged"].isin([JUDGED_LABELS["pending"], JUDGED_LABELS["overdue"]])]
st.header(f"未回復（{len(open_items)} 則，{judged_at}）")
st.caption(f"處理中或逾期是以該匯出檔的日期（{roc(cov.judged_on)}）判定，不是以資料日期 {roc(f.scope.as_of)}。"
           if cov.judged_on else "處理中或逾期以該匯出檔的日期判定。")
table(open_items, item_cols)

requests_panel()
