"""全國比較: the Ministry among all agencies of a national snapshot; popularity-award candidates."""

import plotly.express as px
import streamlit as st

from kpi.metrics import awards, national
from kpi.metrics.definitions import GROUP_NAMES
from kpi.reference.dates import roc
from pages.ui.data import call
from pages.ui.render import chart, chart_text, plain, table
from pages.ui.router import boot

f = boot()
st.title("全國比較")
frame = call(national.agency_ranking, f.scope.as_of)
if not national.is_national(frame):
    st.info(f"{roc(f.scope.as_of)} 的快照只含勞動部及所屬資料；請選擇全國統計快照（例如 107/07/20）。")
    st.stop()
GROUP, MINISTRY = GROUP_NAMES["group"], GROUP_NAMES["ministry"]
SINGLE, GROUPED = "單一機關之間", "部會（含所屬）之間"
totals = national.group_totals(frame)
grouped = call(national.group_ranking, f.scope.as_of)
g = grouped[grouped["group"] == GROUP].iloc[0]
c1, c2, c3, c4 = st.columns(4)
c1.metric("全國機關數", f"{totals['agencies']:,}", delta=f"{len(grouped):,} 個部會（含所屬）", delta_color="off",
          delta_arrow="off")
c2.metric("全國資料集", f"{totals['datasets']:,}", delta=f"{GROUP} {totals['group_datasets']:,}",
          delta_color="off", delta_arrow="off")
c3.metric(f"{GROUP}下載量占全國", f"{totals['group_share_downloads']:.1%}",
          delta=f"部會間第 {g['rank_downloads']} 名", delta_color="off", delta_arrow="off",
          help=f"{GROUPED}的名次（與其他部會的合計比較，見下方）；不與單一機關並列")
c4.metric(f"{MINISTRY}下載量占全國", f"{totals['ministry_share_downloads']:.2%}")
st.caption(f"名稱：「{MINISTRY}」只指勞動部本身；「{GROUP}」指勞動部與勞保局、勞發署、基金局、職安署、勞研所"
           f"六個機關合計。名次：依下載量、瀏覽量分別排名，{national.TIE_RULE}。")
st.caption(f"同類相比：單一機關只與單一機關排名；「{GROUP}」是六個機關的合計，只與其他部會（含所屬）的合計排名，"
           "不與單一機關並列——一個部會的合計放在單一機關之中，名次會看來比實際突出。部會的歸屬見「計算說明」之機關歸屬表。")
missing = call(national.unplaced, f.scope.as_of)
if missing:
    st.warning(plain(f"機關歸屬表未列的機關 {len(missing):,} 個，各自成一組計入「{GROUPED}」的名次（未併入其部會）："
                     + "、".join(missing) + "。請資訊處更新機關歸屬表（見「計算說明」）。"))

st.header(f"{SINGLE}：全國 {totals['agencies']:,} 個機關各自排名")
CHOSEN = "所選機關"
frame["group"] = frame["is_ministry"].map({True: f"{GROUP}之機關", False: "其他機關"})
if not f.group:  # named agencies: highlighted among all agencies of the portal, ranks unchanged
    frame.loc[frame["agency"].isin(f.scope.agencies), "group"] = CHOSEN
    chosen = frame[frame["group"] == CHOSEN]
    cols_ = st.columns(max(len(chosen), 1))
    for col, r in zip(cols_, chosen.itertuples(), strict=False):
        col.metric(f"{r.short_name}：下載名次", f"第 {r.rank_downloads:,} 名／{totals['agencies']:,}",
                   delta=f"瀏覽第 {r.rank_views:,} 名", delta_color="off", delta_arrow="off")
    st.caption(f"所選機關在全國全部 {totals['agencies']:,} 個機關中的名次；篩選只標示所選機關，不改變比較對象。")
shown = frame[(frame.index < 25) | (frame["group"] == CHOSEN)]  # the chosen stay in view, ranks as they are


