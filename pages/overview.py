"""總覽: the meeting brief — totals, change since the previous snapshot, one card per agency."""

import plotly.express as px
import streamlit as st

from kpi.cycle import meetings
from kpi.cycle.events import timeline
from kpi.metrics import headline, lookups, plan, since_meeting, usage
from kpi.metrics.coverage import period_text
from kpi.metrics.definitions import INDICATORS, metric, plan_label, show
from kpi.reference.agencies import short_name
from kpi.reference.dates import roc
from kpi.report import build_report
from pages.ui import change
from pages.ui.data import call
from pages.ui.links import scorecard_link
from pages.ui.render import chart, plain, table
from pages.ui.router import boot

f = boot()
st.title("總覽：會議簡報")
st.caption(f"資料日期 {roc(f.scope.as_of)}；" + (f"成長、新增與下架為 {period_text(f.scope)} 的變化。"
                                              if f.scope.since else "未選比較基準日，不計成長。"))
data = call(build_report, f.scope, f.days)
total = data["total"]
since = f"較 {roc(f.scope.since)}" if f.scope.since else None

c1, c2, c3, c4 = st.columns(4)
c1.metric("開放資料集", show("datasets", total["datasets"], "—"),
          delta=None if total["new_datasets"] is None else
          f"新增 {total['new_datasets']}、下架 {total['removed_datasets']}", delta_color="off")
for col, m in ((c2, "views"), (c3, "downloads")):
    col.metric(metric(m).label, show(m, total[m], "—"), delta=change.delta(total[f"{m}_change"]),
               help=f"淨變化 = 本次累計 − {roc(f.scope.since)} 累計（由兩個總數即可算出）" if f.scope.since else None)
    if (parts := total[f"{m}_change"]) is not None:
        col.caption(f"續存增加 +{parts['increase']:,}、重新計數 {parts['recount']:+,}（{parts['unknown']:,} 項成長未知）、"
                    f"新增 +{parts['new']:,}、下架 −{parts['removed']:,}；見下方瀑布圖")
reply = call(headline.reply_headline, f.scope, f.days)
period_fb = total["feedback"]
c4.metric(metric("reply_6day_ratio").label, show("reply_6day_ratio", reply["ratio"]),
          help=f"{metric('reply_6day_ratio').help}；目標 {show('reply_6day_ratio', reply['target'])}")
c4.caption(f"{reply['basis']}（與下方各機關卡片、會議摘要、Excel 同一基準）；所選期間 {period_text(f.scope)}：" + (
    f"{period_fb['total']} 則，{show('reply_6day_ratio', period_fb['ratio'])}" if period_fb["total"]
    else "沒有民眾意見"))
year = reply["year"]

if f.scope.since is not None and total["downloads_change"] is not None:
    st.header(f"累計數如何由 {roc(f.scope.since)} 變為 {roc(f.scope.as_of)}")
    w1, w2 = st.columns(2)
    where = "勞動部及所屬" if f.group else "、".join(short_name(a) for a in f.scope.agencies)
    change.waterfall(total["downloads_change"], "downloads", where, (f.scope,), target=w1)
    change.waterfall(total["views_change"], "views", where, (f.scope,), target=w2)
    for event in data["recount_events"]:
        st.warning(plain(event["description"] + f"（本範圍 {event['datasets']:,} 項；"
                         f"{event['status_label']}）。明細見「使用量與排行」。"))

roc_year = f.scope.as_of.year - 1911
st.header(f"各機關行動方案指標（{year} 年實績對目標）")
if year != roc_year:
    st.caption(f"行動方案未訂 {roc_year} 年目標；此處列最近有目標的 {year} 年達成情形。")
weights, _ = plan.weights_in_force()
ach = call(plan.yearly_achievement, f.scope, year, weights).set_index("agency")
cols = st.columns(3)
for i, agency in enumerate(f.scope.agencies):
    with cols[i % 3].container(border=True):
        st.markdown(f"**{scorecard_link(agency, f.scope, f.days)}**",
                    help=f"開啟{short_name(agency)}的機關成績單")
        if agency not in ach.index:
            st.caption("無行動方案目標")
            continue
        row = ach.loc[agency]
        for name in INDICATORS:
            actual, target, met = row[f"{name}_actual"], row[f"{name}_target"], row[f"{name}_met"]
            mark = "○ 無資料" if met is None or met != met else ("● 達成" if met else "✕ 未達成")
            st.text(f"{mark}  {plan_label(name)}：{show(name, actual, '—')}（目標 {show(name, target)}）")

