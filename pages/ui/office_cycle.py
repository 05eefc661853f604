"""The office's meeting-cycle tools on 資料匯入 (issue 27): the committee calendar, resolutions under
review, who receives the meeting materials and a dry-run preview of what would be sent.

Every write goes through kpi.service (an entry is a one-row import: audited, undone from the
import list); every date is typed and shown in 民國 form.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from kpi import service
from kpi.cycle import delivery, mail, meetings, notices, resolutions
from kpi.cycle.entries import enter
from kpi.importing.cycle_records import CLOSED, OPEN
from kpi.importing.errors import ImportRefused
from kpi.reference.agencies import MINISTRY_AGENCIES
from kpi.reference.dates import parse_date, roc
from pages.ui.data import call, data_version
from pages.ui.render import plain, table

AGENCIES = [a.official for a in MINISTRY_AGENCIES]
# Streamlit 1.67 has no parameter for the drop zone's words (「Upload」, 「200MB per file」; open
# request streamlit/streamlit#13500). As with the skip link (pages/ui/entry.py), zh-TW words are
# shown in their place; the widget keeps its role, focus and keyboard use. The size note is hidden
# from screen readers too; the button's English word stays in its accessible name (hiding it
# leaves the button nameless for axe), followed by 選擇檔案. Scoped to this page's uploader.
UPLOADER_CSS = """<style>
.st-key-upload [data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; visibility: hidden; }
.st-key-upload [data-testid="stFileUploaderDropzone"] button p { font-size: 0; }
.st-key-upload [data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "每個檔案上限 200MB • CSV、XLSX、JSON"; font-size: 0.875rem; visibility: visible; }
.st-key-upload [data-testid="stFileUploaderDropzone"] button::after {
  content: "選擇檔案"; font-size: 0.875rem; }
