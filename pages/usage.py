"""使用量與排行: ranking by downloads or views, growth and decline, resets, removals, matching."""

import plotly.express as px
import streamlit as st

from kpi.agencies import short_name
from kpi.dates import roc
from kpi.fields import CHANGE_KIND_LABELS, MATCH_KIND_LABELS
from kpi.metrics import matches, usage
from pages.ui.data import call
from pages.ui.downloads import download
from pages.ui.render import chart, chart_text, table
from pages.ui.router import boot

f = boot()
st.title("使用量與排行")
by = st.radio("排序依據", ["downloads", "views"], horizontal=True, key="rank_by",
              format_func={"downloads": "下載次數", "views": "瀏覽次數"}.get)

per_agency = call(usage.agency_usage, f.scope)
cols = ["short_name", "datasets", "views", "downloads", "views_growth", "downloads_growth",
        "counter_resets", "new_datasets", "removed_datasets"]
st.header("各機關")
table(usage.with_total(per_agency), cols)

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
st.header(f"{roc(f.scope.since)} 至 {roc(f.scope.as_of)} 下載量成長最多與最少")
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

resets = changes[changes["change_kind"] == "reset"]
st.header(f"計數器下降（{len(resets)} 項）")
st.caption("累計瀏覽或下載數比前次少，代表平臺計數器重設或資料集重新上架，不是負的使用量；"
           "這些資料集下降的差額不計入成長。")
rc = ["dataset_name", "agency", "views_before", "views", "views_change", "downloads_before",
      "downloads", "downloads_change"]
table(resets, rc)

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
st.markdown(f"瀏覽成長合計 **{int(per_agency['views_growth'].sum()):,}**、下載成長合計 "
            f"**{int(per_agency['downloads_growth'].sum()):,}**；其中資訊處確認的 {len(pairs)} 組配對"
            f"計入瀏覽 +{int(pairs['views_change'].clip(lower=0).sum()):,}、"
            f"下載 +{int(pairs['downloads_change'].clip(lower=0).sum()):,}。")
kinds["how"] = kinds["how"].map(MATCH_KIND_LABELS)
table(kinds)
