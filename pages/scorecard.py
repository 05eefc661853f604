"""機關成績單: how one agency is doing — the plan's indicators vs target, ranks in the group,
datasets added and removed, biggest movers, late replies and quality problems to fix."""

import pandas as pd
import plotly.express as px
import streamlit as st

from kpi.cycle import resolutions
from kpi.metrics import decline, plan, recounts, scorecard
from kpi.metrics.scorecard import LABELS
from kpi.reference.agencies import MINISTRY_OFFICIAL, short_name
from kpi.reference.dates import roc
from kpi.reference.fields import JUDGED_LABELS
from kpi.report import build_report
from pages.ui import change
from pages.ui.data import call
from pages.ui.render import chart, chart_text, plain, table
from pages.ui.router import boot

f = boot()
chosen = [a for a in f.scope.agencies if a in MINISTRY_OFFICIAL] or list(MINISTRY_OFFICIAL)
head = st.container()  # the title (named after the agency) goes above the agency picker
if len(f.scope.agencies) == 1 and chosen:
    agency = chosen[0]
else:  # several agencies or the whole group chosen in the sidebar: pick one here
    agency = st.selectbox("機關", MINISTRY_OFFICIAL, index=MINISTRY_OFFICIAL.index(chosen[0]),
                          format_func=short_name, key="scorecard_agency",
                          help="側欄選了多個機關或「勞動部及所屬」時，在此選擇要看的機關")
name = short_name(agency)
year = call(plan.default_year, f.scope.as_of)
head.title(f"機關成績單：{name}")
no_since = "" if f.scope.since else call(scorecard.no_comparison, f.scope.as_of)
period = (f"{roc(f.scope.since)} → {roc(f.scope.as_of)}" if f.scope.since
          else f"資料日期 {roc(f.scope.as_of)}（{no_since}）")
st.caption(f"{agency}；{period}；行動方案 {year} 年目標。名次為勞動部及所屬六機關中之名次。")

st.header("使用量與名次")
table(call(scorecard.usage_standing, f.scope, agency).rename(columns=LABELS),
      [LABELS["figure"], LABELS["value"], LABELS["rank"]])

if f.scope.since is not None:
    mine = call(build_report, scorecard.agency_scope(f.scope, agency), f.days)["total"]
    st.subheader(f"累計數如何由 {roc(f.scope.since)} 變為 {roc(f.scope.as_of)}")
    w1, w2 = st.columns(2)
    change.waterfall(mine["downloads_change"], "downloads", name, (f.scope, agency), target=w1)
    change.waterfall(mine["views_change"], "views", name, (f.scope, agency), target=w2)
    events = call(recounts.events_in_period, scorecard.agency_scope(f.scope, agency))
    for e in events.itertuples():
        st.warning(plain(f"{e.description}。{name}有 {e.datasets:,} 項屬此事件（{e.fell:,} 項下降），"
                         "其增減列為「重新計數」。"))
    trend_usage = call(decline.period_usage, scorecard.agency_scope(f.scope, agency))
    st.subheader("成長或衰退（與前一段同長度期間相比）")
    if not trend_usage["available"]:
        st.caption(trend_usage["needed"])
    else:
        st.caption(trend_usage["basis"])
        table(trend_usage["agencies"], ["compared", "usage_previous", "usage", "difference", "change_ratio",
                                        "grew", "declined"])

roc_year = f.scope.as_of.year - 1911
st.header(f"行動方案五項指標（{year} 年實績對目標）")
if year != roc_year:
    st.caption(f"行動方案未訂 {roc_year} 年目標；此處列最近有目標的 {year} 年。")
standing = call(scorecard.indicators, f.scope, agency, year, f.days, plan.weights_in_force()[0])
ind = standing["table"]
if ind.empty:
    st.info(standing["composite"])
else:
    cols = ["indicator", "actual", "target", "status", "rank"]
    table(ind[cols].rename(columns=LABELS), [LABELS[c] for c in cols])
    for r in ind[ind["note"] != ""].itertuples():
        st.caption(f"{r.indicator}：{r.note}")
    st.caption("指標名次依達成率（實績 ÷ 目標）排列；" + standing["composite"] + "。")

