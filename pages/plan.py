"""行動方案績效: five indicators × agencies for a year, the dataset-count plan, composite ranking."""

import plotly.graph_objects as go
import streamlit as st

from kpi import service
from kpi.metrics import plan, plan_growth, plan_notes
from kpi.metrics.definitions import INDICATORS, MISSING_METHOD_TEXT, PLAN_WORDING, plan_label, show
from kpi.reference.agencies import short_name
from kpi.reference.dates import roc
from pages.ui.auth import signed_in_office
from pages.ui.data import call
from pages.ui.render import chart, plain
from pages.ui.router import boot

f = boot()
years = call(plan.plan_years)
st.title(f"行動方案績效（{min(years)}–{max(years)} 年）")
year = st.radio("年度", years, horizontal=True, key="plan_year", format_func=lambda y: f"{y} 年")

weights, saved = plan.weights_in_force()
office = signed_in_office()
st.header("綜合分數的計算方式" + ("（資訊處設定）" if office else ""))
for line in plan_notes.method_lines(weights, saved, f.days):
    st.caption(line)
if office:
    with st.expander("調整計算方式（資訊處）", expanded=False), st.form("weights_form"):
        low, high = plan.WEIGHT_RANGE
        chosen = {name: st.slider(plan_label(name), low, high, weights.of(name), 0.5, key=f"w_{name}")
                  for name in INDICATORS}
        chosen["bonus_max"] = st.slider("加分上限（四五星比例、回復門檻內比例各乘此值）",
                                        *plan.BONUS_RANGE, weights.bonus_max, 0.5, key="w_bonus")
        chosen["bonus_threshold_days"] = st.slider("回復加分門檻（日，須低於 6 日）", *plan.BONUS_DAYS_RANGE,
                                                   weights.bonus_threshold_days, 1.0, key="w_days")
        chosen["cap"] = st.checkbox("各指標以 100 分為上限", weights.cap, key="w_cap")
        chosen["missing"] = st.radio("個別機關缺指標時", plan.MISSING_METHODS,
                                     plan.MISSING_METHODS.index(weights.missing), key="w_missing",
                                     format_func=MISSING_METHOD_TEXT.get)
        chosen["growth_basis"] = weights.growth_basis  # set below, beside both readings
        if st.form_submit_button("儲存設定"):
            service.set_weights(chosen, office)
            st.rerun()

frame = call(plan_notes.explained_achievement, f.scope, year, weights, f.days)
covers = call(plan_notes.coverage, f.scope, year, f.days, weights.growth_basis)
status = call(plan_notes.ranking_status, f.scope, year, weights, f.days)
partial = not status["complete"]
RANK, SCORE = ("部分指標名次", "部分指標綜合分數") if partial else ("名次", "綜合分數")
rows, notes = [], []
for _, r in frame.iterrows():
    row = {RANK: plan_notes.rank_text(r["rank"], int(r["compared"])), "機關": short_name(r["agency"])}
    for name in INDICATORS:
        actual, target, met = show(name, r[f"{name}_actual"]), show(name, r[f"{name}_target"]), r[f"{name}_met"]
        if met is None or met != met:
            cell = f"無資料（目標 {target}）"
        else:
            cell = f"{'達成' if met else '未達成'} {actual} / {target}"
        row[plan_label(name)] = cell  # the note goes below the table: cells stay short at 1366 wide
        if r[f"{name}_note"]:
            notes.append(f"{short_name(r['agency'])} {plan_label(name)}：{r[f'{name}_note']}")
    row["加分"] = round(r["bonus_reply"] + r["bonus_stars"], 2)
    row[SCORE] = None if r["composite"] != r["composite"] else round(r["composite"], 2)
    row["說明"] = r["composite_note"]
    rows.append(row)
st.header(f"{year} 年各機關指標（實績 / 目標）")
if partial:
    st.warning(f"部分指標排名：綜合分數{status['headline']}，不是五項指標的完整排名；五項指標齊備前不列獎勵名單。"
               f"缺少：{'；'.join(status['missing'])}。")
st.dataframe(rows, hide_index=True, placeholder="—", column_config={  # rank and agency stay in view
    RANK: st.column_config.TextColumn(pinned=True), "機關": st.column_config.TextColumn(pinned=True),
    SCORE: st.column_config.NumberColumn(format="%.2f"),
    **{plan_label(n): st.column_config.TextColumn(help=covers[n]) for n in INDICATORS}})
st.caption(f"{RANK}：在全部 {status['compared']} 個機關中的名次（同分同名次）；篩選機關只縮小列出的範圍，"
           "不改變比較對象。")
if notes:
    with st.expander(f"各機關指標明細（{len(notes)} 則）"):
        for line in notes:
            st.caption(plain(line))  # agency and note text shown as typed, not Markdown
