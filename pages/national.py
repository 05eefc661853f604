"""全國比較: the Ministry among all agencies of a national snapshot; popularity-award candidates."""

import plotly.express as px
import streamlit as st

from kpi.dates import roc
from kpi.metrics import awards, national
from kpi.metrics.definitions import GROUP_NAMES
from pages.ui.data import call
from pages.ui.render import chart, chart_text, table
from pages.ui.router import boot

f = boot()
st.title("全國比較")
frame = call(national.agency_ranking, f.scope.as_of)
if not national.is_national(frame):
    st.info(f"{roc(f.scope.as_of)} 的快照只含勞動部及所屬資料；請選擇全國統計快照（例如 107/07/20）。")
    st.stop()
GROUP, MINISTRY = GROUP_NAMES["group"], GROUP_NAMES["ministry"]
totals = national.group_totals(frame)
grouped = call(national.group_ranking, f.scope.as_of)
g = grouped[grouped["agency"] == GROUP].iloc[0]
c1, c2, c3, c4 = st.columns(4)
c1.metric("全國機關數", f"{totals['agencies']:,}")
c2.metric("全國資料集", f"{totals['datasets']:,}", delta=f"{GROUP} {totals['group_datasets']:,}",
          delta_color="off")
c3.metric(f"{GROUP}下載量占全國", f"{totals['group_share_downloads']:.1%}",
          delta=f"下載第 {g['rank_downloads']} 名、瀏覽第 {g['rank_views']} 名", delta_color="off")
c4.metric(f"{MINISTRY}下載量占全國", f"{totals['ministry_share_downloads']:.2%}")
st.caption(f"名稱：「{MINISTRY}」只指勞動部本身；「{GROUP}」指勞動部與勞保局、勞發署、基金局、職安署、勞研所"
           f"六個機關合計。名次：依下載量、瀏覽量分別排名，{national.TIE_RULE}。")
CHOSEN = "所選機關"
frame["group"] = frame["is_ministry"].map({True: GROUP, False: "其他機關"})
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
                 title="累計下載量前 25 名機關" + ("" if f.group else "及所選機關"),
                 color_discrete_map={GROUP: "#c0262d", "其他機關": "#4a6d8c", CHOSEN: "#e69500"})
    return fig.update_layout(yaxis={"autorange": "reversed"}, height=640)


chart(build, shown[["agency", "group", "downloads"]],
      "累計下載量前 25 名：" + "、".join(f"{a} {int(d):,}" for a, d in zip(frame["agency"].head(5), frame["downloads"].head(5),
                                                                   strict=True)) + "……（完整名單見下表）",
      key=("national.top25", f.scope, f.group))

cols = ["rank_downloads", "rank_views", "agency", "datasets", "views", "downloads", "share_downloads",
        "share_views"]
st.header(f"{GROUP}視為一個單位，與其他機關並列（前 15 名，依下載量）")
table(grouped.head(15), cols)
st.caption(f"六個機關合計為一列，與其他 {len(grouped) - 1:,} 個機關比較；{national.TIE_RULE}。")
st.header(f"{GROUP if f.group else '所選'}各機關在全部 {totals['agencies']:,} 個機關中的名次")
table(frame[frame["is_ministry"] if f.group else frame["group"] == CHOSEN], cols)
st.caption(f"每個機關與全國全部機關（含其他部會）比較；{national.TIE_RULE}。")

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