st.subheader("各次快照之指標值")
trend = call(scorecard.indicator_trend, f.scope, agency, year, f.days)
table(trend.drop(columns="snapshot_on").rename(columns=LABELS))
st.caption(f"每次快照當時可計算之 {year} 年指標值（最多列最近 {scorecard.TREND_SNAPSHOTS} 次快照）；"
           "無上架日或尚未登錄、匯入者為「無資料」。")

moves = call(scorecard.dataset_moves, f.scope, agency)
if moves is None:
    st.info(f"{no_since}：資料集異動與成長需要兩次快照。")
else:
    added, removed = moves["added"], moves["removed"]
    st.header(f"資料集異動：新增 {len(added)} 項、下架或改名 {len(removed)} 項")
    st.caption(f"{roc(f.scope.since)} 快照與 {roc(f.scope.as_of)} 快照相比；改名而未能比對者也列為下架或改名。")
    for title, rows, cols in ((f"新增（{len(added)} 項）", added, ["dataset_name", "views", "downloads"]),
                              (f"前次有、本次沒有（{len(removed)} 項）", removed,
                               ["dataset_name", "views_before", "downloads_before"])):
        st.markdown(f"**{title}**")
        if len(rows):
            table(rows, cols)
        else:
            st.text("無")

    growth, falls = moves["growth"], moves["decline"]
    st.header("下載量上升最多與下降最多（各 5 項）" if len(falls) else "下載量上升最多 5 項（無零星下降）")
    both = pd.concat([growth.assign(direction="上升"), falls.assign(direction="下降（計數器重設）")])
    if both.empty:
        st.text("兩次快照皆有之資料集中，沒有下載量變化。")
    else:
        both = both.sort_values("downloads_change")
        fig = lambda: px.bar(  # noqa: E731 (built once per data version and key: pages/ui/figures.py)
            both.assign(dataset_name=chart_text(both["dataset_name"])), x="downloads_change",
            y="dataset_name", orientation="h", color="direction",
            labels={"downloads_change": "下載量增減", "dataset_name": "資料集", "direction": "方向"},
        ).update_layout(height=140 + 30 * len(both), legend={"orientation": "h", "y": -0.3},
                        yaxis={"title": None})
        shown = both.iloc[::-1].rename(columns={"direction": LABELS["direction"]})
        cols = [LABELS["direction"], "dataset_name", "downloads_before", "downloads", "downloads_change"]
        chart(fig, shown[cols],
              "下載量增減：" + "、".join(f"{n}（{c:+,}）" for n, c in
                                   zip(shown["dataset_name"], shown["downloads_change"], strict=True)),
              key=("scorecard.movers", f.scope, agency))
    st.caption("只列成長可知的資料集：下降者為零星的計數器重設或重新上架（差額不計入上升合計）；"
               "屬平臺重新計數事件者不列入。")

fb = call(scorecard.late_feedback, f.scope, agency, year, f.days)
judged = "、".join(roc(d) for d in fb["judged_on"]) or "—"
st.header(f"逾 6 日回復或逾期未回復之意見（{year} 年）")
st.caption(f"以 {judged} 匯出資料判定：{year} 年意見 {fb['total']} 則，逾 6 日回復 {fb['late']} 則、"
           f"逾期未回復 {fb['overdue']} 則、處理中（未逾 6 日）{fb['pending']} 則。")
if len(fb["items"]):
    items = fb["items"].assign(judged=fb["items"]["judged"].map(JUDGED_LABELS))
    table(items, ["posted_on", "replied_on", "days", "judged", "dataset_name", "title"])

st.header("資料品質待改善")
problems = call(scorecard.quality_problems, f.scope, agency)
if problems is None:
    st.info("尚未匯入資料集清單：缺檔案格式、非三星格式與連結失效無法判定（匯入後本節列出待改善之資料集）。")
elif problems.empty:
    st.success(plain(f"{name} 在最近一次資料集清單中沒有待改善之資料集。"))
else:
    st.caption(f"共 {len(problems)} 項資料集待改善（最近一次資料集清單與品質檢測、連結檢查結果）。")
    table(problems.rename(columns=LABELS), ["dataset_name", "stars", LABELS["problems"]])

st.header("列管中之會議決議事項")
open_items = call(resolutions.open_items, agency)
if open_items.empty:
    st.text(f"{name} 目前沒有列管中之會議決議事項。")
else:
    st.caption(f"{name} 列管中 {len(open_items)} 項（資訊處於資料匯入頁登錄；解除列管者不列）。")
    table(open_items)
