"""行動方案績效: five indicators × agencies for a year, the dataset-count plan, composite ranking."""

import plotly.graph_objects as go
import streamlit as st

from kpi import service
from kpi.agencies import short_name
from kpi.metrics import plan
from kpi.metrics.definitions import INDICATORS, plan_label, show
from pages.ui.auth import signed_in_office
from pages.ui.data import call
from pages.ui.router import boot

f = boot()
years = call(plan.plan_years)
st.title(f"行動方案績效（{min(years)}–{max(years)} 年）")
year = st.radio("年度", years, horizontal=True, key="plan_year", format_func=lambda y: f"{y} 年")

weights, saved = plan.weights_in_force()
office = signed_in_office()
with st.expander("綜合排名權重" + ("（資訊處設定）" if office else ""), expanded=False):
    st.caption("各指標得分 = min(實績 ÷ 目標, 1) × 100；綜合分數 = 有資料指標之加權平均 ＋ 加分。")
    if office:
        with st.form("weights_form"):
            low, high = plan.WEIGHT_RANGE
            chosen = {name: st.slider(plan_label(name), low, high, weights.of(name), 0.5, key=f"w_{name}")
                      for name in INDICATORS}
            chosen["bonus_max"] = st.slider("加分上限（四五星比例、3日內回復比例各乘此值）",
                                            *plan.BONUS_RANGE, weights.bonus_max, 0.5, key="w_bonus")
            if st.form_submit_button("儲存權重"):
                service.set_weights(chosen, office)
                st.rerun()
    who = f"；{saved['set_by']} 於 {saved['set_at'][:10]} 設定" if saved else "；預設值，資訊處尚未調整"
    st.caption("權重：" + "、".join(f"{plan_label(n)} {weights.of(n):g}" for n in INDICATORS)
               + f"；加分上限 {weights.bonus_max:g}{who}")

frame = call(plan.yearly_achievement, f.scope, year, weights)
rows = []
for _, r in frame.iterrows():
    row = {"名次": int(r["rank"]) if r["rank"] == r["rank"] else None,
           "機關": short_name(r["agency"])}
    for name in INDICATORS:
        actual, target, met = show(name, r[f"{name}_actual"]), show(name, r[f"{name}_target"]), r[f"{name}_met"]
        if met is None or met != met:
            row[plan_label(name)] = f"無資料（目標 {target}）"
        else:
            row[plan_label(name)] = f"{'達成' if met else '未達成'} {actual} / {target}"
    row["加分"] = round(r["bonus_reply"] + r["bonus_stars"], 2)
    row["綜合分數"] = None if r["composite"] != r["composite"] else round(r["composite"], 2)
    rows.append(row)
st.subheader(f"{year} 年各機關指標（實績 / 目標）")
st.dataframe(rows, hide_index=True)
top = plan.award_proposal(frame)
if len(top):
    st.success("建議獎勵前三名：" + "、".join(f"{short_name(r.agency)}（{r.composite:.2f}）"
                                         for r in top.itertuples()))
st.caption("會議次數、正確率、三星比率需匯入工作小組會議與資料集清單後才有實績；無資料的指標不計入綜合分數。")

st.subheader("資料集數量：計畫與實際（104–106 年底）")
counts = call(plan.dataset_plan, f.scope)
fig = go.Figure()
for column, label in (("planned_total", "計畫"), ("listed_by_year_end", "實際（依上架日）")):
    fig.add_bar(x=[f"{short_name(a)} {y}" for a, y in zip(counts["agency"], counts["roc_year"], strict=True)],
                y=counts[column], name=label)
fig.update_layout(barmode="group", yaxis_title="資料集數", height=420)
st.plotly_chart(fig, width="stretch")
st.caption("實際數取最新一次含上架日的快照，累計至各年底；已下架者不在快照中，故為下限。")