st.header("本部開放資料集數量歷程" if f.group else "所選機關開放資料集數量歷程")
if f.group:
    totals = call(lookups.run, "portal_totals", ())
    chart(lambda: px.line(totals, x="as_of", y="datasets", markers=True, text="datasets",
                          labels={"as_of": "日期", "datasets": "開放資料集數"}
                          ).update_traces(textposition="top center"),
          totals[["as_of", "datasets"]],
          "開放資料集數：" + "、".join(f"{roc(d)} {n:,} 項"
                                  for d, n in zip(totals["as_of"], totals["datasets"], strict=True)),
          key=("overview.totals",), events=call(timeline, totals["as_of"].min(), totals["as_of"].max()))
    st.caption("來源：行動方案（104 年底 255 項）、106 年第 2 次會議附件一（562 項）、110 年會議紀錄"
               "（598 項，其中 516 項金標章）。")
else:
    history = call(usage.datasets_history, f.scope).assign(agency=lambda d: d["agency"].map(short_name))
    chart(lambda: px.line(history, x="as_of", y="datasets", color="agency", markers=True, text="datasets",
                          labels={"as_of": "日期", "datasets": "開放資料集數", "agency": "機關"}
                          ).update_traces(textposition="top center"),
          history, "所選機關開放資料集數：" + "、".join(
        f"{a} {roc(d)} {n:,} 項" for a, d, n in zip(history["agency"], history["as_of"], history["datasets"],
                                                   strict=True)), key=("overview.history", f.scope),
          events=call(timeline, history["as_of"].min(), history["as_of"].max()) if len(history) else None)
    st.caption("所選機關的歷程取自各次瀏覽下載快照；會議紀錄與行動方案只有勞動部及所屬合計。")

# 自上次會議以來 (issue 10 item 10): what changed since the previous meeting's snapshot (issue 27),
# or since the comparison date the URL or sidebar chose.
meeting_scope, last_meeting = call(meetings.meeting_scope, f.scope, f.since_chosen)
moved = call(since_meeting.since_meeting, meeting_scope, f.days)
if moved is None:
    st.header("自上次會議以來")
    if last_meeting is not None:
        st.caption(last_meeting.text())
    st.caption(call(since_meeting.no_comparison_line, f.scope.as_of))
else:
    added, removed, crossed, fb = moved["added"], moved["removed"], moved["crossed"], moved["feedback"]
    judged = "、".join(roc(d) for d in fb["judged_on"]) or "—"
    st.header(f"自上次會議以來（{roc(moved['since'])} → {roc(moved['as_of'])}）")
    st.caption(f"{last_meeting.text()}，以該快照比較。" if last_meeting is not None else
               "比較基準為側欄「比較基準日」" + ("（網址或側欄所選）。" if f.since_chosen else
                                          "（尚未登錄資料日期前的委員會會議，預設為前一次快照）。"))
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(metric("new_datasets").label, f"{len(added):,}")
    m2.metric(metric("removed_datasets").label, f"{len(removed):,}")
    m3.metric("跨越目標之指標", f"{len(crossed):,}", help=f"{moved['roc_year']} 年目標；達成與否前後不同者")
    m4.metric("逾期未回復意見", f"{fb['overdue']:,}", help=f"以 {judged} 匯出資料判定")
    for title, rows in (("新增", added), ("下架或改名", removed)):
        names = "、".join(f"{n}（{short_name(a)}）" for n, a in zip(rows["dataset_name"].head(5),
                                                             rows["agency"].head(5), strict=True))
        more = f"等 {len(rows)} 項" if len(rows) > 5 else ""
        st.text(f"{title}：{names}{more}" if len(rows) else f"{title}：無")
    for title, rows in (("下載量成長最多 5 項", moved["growth"]),
                        ("累計下載量下降最多 5 項（零星的計數器重設，不含重新計數事件）", moved["decline"])):
        st.markdown(f"**{title}**")
        table(rows.assign(agency=rows["agency"].map(short_name)),
              ["dataset_name", "agency", "downloads_before", "downloads", "downloads_change"])
    if len(crossed):
        st.markdown(f"**跨越 {moved['roc_year']} 年目標之指標**")
        table(crossed.rename(columns=since_meeting.CROSSING_LABELS),
              list(since_meeting.CROSSING_LABELS.values()))
    else:
        st.text(f"跨越 {moved['roc_year']} 年目標之指標：無（兩次皆可計算者，達成與否均未改變）。")
    if len(moved["measured"]):
        st.caption("前次無資料、本次可計算（不算跨越目標）：" + "；".join(
            f"{ind}：" + "、".join(f"{r.agency} {r.now}" for r in rows.itertuples())
            for ind, rows in moved["measured"].groupby("indicator", sort=False)))
    st.caption(f"逾期未回復 {fb['overdue']} 則、處理中（未逾 6 日）{fb['pending']} 則，以 {judged} 匯出資料判定；"
               f"比較期間內發表之意見 {fb['in_period']} 則。")
