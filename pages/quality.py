"""資料品質與標章: three-star ratio, correctness rate, badges and gold-award score."""

import streamlit as st

from kpi.metrics.quality import has_catalogue
from pages.shared import current_filters, data_version, gw, report

f = current_filters()
st.title("資料品質與標章")
if not has_catalogue(gw()):
    st.warning("尚未匯入資料集清單，三星等級資料比率、資訊正確率與金質獎總分無法計算。")
    st.markdown(
        "需要的檔案：\n"
        "1. **資料集清單**（政府資料開放平臺「資料集清單」匯出，22 欄，含 檔案格式、品質檢測、更新頻率、"
        "詮釋資料更新時間、提供機關聯絡人）：`python -m kpi import catalogue 檔案.csv --as-of YYYY-MM-DD`\n"
        "2. **品質檢測結果**（`/api/v2/rest/qc/{機關OID}` 的 JSON）：`python -m kpi import qc 檔案.json --as-of …`\n\n"
        "匯入後本頁會列出各機關三星比率（含四、五星加分）、正確率三項構成與明細，以及金質獎總分。")
else:
    data = report(data_version(), f.scope, f.days)
    st.dataframe([{k: r[k] for k in ("agency", "three_star_ratio", "correctness_rate",
                                     "gold_award_score")} for r in data["agencies"]])
