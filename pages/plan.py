"""行動方案績效: five indicators × agencies for a year, the dataset-count plan, composite ranking."""

import plotly.graph_objects as go
import streamlit as st

from kpi.agencies import short_name
from kpi.metrics.plan import INDICATOR_LABELS, INDICATORS, Weights
from pages.shared import current_filters, data_version, dataset_plan, num, pct, yearly

f = current_filters()
version = data_version()
st.title("行動方案績效（105–106 年）")
year = st.radio("年度", [106, 105], horizontal=True, key="plan_year",
                format_func=lambda y: f"{y} 年")

with st.expander("綜合排名權重（資訊處可調整）", expanded=False):
    st.caption("各指標得分 = min(實績 ÷ 目標, 1) × 100；綜合分數 = 有資料指標之加權平均 ＋ 加分。")
    w = {name: st.slider(INDICATOR_LABELS[name], 0.0, 3.0, 1.0, 0.5, key=f"w_{name}")
         for name in INDICATORS}
    bonus = st.slider("加分上限（四五星比例、3日內回復比例各乘此值）", 0.0, 10.0, 5.0, 0.5,
                      key="w_bonus")
weights = Weights(**w, bonus_max=bonus)
st.caption("權重：" + "、".join(f"{INDICATOR_LABELS[n]} {w[n]:g}" for n in INDICATORS)
           + f"；加分上限 {bonus:g}")

frame = yearly(version, f.scope, year, weights)
rows = []
for _, r in frame.iterrows():
    row = {"名次": int(r["rank"]) if r["rank"] == r["rank"] else None,
           "機關": short_name(r["agency"])}
    for name in INDICATORS:
        is_count = name in ("meetings", "new_datasets")
        actual = num(r[f"{name}_actual"]) if is_count else pct(r[f"{name}_actual"])
        target = num(r[f"{name}_target"]) if is_count else pct(r[f"{name}_target"])
        met = r[f"{name}_met"]
        if met is None or met != met:
            row[INDICATOR_LABELS[name]] = f"無資料（目標 {target}）"
        else:
            row[INDICATOR_LABELS[name]] = f"{'達成' if met else '未達成'} {actual} / {target}"
    row["加分"] = round(r["bonus_reply"] + r["bonus_stars"], 2)
    row["綜合分數"] = None if r["composite"] != r["composite"] else round(r["composite"], 2)
    rows.append(row)
st.subheader(f"{year} 年各機關指標（實績 / 目標）")
st.dataframe(rows, hide_index=True)
top3 = [x for x in rows if x["綜合分數"] is not None][:3]
if top3:
    st.success("建議獎勵前三名：" + "、".join(f"{x['機關']}（{x['綜合分數']:.2f}）" for x in top3))
st.caption("會議次數、正確率、三星比率需匯入工作小組會議與資料集清單後才有實績；無資料的指標不計入綜合分數。")

st.subheader("資料集數量：計畫與實際（104–106 年底）")
plan = dataset_plan(version, f.scope)
fig = go.Figure()
for metric, label in (("planned_total", "計畫"), ("listed_by_year_end", "實際（依上架日）")):
    fig.add_bar(x=[f"{short_name(a)} {y}" for a, y in zip(plan["agency"], plan["roc_year"],
                                                           strict=True)],
                y=plan[metric], name=label)
fig.update_layout(barmode="group", yaxis_title="資料集數", height=420)
st.plotly_chart(fig, width="stretch")
st.caption("實際數取最新一次含上架日的快照，累計至各年底；已下架者不在快照中，故為下限。")
