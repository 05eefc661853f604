"""比對確認: pairs across two snapshots with their evidence; the office confirms or rejects."""

import streamlit as st

from kpi import service
from kpi.metrics import matches, recounts
from kpi.reference.dates import roc
from kpi.reference.fields import MATCH_KIND_LABELS, MATCH_REASON_LABELS
from pages.ui.auth import signed_in_office
from pages.ui.data import call
from pages.ui.render import plain, table
from pages.ui.router import boot

f = boot()
st.title("跨快照比對確認")
user = signed_in_office()
if user is None:  # reached by its link only: the menu lists it for the signed-in office
    st.info("比對確認由資訊處登入後進行。已確認或否決的配對及理由列在「計算說明」頁。")
    st.stop()
if f.scope.since is None:
    st.info("請選比較基準日：比對是兩次快照之間的事。")
    st.stop()
st.caption(f"{roc(f.scope.since)} 與 {roc(f.scope.as_of)} 兩次快照：本次每個資料集與前次哪一個是同一資料集。"
           "上架日晚於前次快照者不可能是前次資料集的延續（上架日檢查）。確認或否決會記下誰、何時、理由，"
           "重建後仍有效，可復原，並列在「計算說明」。")
frame = matches.with_differences(call(matches.matches, f.scope))
counts = frame["how"].value_counts()
st.write("　".join(f"{MATCH_KIND_LABELS[h]}：{int(counts[h]):,}" for h in matches.HOW if h in counts.index))
if (done := st.session_state.pop("match_done", None)) is not None:
    st.success(done)

evidence = ["agency", "old_marked", "new_marked", "old_listed_on", "new_listed_on", "views_before",
            "views", "downloads_before", "downloads", "score"]
open_ = frame[frame["how"] == "candidate"].assign(reason=lambda x: x["reason"].map(MATCH_REASON_LABELS))
st.header(f"待確認候選（{len(open_)} 項）")
if open_.empty:
    table(open_, [*evidence, "reason"])
for n, r in enumerate(open_.itertuples()):
    with st.form(f"pair_{n}"):
        st.markdown(f"**{r.agency}**　相似度 {r.score:.0f}　（{MATCH_REASON_LABELS.get(r.reason, r.reason)}）")
        st.text(f"前次：{r.old_marked}\n本次：{r.new_marked}")
        st.caption(f"上架日：{roc(r.new_listed_on) if r.new_listed_on == r.new_listed_on else '—'}；"
                   f"瀏覽 {r.views_before:,.0f} → {r.views:,.0f}；下載 {r.downloads_before:,.0f} → {r.downloads:,.0f}")
        why = st.text_input("理由（必填）", key=f"why_{n}")
        left, right = st.columns(2)
        verdict = ("confirm" if left.form_submit_button("確認為同一資料集") else
                   "reject" if right.form_submit_button("否決") else None)
    if verdict:
        if not why.strip():
            st.error("請寫明理由")
        else:
            st.session_state["match_done"] = service.decide_pair(user, {
                "as_of": f.scope.as_of.isoformat(), "since": f.scope.since.isoformat(),
                "agency": r.agency, "old_name": r.old_name, "new_name": r.new_name,
                "decision": verdict, "reason": why.strip()})
            st.rerun()

decided = frame[frame["how"].isin(["confirmed", "rejected"])]
st.header(f"已決定（{len(decided)} 項）")
decided = decided.assign(how=decided["how"].map(MATCH_KIND_LABELS))
table(decided, ["how", *evidence, "reason", "decided_by", "decided_at"])
mine = decided[decided["decided_by"].fillna("").eq(user)]
if len(mine):
    labels = [f"{r.old_name} ↔ {r.new_name}" for r in mine.itertuples()]
    pick = st.selectbox("復原資訊處的決定", range(len(labels)), format_func=labels.__getitem__)
    if st.button("復原此決定"):
        r = mine.iloc[pick]
        st.session_state["match_done"] = service.decide_pair(user, {
            "as_of": f.scope.as_of.isoformat(), "agency": r["agency"], "old_name": r["old_name"],
            "new_name": r["new_name"], "decision": "undo"})
        st.rerun()

others = frame[frame["how"].isin(["new", "removed"])].assign(how=lambda x: x["how"].map(MATCH_KIND_LABELS))
st.header(f"未配對（新增 {int(counts.get('new', 0))}、下架或改名 {int(counts.get('removed', 0))}）")
table(others, ["how", "agency", "old_name", "new_name", "new_listed_on", "views_before", "views",
               "downloads_before", "downloads"])

# Recount events (kpi/build/recounts.py): the office confirms, rejects or annotates them.
events = call(recounts.events_in_period, f.scope)
st.header(f"平臺重新計數事件（{len(events)} 次）")
st.caption(recounts.rule_text())
if (done := st.session_state.pop("recount_done", None)) is not None:
    st.success(plain(done))
for n, e in enumerate(events.itertuples()):
    with st.form(f"recount_{n}"):
        st.text(f"{e.description}。\n狀態：{e.status_label}" + (f"（{e.decided_by}：{e.note}）" if e.note else ""))
        why = st.text_input("理由或說明（必填）", key=f"recount_why_{n}")
        b1, b2, b3, b4 = st.columns(4)
        verdict = ("confirm" if b1.form_submit_button("確認為重新計數") else
                   "reject" if b2.form_submit_button("否決（視為零星下降）") else
                   "note" if b3.form_submit_button("加註") else
                   "undo" if b4.form_submit_button("復原最近一次決定") else None)
    if verdict:
        if verdict != "undo" and not why.strip():
            st.error("請寫明理由或說明")
        else:
            try:
                st.session_state["recount_done"] = service.decide_recount(
                    user, {"event_id": e.event_id, "decision": verdict, "note": why.strip()})
            except ValueError as err:
                st.error(plain(str(err)))
            else:
                st.rerun()
