"""使用量與排行: ranking by downloads or views, growth and decline, resets, removals, matching."""

import plotly.express as px
import streamlit as st

from kpi.metrics import decline, matches, recounts, usage
from kpi.metrics.coverage import period_text
from kpi.reference.agencies import short_name
from kpi.reference.dates import roc
from kpi.reference.fields import CHANGE_KIND_LABELS, MATCH_KIND_LABELS
from kpi.report import build_report
from pages.ui import change
from pages.ui.data import call
from pages.ui.downloads import download
from pages.ui.render import chart, chart_text, plain, table
from pages.ui.router import boot

f = boot()
st.title("使用量與排行")
by = st.radio("排序依據", ["downloads", "views"], horizontal=True, key="rank_by",
              format_func={"downloads": "下載次數", "views": "瀏覽次數"}.get)

per_agency = call(usage.agency_usage, f.scope)
with_total = usage.with_total(per_agency)
st.header("各機關")
table(with_total, ["short_name", "datasets", "views", "downloads", "new_datasets", "removed_datasets",
                   "counter_resets", "recount_datasets"])
if f.scope.since is not None:
    report = call(build_report, f.scope, f.days)
    where = "勞動部及所屬" if f.group else "、".join(short_name(a) for a in f.scope.agencies)
    for m, word in (("downloads", "下載"), ("views", "瀏覽")):
        st.subheader(f"{word}量變化的組成（{period_text(f.scope)}）")
        st.caption("前次累計 + 續存增加 − 續存減少 ± 重新計數 + 新增 − 下架 = 本次累計，逐機關到個位數"
                   "（續存減少、下架為要減去的數；重新計數為正負合計）；淨變化即兩個總數之差。")
        table(with_total, ["short_name", *[f"{m}_{p}" for p in
                                           ("before", "increase", "fall", "recount", "new", "removed",
                                            "after", "net")]])
        change.waterfall(report["total"][f"{m}_change"], m, where, (f.scope,))

ranked = call(usage.ranking_in_group, f.scope, by)
ranked["change_kind"] = ranked["change_kind"].map(CHANGE_KIND_LABELS)
ranked["agency"] = ranked["agency"].map(short_name)  # narrow column: the table reads at 1366×768
ranked["match_kind"] = ranked["match_kind"].map(MATCH_KIND_LABELS)
show = ["rank", "dataset_name", "agency", "service_category", "views", "downloads",
        "views_change", "downloads_change", "change_kind", "match_kind"]
st.header(f"資料集排行（{len(ranked):,} 項，依{'下載' if by == 'downloads' else '瀏覽'}次數）")
if not f.group:
    st.caption("名次為勞動部及所屬全部資料集中的名次；此處只列出所選機關的資料集。")
table(ranked, show, height=420)
known = int(ranked["service_category"].notna().sum())
if 0 < known < len(ranked):  # the embedded default has 服務分類 only for 附件二's datasets
    from kpi.metrics.public_use_catalogue import category_note  # only needed when some rows lack it

    st.caption(category_note(ranked["service_category"]))
download(f"下載此排行（附件一，依{'下載' if by == 'downloads' else '瀏覽'}次數，Excel）", "ranking", f.scope,
         f.days, by)

if f.scope.since is None:
    st.info("未選比較基準日：成長與衰退、下架與比對資訊需要兩次快照。")
    st.stop()

changes = call(usage.dataset_changes, f.scope)
kept = changes[changes["change_kind"] == "kept"]
st.header(f"{roc(f.scope.since)} 至 {roc(f.scope.as_of)} 下載量上升最多與最少")
st.caption("只列兩次都開放、累計數未下降且不在重新計數事件中的資料集（其成長可知）。")
left, right = st.columns(2)
# one colour per agency in both charts (the filter's agency order), so a colour means one agency
agency_order = chart_text(per_agency["agency"].map(short_name)).tolist()
colours = dict(zip(agency_order, px.colors.qualitative.Safe * 60, strict=False))
movers = {"成長最多 10 項": kept.nlargest(10, "downloads_change"),
          "成長最少 10 項（持續開放者）": kept.nsmallest(10, "downloads_change")}
