"""資料匯入 (office only): upload → preview → confirm; archive with undo; meetings form."""

import datetime as dt
import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from kpi import service
from kpi.importing.compare import against_store
from kpi.importing.errors import ImportRefused
from kpi.importing.kinds import KIND_LABELS, KINDS, detect_kind
from kpi.importing.reader import read_table
from kpi.metrics.periods import available_years, year_period
from kpi.net.fetch import fetch_status
from kpi.ops.health import health, lines
from kpi.reference.agencies import MINISTRY_AGENCIES
from kpi.reference.dates import roc
from pages.ui import keys, office_cycle
from pages.ui.auth import office_user, signed_in_office
from pages.ui.data import call, data_version, gw
from pages.ui.downloads import opendata_download
from pages.ui.render import plain
from pages.ui.router import boot

boot()
st.title("資料匯入（資訊處）" if signed_in_office() else "資訊處登入")
user = office_user()
if user is None:
    st.caption("資訊處登入後可匯入資料、確認跨快照比對、設定綜合分數權重及執行連結檢查；其他人可瀏覽所有統計頁面。")
    st.stop()
K_PREVIEW = keys.PREVIEW


@st.cache_data(show_spinner=False, max_entries=8)
def stage_upload(name: str, data: bytes) -> tuple[Path, str | None]:
    """Write the upload once (per content) and guess its kind from the header."""
    folder = Path(tempfile.gettempdir()) / f"kpi-upload-{hashlib.sha256(data).hexdigest()[:16]}"
    folder.mkdir(exist_ok=True)
    path = folder / (Path(name).name or "upload")
    path.write_bytes(data)
    if path.suffix.lower() == ".json":
        return path, "qc"
    try:
        return path, detect_kind(list(read_table(data, name).frame.columns), name)
    except ImportRefused:
        return path, None
st.caption(f"已登入：{user}。匯入前會先預覽；確認後整份寫入，失敗則完全不變。每個檔案都保存原檔與 sha256，可復原。")
st.html(office_cycle.UPLOADER_CSS)
upload = st.file_uploader("選擇檔案（CSV：UTF-8／UTF-8 BOM／CP950；XLSX；品質檢測 JSON）",
                          type=["csv", "xlsx", "json"], key="upload",
                          help="拖放檔案至框內，或按「選擇檔案」；每個檔案上限 200MB，格式 CSV、XLSX、JSON。")
if upload is not None:
    path, guess = stage_upload(upload.name, upload.getvalue())
    c1, c2, c3 = st.columns(3)
    kind = c1.selectbox("種類", KINDS, index=KINDS.index(guess) if guess else 0,
                        format_func=KIND_LABELS.get, help="依表頭自動判斷，可更改")
    with c2:
        raw_as_of = office_cycle.roc_text("資料日期（檔案的匯出日）", "upload_as_of", dt.date.today())
    agency = c3.selectbox("機關（檔案無機關欄時）", ["", *[a.official for a in MINISTRY_AGENCIES]])
    new_agency = st.checkbox("檔案含從未出現過的機關時仍匯入（例如新成立的機關）", key="allow_new_agency")
    as_of, problem = office_cycle.read_roc(raw_as_of, "資料日期")
    if problem:
        st.error(problem)
    if st.button("預覽", type="primary", disabled=as_of is None):
        try:
            with st.spinner("讀取與檢查中…"):
                parsed = service.preview(kind, path, as_of, agency or None, upload.name, new_agency)
            st.session_state[K_PREVIEW] = parsed
        except ImportRefused as err:  # shown in full, never folded away
            st.session_state.pop(K_PREVIEW, None)
            st.error(plain(err.text()))

parsed = st.session_state.get(K_PREVIEW)
if parsed is not None:
    st.header("預覽")
    extra, pairs = against_store(gw(), parsed)
    frame = parsed.frame
    info = {"種類": KIND_LABELS.get(parsed.kind, parsed.kind), "檔案": parsed.file_name,
            "編碼": parsed.encoding, "列數": f"{parsed.rows:,}", "欄位": "、".join(parsed.columns),
            "資料日期": roc(parsed.as_of) if parsed.as_of else "—", "sha256": parsed.sha256}
    if "agency" in frame:
        info["機關"] = "、".join(sorted(set(frame["agency"].astype(str))))[:300]
    for col in ("listed_on", "posted_at", "held_on"):
        if col in frame and frame[col].notna().any():
            info["日期範圍"] = f"{roc(pd.to_datetime(frame[col]).min())} ～ {roc(pd.to_datetime(frame[col]).max())}"
    st.dataframe(pd.DataFrame(info.items(), columns=["項目", "內容"]), hide_index=True)
    warnings = parsed.warnings + extra
    if warnings:
        st.warning(f"{len(warnings)} 則注意事項（可匯入，但請確認）")
        st.dataframe(pd.DataFrame({"注意事項": [str(w) for w in warnings]}), hide_index=True)
    st.dataframe(frame.head(20), hide_index=True)
    ok, cancel = st.columns(2)
    held = service.replace_needed(parsed)
    replace = False
    if held:
        st.warning("此資料日期已有這些機關的資料，確認匯入將整批取代：\n\n" + "\n\n".join(plain(x) for x in held))
        replace = st.checkbox("我確認要取代上列資料", key="confirm_replace")
    if ok.button("確認匯入", type="primary", disabled=bool(held) and not replace):
        with st.spinner("寫入並重建資料庫…"):
            try:
                result = service.commit(parsed, user, replace=replace)
                st.success(plain(result.message))
            except ImportRefused as err:
                st.error(plain(err.text()))
        st.session_state.pop(K_PREVIEW, None)
        data_version.clear()
    if cancel.button("取消"):
        service.discard(st.session_state.pop(K_PREVIEW))
        st.rerun()

