"""資料品質與標章: three-star ratio, correctness rate with its parts, badges and gold-award score."""

import streamlit as st

from kpi import service
from kpi.metrics import api_coverage, lookups, quality
from kpi.metrics.definitions import show
from kpi.metrics.quality import GRACE_MIN_DAYS, GRACE_SHARE
from kpi.metrics.scope import evidence_dates
from kpi.net.linkcheck import Target
from kpi.reference.agencies import short_name
from kpi.reference.dates import roc
from kpi.reference.fields import label
from pages.ui import render
from pages.ui.auth import signed_in_office
from pages.ui.data import call, data_version
from pages.ui.downloads import download
from pages.ui.router import boot

f = boot()
st.title("資料品質與標章")
office = signed_in_office()
st.caption(f"本頁衡量：{label('three_star_ratio')}（三星以上資料集 ÷ 開放資料集，四、五星另計加分）、"
           f"{label('correctness_rate')}（扣除未及時更新、錯誤連結、錯誤資訊）、標章與{label('gold_award_score')}。")
taken = call(evidence_dates, f.scope.as_of)
st.caption("最近一次檢查：" + "；".join(f"{name} {roc(day) if day else '尚未匯入或執行'}"
                                   for name, day in taken.items()))
if not call(quality.has_catalogue):
    st.warning(f"尚未匯入資料集清單，{label('three_star_ratio')}、{label('correctness_rate')}與"
               f"{label('gold_award_score')}無法計算。")
    st.markdown(
        "缺少的資料：\n"
        "1. **資料集清單**：政府資料開放平臺的「資料集清單」匯出（含檔案格式、品質檢測、更新頻率、"
        "詮釋資料更新時間、提供機關聯絡人）。\n"
        "2. **品質檢測結果**：平臺對各機關資料集的品質檢測（連結可用、可下載等）。\n\n"
        "資訊處匯入後，本頁會列出各機關三星以上比率（含四、五星加分）、正確率三項構成與明細，以及金質獎分數。")
    if office:
        st.caption("資訊處：在「資料匯入」頁上傳，或執行 `python -m kpi import catalogue 檔案.csv --as-of YYYY-MM-DD`"
                   "、`python -m kpi import qc 檔案.json --as-of …`（`/api/v2/rest/qc/{機關OID}` 的 JSON）。")
    st.stop()

office = signed_in_office()
stored = {a: int(n) for a, n in call(lookups.run, "oas_apis", ()).itertuples(index=False)}
st.header("OAS 驗證 API 數（加分，每項 0.1 分、至多 5 分；由資訊處填入）")
with st.form("oas_form"):
    oas_cols = st.columns(len(f.scope.agencies))
    oas = {a: int(c.number_input(short_name(a), 0, 1000, int(stored.get(a, 0)), key=f"oas_{a}",
                                 disabled=office is None))
           for a, c in zip(f.scope.agencies, oas_cols, strict=True)}
    if st.form_submit_button("儲存", disabled=office is None) and office:
        for agency, n in oas.items():
            if n != stored.get(agency, 0):
                service.set_oas(agency, n, office)
        data_version.clear()
        st.rerun()
frame = call(quality.agency_table, f.scope)
st.header("各機關品質指標")
render.table(frame.assign(agency=frame["agency"].map(short_name)))
total = call(quality.quality_by_agency, f.scope).get("全部", {})
st.caption(f"全部：{label('three_star_ratio')} {show('three_star_ratio', total.get('three_star_ratio'))}、"
           f"{label('correctness_rate')} {show('correctness_rate', total.get('correctness_rate'))}。"
           f"未及時更新：超過「更新頻率」天數加寬限 max({GRACE_MIN_DAYS} 日, {GRACE_SHARE:.0%})；"
           "錯誤連結：品質檢測 linkable 或 downloadable 為 0；錯誤資訊：缺聯絡人姓名或電話，"
           "或編碼、欄位說明與資料不符。")

download("下載待改善清單（各機關一頁，Excel）", "fixlist", f.scope)

if office:
    st.header("連結檢查（資訊處）")
    targets = call(quality.link_targets, f.scope)
    st.caption(f"共 {len(targets):,} 個資料下載網址；每個主機同時 2 個連線、每秒至多 10 個請求、逾時 10 秒、"
               "重試 1 次。檢查中可按「停止」，下次勾選「接續」即從中斷處繼續。")
    resume = st.checkbox("接續上次未完成的檢查", key="lc_resume")
    if st.button("開始檢查連結", type="primary"):
        bar = st.progress(0.0, text="檢查中…")
        st.button("停止")  # any click stops this run; finished results are already saved
        items = [Target(r.dataset_key, r.agency, r.url, r.declared_format) for r in targets.itertuples()]
        run_id, results = service.check_links(
            items, office, resume=resume,
            progress=lambda n, t, r: bar.progress(n / t, text=f"{n}/{t} {r.reason}"))
        data_version.clear()
        st.success(f"{run_id}：本次檢查 {len(results)} 個，失效 {sum(r.broken for r in results)} 個。")
else:
    st.caption("連結檢查由資訊處登入後於本頁執行。")

detail = call(quality.dataset_quality, f.scope)
st.header("明細（可依欄位篩選）")
dcols = ["agency", "dataset_name", "badge", "stars", "update_frequency", "metadata_updated_at",
         "late_update", "broken_link", "wrong_info", "link_checked"]
flags = ["late_update", "broken_link", "wrong_info", "link_checked"]
render.table(detail, dcols, config={c: st.column_config.CheckboxColumn() for c in flags})
unknown = sorted({x for lst in detail["unknown_formats"].dropna() for x in lst})
if unknown:
    st.info("以下格式不在星等對照表中，暫以一星計：" + "、".join(unknown))

st.header("API 介接盤點")
st.caption(api_coverage.REQUEST)
coverage = call(api_coverage.api_coverage, f.scope)
render.table(coverage.assign(agency=coverage["agency"].map(short_name)).rename(columns=api_coverage.LABELS))
st.caption("判定方式：" + api_coverage.RULE)
todo = call(api_coverage.structured_without_api, f.scope)
with st.expander(f"結構化但未提供 API 之資料集（{len(todo):,} 項）"):
    render.table(todo.assign(agency=todo["agency"].map(short_name))[
        ["agency", "dataset_key", "dataset_name", "formats", "stars"]].rename(columns=api_coverage.LABELS))