for column, (title, rows) in zip((left, right), movers.items(), strict=True):
    # colour = agency (short name), its legend above the bars so it shows at every width;
    # the bars keep the ranking's order (largest growth on top), not grouped by colour
    def build(rows=rows, title=title):
        shown = rows.assign(dataset_name=chart_text(rows["dataset_name"]),
                            agency=chart_text(rows["agency"].map(short_name)))
        fig = px.bar(shown, x="downloads_change", y="dataset_name", orientation="h", color="agency",
                     labels={"downloads_change": "下載量增加", "dataset_name": "資料集", "agency": "機關"},
                     category_orders={"dataset_name": list(dict.fromkeys(shown["dataset_name"])),
                                      "agency": agency_order},
                     color_discrete_map=colours, title=title)
        fig.update_layout(yaxis={"title": None}, height=480,  # px puts the first category on top
                          legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0,
                                  "title": {"text": "機關"}},
                          title={"y": 0.98, "yanchor": "top"}, margin={"t": 90})
        return fig

    chart(build, rows[["dataset_name", "agency", "downloads_change"]].assign(agency=rows["agency"].map(short_name)),
          f"{title}：" + "、".join(f"{n}（{c:+,}）" for n, c in zip(rows["dataset_name"].head(3),
                                                                rows["downloads_change"].head(3), strict=True))
          + "……", target=column, key=("usage.movers", f.scope, title))

events = call(recounts.events_in_period, f.scope)
cohort = changes[changes["change_kind"] == "recount"]
st.header(f"平臺重新計數事件（{len(events)} 次，成長未知 {len(cohort):,} 項）")
if events.empty:
    st.caption("此期間沒有大批資料集同時累計數下降的情形。" + recounts.rule_text())
else:
    for e in events.itertuples():
        st.warning(plain(f"{e.description}。本範圍 {e.datasets:,} 項，其中 {e.fell:,} 項下降；{e.status_label}"
                         + (f"（{e.note}）" if e.note else "") + "。"))
    st.caption("像統計數列的斷層：這些資料集的成長既不是 0，也不是上升的那個計數；不列入上升合計的排行與人氣獎，"
               "其增減在上方組成中單列「重新計數」。資訊處可在「比對確認」頁確認、否決或加註。")
    table(cohort.assign(agency=cohort["agency"].map(short_name)),
          ["dataset_name", "agency", "listed_on", "views_before", "views", "views_change", "downloads_before",
           "downloads", "downloads_change"], height=300)

resets = changes[changes["change_kind"] == "reset"]
in_events = int(cohort["fell"].sum())
st.header(f"零星的計數器下降（{len(resets)} 項）")
if in_events:
    st.caption(f"另有 {in_events:,} 項累計數下降屬上述重新計數事件，不在此列。")
st.caption("不在重新計數事件中、累計瀏覽或下載數比前次少的資料集：計數器重設或重新上架，不是負的使用量；"
           "下降的差額列為「續存減少」，不計入上升合計。")
rc = ["dataset_name", "agency", "views_before", "views", "views_change", "downloads_before",
      "downloads", "downloads_change"]
table(resets.assign(agency=resets["agency"].map(short_name)), rc)

st.header("成長與衰退（與前一段同長度期間相比）")
trend = call(decline.period_usage, f.scope)
if not trend["available"]:
    st.info(trend["needed"])
else:
    st.caption(trend["basis"] + "。衰退＝本期使用量低於前期（同長度）。")
    table(trend["agencies"].assign(short_name=trend["agencies"]["agency"].map(short_name)),
          ["short_name", "compared", "usage_previous", "usage", "difference", "change_ratio", "grew", "declined"])
    ds = trend["datasets"].assign(agency=trend["datasets"]["agency"].map(short_name))
    left, right = st.columns(2)
    left.markdown("**衰退最多 10 項**")
    with left:
        table(ds.head(10), ["dataset_name", "agency", "usage_previous", "usage", "difference"])
    right.markdown("**成長最多 10 項**")
    with right:
        table(ds.iloc[::-1].head(10), ["dataset_name", "agency", "usage_previous", "usage", "difference"])

removed = changes[changes["change_kind"] == "removed"]
st.header(f"前次有、本次沒有的資料集（{len(removed)} 項）")
st.caption("可能是下架，或改名後未能自動比對（見「比對確認」頁）。委員會要求資料集不得任意下架。")
rm = ["dataset_name", "agency", "views_before", "downloads_before"]
table(removed, rm)

st.header("跨快照比對方式")
st.caption("名稱完全相同（逐字元相同）、正規化後相同（全半形、空白、破折號、截斷的名稱）、資訊處確認；"
           "上架日晚於前次快照者不會被當成前次資料集的延續。候選與否決見「比對確認」頁。")
kinds = call(matches.kind_counts, f.scope)
pairs = changes[changes["match_kind"] == "confirmed"]
st.markdown(f"續存資料集瀏覽增加 **{int(per_agency['views_increase'].sum()):,}**、下載增加 "
            f"**{int(per_agency['downloads_increase'].sum()):,}**；資訊處確認的 {len(pairs)} 組配對"
            f"計入瀏覽 +{int(pairs['views_change'].clip(lower=0).sum()):,}、"
            f"下載 +{int(pairs['downloads_change'].clip(lower=0).sum()):,}。")
kinds["how"] = kinds["how"].map(MATCH_KIND_LABELS)
table(kinds)