def build():
    top = shown.assign(agency=lambda d: chart_text(d["agency"]))
    fig = px.bar(top, x="downloads", y="agency", color="group", orientation="h",
                 labels={"downloads": "累計下載量", "agency": "機關", "group": ""},
                 title="累計下載量前 25 名單一機關" + ("" if f.group else "及所選機關"),
                 color_discrete_map={f"{GROUP}之機關": "#c0262d", "其他機關": "#4a6d8c", CHOSEN: "#e69500"})
    return fig.update_layout(yaxis={"autorange": "reversed"}, height=640)


chart(build, shown[["agency", "group", "downloads"]],
      "累計下載量前 25 名單一機關：" + "、".join(f"{a} {int(d):,}" for a, d in zip(frame["agency"].head(5), frame["downloads"].head(5),
                                                                     strict=True)) + "……（完整名單見下表）",
      key=("national.top25", f.scope, f.group))

cols = ["rank_downloads", "rank_views", "agency", "datasets", "views", "downloads", "share_downloads",
        "share_views"]
st.subheader(f"{GROUP if f.group else '所選'}各機關在全部 {totals['agencies']:,} 個單一機關中的名次")
table(frame[frame["is_ministry"] if f.group else frame["group"] == CHOSEN], cols)
st.caption(f"{SINGLE}：每個機關（含勞動部各機關）與全國其他單一機關比較，不含任何合計列；{national.TIE_RULE}。")

st.header(f"{GROUPED}：{len(grouped):,} 個部會（含所屬）合計後排名")
RANKED = f"{GROUPED}：下載第 {g['rank_downloads']} 名、瀏覽第 {g['rank_views']} 名／{len(grouped):,}"
m1, m2, m3 = st.columns(3)
m1.metric(f"{GROUP}：下載名次", f"第 {g['rank_downloads']} 名／{len(grouped):,}", delta=f"瀏覽第 {g['rank_views']} 名",
          delta_color="off", delta_arrow="off")
m2.metric("部會（含所屬）", f"{len(grouped):,} 組", delta=f"只有一個機關者 {int((grouped['members'] == 1).sum()):,} 組",
          delta_color="off", delta_arrow="off")
m3.metric(f"{GROUP}：機關數", f"{int(g['members']):,}", delta=f"資料集 {int(g['datasets']):,} 項", delta_color="off",
          delta_arrow="off")
top15 = grouped[(grouped.index < 15) | (grouped["group"] == GROUP)]
table(top15, ["rank_downloads", "rank_views", "group", "members", "datasets", "views", "downloads",
              "share_downloads", "share_views"], height=35 * (len(top15) + 1) + 3)  # every row in view
st.caption(f"{GROUPED}：全國每個機關依機關歸屬表併入其部會或上級機關後合計（地方政府各局處併入該縣市政府；"
           "法院併入司法院、檢察署併入法務部；公營事業與行政法人自成一組），只有一個機關者亦為一組。"
           f"{GROUP}與其他 {len(grouped) - 1:,} 組比較（{RANKED}）；列出前 15 名及{GROUP}；{national.TIE_RULE}。")

only = st.toggle(f"只看{GROUP}", value=True, key="pop_ministry")
basis = call(awards.popularity_basis, f.scope)
st.header("人氣獎模擬（前 50 名）")
st.markdown(f"**{basis['title']}**")
for line in basis["notes"]:
    st.caption(line)
eligible = st.toggle("只列符合已套用條件者", value=True, key="pop_eligible")
pop = call(awards.popularity, f.scope, only, eligible_only=eligible, same_period=True)
pc = ["agency", "dataset_name", "period_views", "period_downloads", "rating", "listed_on",
      "popularity_score", "eligibility", "gold_badge"]
table(pop, pc)
st.header("無上架日、無法判斷是否開放滿一年（不列入評比）")
undated = call(awards.popularity, f.scope, only, undated=True, same_period=True)
table(undated, pc)
