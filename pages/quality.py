"""資料品質與標章: three-star ratio, correctness rate with its parts, badges and gold-award score."""

import pandas as pd
import streamlit as st

from kpi.agencies import short_name
from kpi.build import rebuild
from kpi.excel import file_name
from kpi.linkcheck import Settings, Target, run
from kpi.metrics.quality import GRACE_MIN_DAYS, GRACE_SHARE, link_targets
from kpi.settings import save_oas
from pages.shared import (
    catalogue_present,
    current_filters,
    data_version,
    dataset_quality,
    excel,
    gw,
    oas_counts,
    pct,
    quality,
    signed_in_office,
)

f = current_filters()
version = data_version()
st.title("資料品質與標章")
if not catalogue_present(version):
    st.warning("尚未匯入資料集清單，三星等級資料比率、資訊正確率與金質獎總分無法計算。")
    st.markdown(
        "需要的檔案：\n"
        "1. **資料集清單**（政府資料開放平臺「資料集清單」匯出，22 欄，含 檔案格式、品質檢測、更新頻率、"
        "詮釋資料更新時間、提供機關聯絡人）：`python -m kpi import catalogue 檔案.csv --as-of YYYY-MM-DD`\n"
        "2. **品質檢測結果**（`/api/v2/rest/qc/{機關OID}` 的 JSON）：`python -m kpi import qc 檔案.json --as-of …`\n\n"
        "匯入後本頁會列出各機關三星比率（含四、五星加分）、正確率三項構成與明細，以及金質獎總分。")
    st.stop()

office = signed_in_office()
stored = oas_counts(version)
st.subheader("OAS 驗證 API 數（加分，每項 0.1 分、至多 5 分；由資訊處填入）")
with st.form("oas_form"):
    oas_cols = st.columns(len(f.scope.agencies))
    oas = {a: int(c.number_input(short_name(a), 0, 1000, int(stored.get(a, 0)), key=f"oas_{a}",
                                 disabled=office is None))
           for a, c in zip(f.scope.agencies, oas_cols, strict=True)}
    if st.form_submit_button("儲存", disabled=office is None) and office:
        for agency, n in oas.items():
            if n != stored.get(agency, 0):
                save_oas(agency, n, office)
        rebuild()
        st.cache_data.clear()
        st.rerun()
figures = quality(version, f.scope)
rows = []
for agency in f.scope.agencies:
    q = figures.get(agency)
    if not q:
        rows.append({"機關": short_name(agency), "清單資料集數": 0})
        continue
    rows.append({
        "機關": short_name(agency), "清單資料集數": q["datasets_in_catalogue"],
        "三星等級資料比率": q["three_star_ratio"], "四五星比例": q["four_five_star_share"],
        "未及時更新": q["late_updates"], "錯誤連結": q["broken_links"], "錯誤資訊": q["wrong_info"],
        "資訊正確率": q["correctness_rate"], "金": q["gold"], "銀": q["silver"], "銅": q["bronze"],
        "金質獎總分": q["gold_award_score"],
    })
table = pd.DataFrame(rows)
st.subheader("各機關品質指標")
st.dataframe(table, hide_index=True, column_config={
    "三星等級資料比率": st.column_config.NumberColumn(format="percent"),
    "四五星比例": st.column_config.NumberColumn(format="percent"),
    "資訊正確率": st.column_config.NumberColumn(format="percent", help="需每項資料集都有連結檢查結果"),
    "金質獎總分": st.column_config.NumberColumn(format="%.2f"),
})
total = figures.get("全部", {})
st.caption(f"全部：三星比率 {pct(total.get('three_star_ratio'))}、資訊正確率 {pct(total.get('correctness_rate'))}。"
           f"未及時更新：超過「更新頻率」天數加寬限 max({GRACE_MIN_DAYS} 日, {GRACE_SHARE:.0%})；"
           "錯誤連結：品質檢測 linkable 或 downloadable 為 0；錯誤資訊：缺聯絡人姓名或電話，"
           "或編碼、欄位說明與資料不符。")

st.download_button("下載待改善清單（各機關一頁，Excel）", excel(version, "fixlist", f.scope),
                   file_name=file_name("fixlist", f.scope), key="dl_fixlist")

if office:
    st.subheader("連結檢查（資訊處）")
    targets = link_targets(gw(), f.scope)
    st.caption(f"共 {len(targets):,} 個資料下載網址；每個主機同時 2 個連線、每秒至多 10 個請求、逾時 10 秒、"
               "重試 1 次。檢查中可按「停止」，下次勾選「接續」即從中斷處繼續。")
    resume = st.checkbox("接續上次未完成的檢查", key="lc_resume")
    if st.button("開始檢查連結", type="primary"):
        bar = st.progress(0.0, text="檢查中…")
        st.button("停止")  # any click stops this run; finished results are already saved
        items = [Target(r.dataset_key, r.agency, r.url, r.declared_format) for r in targets.itertuples()]
        run_id, results = run(items, Settings(), resume=resume,
                              progress=lambda n, t, r: bar.progress(n / t, text=f"{n}/{t} {r.reason}"))
        rebuild()
        st.cache_data.clear()
        st.success(f"{run_id}：本次檢查 {len(results)} 個，失效 {sum(r.broken for r in results)} 個。")
else:
    st.caption("連結檢查由資訊處在「資料匯入」頁登入後，於本頁執行。")

detail = dataset_quality(version, f.scope)
st.subheader("明細（可依欄位篩選）")
show = detail[["agency", "dataset_name", "badge", "stars", "update_frequency", "metadata_updated_at",
               "late_update", "broken_link", "wrong_info", "link_checked"]].rename(columns={
    "agency": "機關", "dataset_name": "資料集名稱", "badge": "標章", "stars": "星等",
    "update_frequency": "更新頻率", "metadata_updated_at": "詮釋資料更新時間", "late_update": "未及時更新",
    "broken_link": "錯誤連結", "wrong_info": "錯誤資訊", "link_checked": "已檢查連結"})
st.dataframe(show, hide_index=True)
unknown = sorted({x for lst in detail["unknown_formats"].dropna() for x in lst})
if unknown:
    st.info("以下格式不在星等對照表中，暫以一星計：" + "、".join(unknown))
