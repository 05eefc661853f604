"""民眾使用分析: what the public uses — by 服務分類, file format and age, how concentrated use is,
which datasets nobody downloaded, and the period's risers and decliners (issue 25)."""

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from kpi.metrics import decline, public_use
from kpi.metrics.coverage import period_text
from kpi.metrics.public_use_catalogue import NO_CATALOGUE, category_note
from kpi.reference.agencies import short_name
from pages.ui.data import call
from pages.ui.render import chart, chart_text, table
from pages.ui.router import boot

f = boot()
st.title("民眾使用分析")
measure = st.radio("依據", ["downloads", "views"], horizontal=True, key="public_use_by",
                   format_func={"downloads": "下載次數", "views": "瀏覽次數"}.get)
word = "下載" if measure == "downloads" else "瀏覽"
col, per = f"{measure}_in_period", f"{measure}_per_dataset"
st.caption(f"期間：{period_text(f.scope)}。" + (
    "期間使用量為兩次快照之間累計次數的增加；計數器下降（重設或平臺重新計數）與新上架的資料集無從得知期間"
    "使用量，不列入（表中「可比較資料集數」）。各組以「每資料集平均」比較，機關大小不同也能相比。"
    if f.scope.since is not None else "未選比較基準日：以累計次數分析。"))

frame = call(public_use.usage_frame, f.scope)
if frame.empty:
    st.info("此範圍沒有資料集。")
    st.stop()


def _bars(rows, key: str, title: str, chart_key: str) -> None:
    """One grouped table's per-dataset averages as bars, with the table as its text version."""
    def build(rows=rows):
        shown = rows.assign(**{key: chart_text(rows[key]), per: rows[per].astype(float).round(1)})
        fig = px.bar(shown, x=key, y=per, labels={key: title, per: f"每資料集平均{word}"})
        fig.update_traces(hovertemplate=f"%{{x}}<br>每資料集平均{word} %{{y:,.1f}}<extra></extra>")
        fig.update_layout(height=360, xaxis={"title": title})
        return fig

    named = rows[~rows[key].isin([public_use.UNCATEGORISED, NO_CATALOGUE])]  # a bucket of unknowns is no answer
    ranked = (named if len(named) else rows).sort_values(per, ascending=False)
    best = ranked.iloc[0]
    summary = (f"依{title}的每資料集平均{word}：最高為「{best[key]}」"
               f"（{best[per]:,.1f} 次，{int(best['known_datasets']):,}／{int(best['datasets']):,} 項可比較）。")
    if rows[per].notna().any() and not rows[key].eq(NO_CATALOGUE).all():
        chart(build, rows[[key, "known_datasets", per]], summary, key=(chart_key, f.scope, measure))
    table(rows, [key, "datasets", "known_datasets", "views_in_period", "downloads_in_period",
                 "views_per_dataset", "downloads_per_dataset"])


st.header("依服務分類")
missing = public_use.missing_category(frame)
if missing:
    st.caption(f"{category_note(frame['service_category'])}沒有的在此列為「{public_use.UNCATEGORISED}」。")
_bars(public_use.by_category(frame), "service_category", "服務分類", "public_use.category")

st.header("依檔案格式")
formats = public_use.by_format(frame)
if formats["file_format"].eq(NO_CATALOGUE).all():
    st.caption("檔案格式來自資料集清單：此資料日期以前尚未匯入（資料匯入頁，種類「資料集清單（詮釋資料）」）。")
else:
    st.caption("一個資料集有多種格式時，各格式都計入；未列在資料集清單的資料集歸入「"
               f"{NO_CATALOGUE}」。")
_bars(formats, "file_format", "檔案格式", "public_use.format")

st.header("依上架年數")
st.caption("上架年數以資料日期計；上架日取自使用統計匯出，沒有時取資料集清單。")
_bars(public_use.by_age(frame), "age_band", "上架年數", "public_use.age")

st.header("使用集中度")
conc = public_use.concentration(frame, col)
if conc["total"]:
    lead = (f"前 10%（{conc['top_datasets']:,} 項，共 {conc['datasets']:,} 項可比較資料集）占期間{word} "
            f"{conc['top_share']:.1%}（{conc['top_total']:,} ／ {conc['total']:,} 次）。")
    st.subheader(lead, anchor=False)
    curve = conc["curve"]

    def pareto(curve=curve):
        fig = go.Figure([go.Scatter(x=curve["dataset_share"].round(4), y=curve["use_share"].round(4),
                                    mode="lines", name=f"{word}累計比例",
                                    hovertemplate="前 %{x:.1%} 資料集<br>占 %{y:.1%}<extra></extra>"),
                         go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="完全平均",
                                    line={"dash": "dot", "color": "#888"})])
        fig.update_layout(height=380, xaxis={"title": "資料集累計比例（依使用量由高而低）", "tickformat": ".0%"},
                          yaxis={"title": f"{word}累計比例", "tickformat": ".0%"},
                          legend={"orientation": "h", "y": 1.1})
        return fig

    chart(pareto, curve[["rank", "dataset_share", "use_share"]],
          f"柏拉圖：{lead}虛線為每個資料集使用量相同時的情形。", key=("public_use.pareto", f.scope, measure))
else:
    st.info(f"期間沒有可比較的{word}。")

st.header("各機關期間無人下載的資料集")
st.caption("可比較資料集中期間下載次數為 0 者：可考慮改善（說明、格式、更新）或檢討下架。")
counts = public_use.no_download(frame, f.scope.agencies)
counts["agency"] = counts["agency"].map(short_name)
table(counts, ["agency", "datasets", "known_datasets", "no_download"])
zero = public_use.no_download_list(frame, f.scope.agencies)
if len(zero):
    zero["agency"] = zero["agency"].map(short_name)
    with st.expander(f"無人下載的資料集（{len(zero):,} 項）"):
        if (note := category_note(zero["service_category"])) is not None:
            st.caption(note)
        table(zero, ["agency", "dataset_name", "service_category", "age_band", "views", "downloads"])

st.header("成長最快與衰退最多")
trend = call(decline.period_usage, f.scope, measure)  # the growth work's 衰退 (SPEC §5)
if not trend["available"]:
    st.info(trend["needed"])
else:
    st.caption(trend["basis"] + f"。依{word}次數；衰退＝本期使用量低於前期（同長度）。")
    moved = trend["datasets"].rename(columns={"usage_previous": "use_previous", "usage": "use_now",
                                              "difference": "use_difference"})
    moved = moved.assign(agency=moved["agency"].map(short_name))
    shown = ["dataset_name", "agency", "use_previous", "use_now", "use_difference"]
    for title, rows in (("成長最快 10 項", moved[moved["use_difference"] > 0].iloc[::-1].head(10)),
                        ("衰退最多 10 項", moved[moved["use_difference"] < 0].head(10))):
        st.subheader(title, anchor=False)
        table(rows, shown)
