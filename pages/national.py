"""全國比較: the Ministry among all agencies of a national snapshot; popularity-award candidates."""

import plotly.express as px
import streamlit as st

from kpi.dates import roc
from kpi.metrics import awards, national, quality
from pages.ui.data import call
from pages.ui.render import chart_text, table
from pages.ui.router import boot

f = boot()
st.title("全國比較")
frame = call(national.agency_ranking, f.scope.as_of)
if not national.is_national(frame):
    st.info(f"{roc(f.scope.as_of)} 的快照只含本部資料；請選擇全國統計快照（例如 107/07/20）。")
    st.stop()
group = national.group_totals(frame)
c1, c2, c3 = st.columns(3)
c1.metric("全國機關數", f"{group['agencies']:,}")
c2.metric("全國資料集", f"{group['datasets']:,}", delta=f"勞動部及所屬 {group['group_datasets']:,}",
          delta_color="off")
c3.metric("勞動部及所屬下載量占全國", f"{group['group_share_downloads']:.1%}")
frame["group"] = frame["is_ministry"].map({True: "勞動部及所屬", False: "其他機關"})
top = frame.head(25).assign(agency=lambda d: chart_text(d["agency"]))
fig = px.bar(top, x="downloads", y="agency", color="group", orientation="h",
             labels={"downloads": "累計下載量", "agency": "機關", "group": ""},
             title="累計下載量前 25 名機關", color_discrete_map={"勞動部及所屬": "#d62728",
                                                            "其他機關": "#7f9fbf"})
fig.update_layout(yaxis={"autorange": "reversed"}, height=640)
st.plotly_chart(fig, width="stretch")
st.subheader("本部各機關在全國的名次（依下載量；同數同名次）")
cols = ["rank", "agency", "datasets", "views", "downloads"]
ministry = frame[frame["is_ministry"]].rename(columns={"rank_downloads": "rank"})
table(ministry, cols)

st.subheader("人氣獎分數（前 50 名）")
only = st.toggle("只看本部", value=True, key="pop_ministry")
if call(quality.has_catalogue):
    eligible = st.toggle("只列符合資格（金標章且開放滿一年）", value=True, key="pop_eligible")
    st.caption("30×瀏覽量/全國最多 ＋ 40×下載量/全國最多 ＋ 30×評分/5；標章取自最新資料集清單（同機關同名比對）。")
else:
    eligible = False
    st.caption("30×瀏覽量/全國最多 ＋ 40×下載量/全國最多 ＋ 30×評分/5。尚未匯入資料集清單，"
               "無法確認金標章，故未套用「金標章」條件；「開放滿一年」依上架日判斷。")
pop = call(awards.popularity, f.scope, only, eligible_only=eligible)
pc = ["agency", "dataset_name", "views", "downloads", "rating", "listed_on", "popularity_score",
      "open_one_year", "gold_badge"]
table(pop, pc)