st.header("新增工作小組會議")
with st.form("meeting_form", clear_on_submit=True):
    m_agency = st.selectbox("機關", [a.official for a in MINISTRY_AGENCIES])
    raw_day = office_cycle.roc_text("會議日期", "working_group_day", dt.date.today())
    m_note = st.text_input("備註")
    if st.form_submit_button("新增"):
        m_day, problem = office_cycle.read_roc(raw_day, "會議日期")
        if problem:
            st.error(problem)
        else:
            folder = Path(tempfile.mkdtemp(prefix="kpi-meeting-"))
            path = folder / f"meeting_{m_day:%Y%m%d}.csv"
            pd.DataFrame([{"機關": m_agency, "會議日期": m_day.isoformat(), "備註": m_note}]).to_csv(
                path, index=False, encoding="utf-8-sig")
            try:
                st.success(plain(service.commit(service.preview("meetings", path, None), user).message))
                data_version.clear()
            except ImportRefused as err:
                st.error(plain(err.text()))

office_cycle.calendar_section(user)
office_cycle.resolutions_section(user)
office_cycle.delivery_section(user)
office_cycle.notices_section(user)

st.header("年度開放資料集")
st.caption("該年度各資料集與各機關的瀏覽及下載次數（CSV 為 UTF-8 含 BOM），附資料字典、datapackage.json 與"
           "平臺 22 欄資料集清單列，可直接上架（與 python -m kpi export opendata --year 年度 相同）。")
years = call(available_years)
if years:
    chosen = st.selectbox("年度", years, key="opendata_year", format_func=lambda y: f"{y} 年度")
    st.caption(call(year_period, chosen).title())
    opendata_download(chosen)
else:
    st.info("需要至少兩次快照才能產生年度資料集。")

st.header("已匯入的檔案")
items = service.import_log()
log = pd.DataFrame([{"序號": e.seq, "種類": KIND_LABELS.get(e.kind, e.kind), "檔案": e.file_name,
                     "資料日期": roc(dt.date.fromisoformat(e.as_of)) if e.as_of else "—",
                     "匯入者": e.imported_by, "匯入時間": office_cycle.when(e.imported_at),
                     "sha256": e.sha256[:16], "狀態": "已復原" if e.undone_at else "有效"} for e in items])
st.dataframe(log, hide_index=True)
active = [e.seq for e in items if e.undone_at is None and not e.default]
if active:
    c1, c2 = st.columns([1, 3])
    seq = c1.selectbox("要復原的序號", active)
    if c2.button("復原這次匯入"):
        st.success(plain(service.undo(int(seq), user)))
        data_version.clear()

st.header("異動紀錄（每一次寫入：誰、何時、做了什麼）")
audit = service.audit_log()
st.dataframe(pd.DataFrame([{"時間": office_cycle.when(a.get("at")), "使用者": a.get("user"), "動作": a.get("action"),
                            "結果": a.get("result")} for a in audit]), hide_index=True)

st.header("自動擷取（python -m kpi fetch）")
st.caption("每個來源最後一次擷取的時間、結果與所持資料的資料日期；來源設定於資料夾的 settings/sources.json。")
try:
    fetched = fetch_status()
    if fetched:
        st.dataframe(pd.DataFrame(fetched), hide_index=True)
    else:
        st.info("尚未設定擷取來源：複製 data/templates/sources.example.json 為 settings/sources.json 並修改。")
except ValueError as err:
    st.error(plain(f"來源設定有誤：{err}"))

st.header("系統健康（python -m kpi health）")
st.caption("資料版本、資料日期、最後擷取、磁碟空間與各儀表板程序；門檻設定於 deploy/kpi.conf。")
checked = health()
(st.success if checked["status"] == "ok" else st.warning)("正常" if checked["status"] == "ok" else "需要處理")
st.text("\n".join(lines(checked)))