</style>"""


def roc_text(label: str, key: str, value: dt.date | None = None) -> str:
    """A date typed in 民國 form (Streamlit's date picker offers only 西元 formats); read it with
    ``read_roc`` when the form is submitted."""
    return st.text_input(label, value=roc(value) if value else "", key=key, placeholder="例：115/12/09",
                         help="民國年/月/日，例如 115/12/09；也接受 1151209 或 2026-12-09")


def read_roc(raw: str, label: str, required: bool = True) -> tuple[dt.date | None, str | None]:
    """(date, None), (None, None) for an optional blank, or (None, the zh-TW reason)."""
    if not raw.strip():
        return None, (f"請填{label}（民國年/月/日，例如 115/12/09）。" if required else None)
    try:
        return parse_date(raw), None
    except (ValueError, TypeError):
        return None, f"{label}「{raw.strip()}」無法辨識，請以民國年/月/日填寫，例如 115/12/09。"


def _entered(kind: str, rows: list[dict], user: str, name: str) -> None:
    try:
        result = enter(kind, rows, user, name)
    except ImportRefused as err:
        st.error(plain(err.text()))
        return
    st.success(plain(f"{result.message}（如需撤銷，於下方「已匯入的檔案」復原序號 {result.seq}）"))
    data_version.clear()


def calendar_section(user: str) -> None:
    st.header("委員會會議行事曆")
    st.caption("「自上次會議以來」、一頁摘要與會議資料預設比較上次會議時的最新快照；會議前依寄送設定自動寄送會議資料。")
    with st.form("committee_form", clear_on_submit=True):
        c1, c2 = st.columns(2)
        with c1:
            raw_day = roc_text("委員會會議日期", "committee_day")
        title = c2.text_input("會議名稱", placeholder="例：115年第1次會議")
        c3, c4 = st.columns(2)
        place = c3.text_input("地點", placeholder="例：本部1001會議室")
        chair = c4.text_input("主席")
        if st.form_submit_button("新增委員會會議"):
            day, problem = read_roc(raw_day, "委員會會議日期")
            if problem:
                st.error(problem)
            else:
                _entered("meetings", [{"會議日期": day.isoformat(), "會議名稱": title, "地點": place,
                                   "主席": chair}], user, f"委員會會議_{day:%Y%m%d}.csv")
    frame = call(meetings.committee_meetings)
    table(pd.DataFrame({"會議日期": [roc(d) for d in frame["held_on"]], "會議名稱": frame["title"],
                        "地點": frame["place"], "主席": frame["chair"]}))


def resolutions_section(user: str) -> None:
    st.header("會議決議事項（列管追蹤）")
    st.caption("登錄各次會議的決議；之後以「更新辦理情形」記錄進度或解除列管。機關成績單列出該機關列管中事項，"
               "會議資料 Excel 首頁為「前次會議決議事項追蹤」。")
    with st.form("resolution_form", clear_on_submit=True):
        c1, c2, c3 = st.columns(3)
        with c1:
            raw_day = roc_text("決議之會議日期", "resolution_day")
        agency = c2.selectbox("主辦機關", AGENCIES, key="resolution_agency")
        with c3:
            raw_due = roc_text("辦理期限", "resolution_due")
        subject = st.text_input("案由", placeholder="例：案由一：本部政府資料開放執行情形報告")
        decision = st.text_area("決議", height=80)
        if st.form_submit_button("登錄決議事項"):
            day, problem = read_roc(raw_day, "決議之會議日期")
            due, late = read_roc(raw_due, "辦理期限", required=False)
            if problem or late:
                st.error(problem or late)
            else:
                _entered("resolutions", [{"會議日期": day.isoformat(), "案由": subject, "決議": decision,
                                      "主辦機關": agency, "期限": due.isoformat() if due else "",
                                      "辦理情形": "", "列管": OPEN}], user, f"決議_{day:%Y%m%d}.csv")
    rows = call(resolutions.resolutions)
    if rows.empty:
        st.caption("尚未登錄決議事項。")
        return
    choices = list(rows.index)
    with st.form("progress_form", clear_on_submit=True):
        pick = st.selectbox("更新哪一項", choices, format_func=lambda i: (
            f"{roc(rows.at[i, 'meeting_on'])} {rows.at[i, 'subject']}（{rows.at[i, 'agency']}，{rows.at[i, 'status']}）"))
        progress = st.text_area("辦理情形", height=80)
        status = st.radio("列管", [OPEN, CLOSED], horizontal=True)
        if st.form_submit_button("更新辦理情形"):
            r = rows.loc[pick]
            _entered("resolutions", [{"會議日期": pd.Timestamp(r["meeting_on"]).date().isoformat(),
                                      "案由": r["subject"], "決議": r["decision"], "主辦機關": r["agency"],
                                      "期限": "" if pd.isna(r["due_on"]) else pd.Timestamp(r["due_on"]).date().isoformat(),
                                      "辦理情形": progress or r["progress"], "列管": status}],
                     user, f"決議更新_{pd.Timestamp(r['meeting_on']):%Y%m%d}.csv")
    table(call(resolutions.tracking_rows, tuple(AGENCIES)).rename(columns=resolutions.SHEET_LABELS))


def delivery_section(user: str) -> None:
    st.header("會議資料自動寄送")
    conf = delivery.load_settings()
    try:
        server = f"寄信伺服器：{mail.smtp_settings().describe()}"
    except mail.MailSettingsMissing as err:
        server = str(err)
    st.caption(f"{server}。每日由排程執行 python -m kpi deliver；會議前 {conf['lead_days']} 天"
               "起，每位收件者寄一封（附一頁摘要 PDF 與會議資料 Excel），已寄者不重寄。")
    with st.form("delivery_form"):
        recipients = st.text_area("收件者電子郵件（以逗號或換行分隔）", value="\n".join(conf["recipients"]))
        lead = st.number_input("會議前幾天寄送", min_value=0, max_value=delivery.MAX_LEAD_DAYS,
                               value=int(conf["lead_days"]), step=1)
        if st.form_submit_button("儲存寄送設定"):
            try:
                saved = service.set_sending(user, "delivery", recipients=recipients, lead_days=int(lead))
                st.success(f"已儲存：收件者 {len(saved['recipients'])} 位，會議前 {saved['lead_days']} 天寄送。")
            except ValueError as err:  # refused where it was typed; nothing saved
                st.error(plain(str(err)))
    if st.button("預覽今日應寄送（不寄信）"):
        with st.spinner("產生會議資料中…"):
            due = service.deliver(user, dt.date.today(), dry_run=True)
        if not due:
            st.info("今天沒有應寄送的項目（會議不在寄送期間內、未設定收件者、機關通知未啟用，或均已寄出）。")
        else:
            table(pd.DataFrame({"種類": [KINDS[r["kind"]] for r in due], "收件者": [r["recipient"] for r in due],
                                "主旨": [r["subject"] for r in due],
                                "內容": ["、".join(r["attachments"]) or "；".join(r.get("items", [])) for r in due]}))
    sent = delivery.run_log(50)
    if sent:
        st.markdown("**寄送紀錄**")
        words = {"sent": "已寄送", "failed": "失敗（下次排程重試）"}
        table(pd.DataFrame({"時間": [when(r["at"]) for r in sent], "種類": [KINDS[r["kind"]] for r in sent],
                            "收件者": [r["recipient"] for r in sent], "主旨": [r["subject"] for r in sent],
                            "結果": [words.get(r["status"], r["status"]) for r in sent],
                            "說明": [r.get("error") or "" for r in sent]}))


KINDS = {"materials": "會議資料", "notice": "機關通知"}


def notices_section(user: str) -> None:
    st.header("機關待辦通知")
    conf = notices.load_settings()
    st.caption("依排程寄給各機關聯絡人一封待辦摘要：逾期未回復或逾 6 日回復之意見、下載連結失效、未依更新頻率更新之資料集、"
               "未達目標之指標。已通知過的事項不重複通知；資料集清單「聯絡人」欄中的電子郵件地址也會收到。")
    with st.form("notices_form"):
        enabled = st.toggle("啟用機關待辦通知", value=conf["enabled"])
        every = st.number_input("每幾天寄一次（同一機關）", min_value=1, max_value=90, value=int(conf["every_days"]))
        contacts = {a.official: st.text_input(f"{a.short} 聯絡人電子郵件（以逗號分隔）",
                                              value=", ".join(conf["contacts"].get(a.official, [])))
                    for a in MINISTRY_AGENCIES}
        if st.form_submit_button("儲存通知設定"):
            try:
                saved = service.set_sending(user, "notices", enabled=enabled, every_days=int(every),
                                            contacts=contacts)
                st.success(f"已儲存：{'啟用' if saved['enabled'] else '停用'}，每 {saved['every_days']} 天。")
            except ValueError as err:
                st.error(plain(str(err)))


def when(iso: str | None) -> str:
    """An ISO timestamp of a log as 民國 date and Taipei time (「—」 when absent or unreadable)."""
    from zoneinfo import ZoneInfo

    from kpi.reference.dates import roc_datetime

    try:
        moment = dt.datetime.fromisoformat(str(iso))
    except ValueError:
        return "—"
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo("Asia/Taipei"))
    return roc_datetime(moment)