if status["proposal"]:
    st.success(f"建議獎勵前三名（五項指標齊備，{status['compared']} 個機關比較）："
               + "、".join(f"{a}（{c:.2f}）" for a, c in status["proposal"]))
absent = plan_notes.absent_line(frame)
if absent:
    st.caption(absent + "。")
over = [r for r in frame.itertuples() if r.composite == r.composite and r.composite > 100]
if over:
    st.caption("綜合分數超過 100 分，是因為各指標得分以 100 分為上限後，另加「回復加分」與「四五星加分」：")
for r in over:
    st.caption(f"{short_name(r.agency)} {r.composite:.2f}：{r.composite_note}")
st.markdown("**各指標涵蓋範圍**")
for name in INDICATORS:
    st.caption(f"{plan_label(name)}：{covers[name]}")

st.header(f"成長量的兩種算法（{year} 年）")
st.caption(f"行動方案原文：陸、績效指標之年度目標欄為「{PLAN_WORDING['growth_heading']}」；"  # the plan's own
           f"伍、開放期程：「{PLAN_WORDING['growth_schedule']}」並列各機關各年資料集總數量。")  # words, no data

readings = call(plan_growth.growth_readings, f.scope, year)
steps = readings.dropna(subset=["planned_increase", "target"])
if len(steps) and bool((steps["planned_increase"] == steps["target"]).all()):
    r0 = steps.iloc[0]
    st.caption(f"{year} 年各機關成長量目標，皆等於資料集總數量表 {year - 1} 年到 {year} 年之增加（如 "
               f"{short_name(r0['agency'])} {r0['planned_previous']} → {r0['planned_total']} = {r0['target']}）。")
st.info(f"綜合分數採用：{plan_growth.GROWTH_BASIS_TEXT[weights.growth_basis]}。"
        + ("" if office else "此為資訊處之設定。"))


def _n(value):
    return None if value is None or value != value else int(value)


def _side(day, total):
    """A bracketing snapshot and its dataset total."""
    return None if day is None else roc(day) + ("" if _n(total) is None else f"：{_n(total):,} 項")


st.dataframe([{
    "機關": short_name(r["agency"]), "目標": _n(r["target"]), "(a) 當年上架": _n(r["listed"]),
    "(b) 總數淨增加": _n(r["net"]), "期間下架": _n(r["removed"]), "期間新增": _n(r["added"]),
    "年初快照": _side(r["before_on"], r["before_total"]), "年底快照": _side(r["after_on"], r["after_total"]),
    f"計畫總數（{year} 年）": _n(r["planned_total"]), "說明": r["needed"] or None,
} for r in readings.to_dict("records")], hide_index=True, placeholder="—",
    column_config={"機關": st.column_config.TextColumn(pinned=True)})
listed_in = readings["listed_in"].iloc[0] if len(readings) else None
st.caption(("(a) 依 " + roc(listed_in) + " 快照之上架日計當年上架者；快照前已下架者不在其中，下架亦不扣除。"
            if listed_in else "(a) 沒有含上架日之快照：無資料。")
           + f" (b) = 年底快照（{year}/12/31 以後）資料集總數 − 年初快照（{year - 1}/12/31 或 {year}/01/01 以前）"
           "資料集總數，已扣除期間下架者；無前後快照者不計（不以 0 計），「說明」列出所需快照。"
           "計畫總數與年底快照之總數相比。")
if office:
    with st.form("growth_basis_form"):
        basis = st.radio("綜合分數採用之成長量（資訊處）", plan_growth.GROWTH_BASES,
                         plan_growth.GROWTH_BASES.index(weights.growth_basis), key="w_growth_basis",
                         format_func=plan_growth.GROWTH_BASIS_TEXT.get)
        if st.form_submit_button("儲存成長量採計方式"):
            service.set_growth_basis(basis, office)
            st.rerun()

st.header("資料集數量：計畫與實際（104–106 年底）")
counts = call(plan.dataset_plan, f.scope)
fig = go.Figure()
for column, label in (("planned_total", "計畫"), ("listed_by_year_end", "實際（依上架日）")):
    fig.add_bar(x=[f"{short_name(a)} {y}" for a, y in zip(counts["agency"], counts["roc_year"], strict=True)],
                y=counts[column], name=label)
fig.update_layout(barmode="group", yaxis_title="資料集數", height=420)
chart(fig, counts[["agency", "roc_year", "planned_total", "listed_by_year_end"]].assign(
          agency=counts["agency"].map(short_name)),
      "各機關各年底計畫與實際資料集數：" + "、".join(
          f"{short_name(a)} {y} 年 計畫 {p:,}／實際 {n:,}" for a, y, p, n in zip(
              counts["agency"], counts["roc_year"], counts["planned_total"], counts["listed_by_year_end"],
              strict=True) if y == counts["roc_year"].max()))
st.caption("實際數取最新一次含上架日的快照，累計至各年底；已下架者不在快照中，故為下限。")
