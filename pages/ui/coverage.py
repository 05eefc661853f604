"""Saying what period a panel's data covers, and moving to the latest period that has it."""

from __future__ import annotations

import streamlit as st

from kpi.metrics.coverage import Coverage, coverage, latest_text, missing_text, period_text
from kpi.metrics.scope import Scope
from kpi.reference.dates import roc
from pages.ui import keys
from pages.ui.data import call
from pages.ui.filters import NO_SINCE


def _move(as_of: str, since: str) -> None:
    st.session_state[keys.AS_OF] = as_of
    st.session_state[keys.SINCE] = since
    st.session_state[keys.YEAR] = ""  # the latest period is two dates, not a 年度
    st.session_state[keys.SINCE_CHOSEN] = True


def notice(kind: str, scope: Scope) -> Coverage:
    """One line on the period the panel covers; when it holds none of ``kind``, which data is
    missing for which period and a button to the latest period that has it."""
    cov = call(coverage, scope, kind)
    if not cov.missing:
        judged = f"；處理中／逾期以 {roc(cov.judged_on)} 匯出資料判定" if cov.judged_on else ""
        st.caption(f"期間：{period_text(scope)}，{cov.name} {cov.in_period:,} 筆{judged}。")
        return cov
    st.info(missing_text(cov, scope))
    if cov.latest is not None:
        as_of, since = cov.latest
        st.button(latest_text(cov), key=f"latest_{kind}", on_click=_move,
                  args=(as_of.isoformat(), since.isoformat() if since else NO_SINCE))
    return cov
