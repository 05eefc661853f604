"""The shared filters (agency, data date, comparison date, day count), kept in the URL.

The agency filter is a choice of scope — the whole group, or named agencies — so the group and
single agencies cannot be mixed, and an empty choice is stated on the page, never replaced.
URL (SPEC §8): no ``agency`` or ``agency=勞動部及所屬`` / ``全部`` is the group; ``agency=勞保局``
(repeated for several) names agencies; ``agency=`` (blank) is 指定機關 with none chosen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import streamlit as st

from kpi.metrics.periods import YearPeriod, available_years, year_period
from kpi.metrics.scope import Scope, data_built, resolve_scope, snapshot_dates
from kpi.reference.agencies import ALL_LABEL, MINISTRY_AGENCIES, MINISTRY_GROUP_LABEL, SHORT_BY_OFFICIAL
from kpi.reference.dates import roc
from pages.ui import keys
from pages.ui.data import call, data_version, gw

AGENCY_CHOICES = [a.short for a in MINISTRY_AGENCIES]
GROUP_WORDS = (ALL_LABEL, MINISTRY_GROUP_LABEL)
GROUP, PICK = "group", "pick"
MODES = {GROUP: f"{MINISTRY_GROUP_LABEL}（全部六機關）", PICK: "指定機關"}
NO_SINCE = "（不比較）"
NO_SINCE_URL = "none"  # SPEC §8: since=none
NO_YEAR = ""  # no 年度: the two dates as chosen
DAYS_CHOICES = {"calendar": "日曆日", "working": "工作日"}
EMPTY_TEXT = (f"未選擇機關：請在側欄「機關」選擇至少一個機關，或把「範圍」改回「{MODES[GROUP]}」。"
              "未選擇時本頁不顯示任何數字。")


@dataclass(frozen=True)
class Filters:
    scope: Scope
    days: str
    agency_labels: tuple[str, ...]  # what the sidebar shows: (勞動部及所屬,) or the short names chosen
    empty: bool = False  # 指定機關 with none chosen: pages show nothing (frame says so)
    period: YearPeriod | None = None  # a 年度 was chosen: its snapshots and what they miss
    since_chosen: bool = False  # since from the URL or the sidebar: it wins over the previous meeting's

    @property
    def group(self) -> bool:
        """The whole group (勞動部及所屬), not named agencies."""
        return self.agency_labels == (MINISTRY_GROUP_LABEL,)


def _roc_label(iso: str) -> str:
    return roc(dt.date.fromisoformat(iso))


def _seed_from_url(labels: list[str]) -> None:
    given = [SHORT_BY_OFFICIAL.get(a, a) for a in st.query_params.get_all(keys.AGENCY)]  # official names too
    picked = [a for a in dict.fromkeys(given) if a in AGENCY_CHOICES]
    blank = given == [""]  # the link of an empty 指定機關
    group = not blank and (not picked or any(a in GROUP_WORDS for a in given))  # old mixed links: group
    st.session_state[keys.AGENCY_MODE] = GROUP if group else PICK
    st.session_state[keys.AGENCY] = [] if group else picked
    as_of = st.query_params.get(keys.AS_OF, labels[-1])
    st.session_state[keys.AS_OF] = as_of if as_of in labels else labels[-1]
    since = st.query_params.get(keys.SINCE, "")
    st.session_state[keys.SINCE] = NO_SINCE if since == NO_SINCE_URL else since
    st.session_state[keys.SINCE_CHOSEN] = keys.SINCE in st.query_params
    days = st.query_params.get(keys.DAYS, "calendar")
    st.session_state[keys.DAYS] = days if days in DAYS_CHOICES else "calendar"
    year = st.query_params.get(keys.YEAR, NO_YEAR)
    st.session_state[keys.YEAR] = year if year.isdigit() and int(year) in call(available_years) else NO_YEAR


def _year_period() -> YearPeriod | None:
    """The 年度 chosen (its widget is drawn below the dates, so the existing order stays); a chosen
    year sets both dates to the snapshots nearest 1/1 and 12/31, before the date widgets exist."""
    years = [str(y) for y in call(available_years)]
    if st.session_state.get(keys.YEAR) not in (NO_YEAR, *years):
        st.session_state[keys.YEAR] = NO_YEAR
    if st.session_state[keys.YEAR] == NO_YEAR:
        return None
    period = call(year_period, int(st.session_state[keys.YEAR]))
    st.session_state[keys.AS_OF] = period.as_of.isoformat()
    st.session_state[keys.SINCE] = period.since.isoformat()
    return period


def _year_widget(period: YearPeriod | None) -> None:
    years = [str(y) for y in call(available_years)]
    st.selectbox("年度", [NO_YEAR, *years], key=keys.YEAR,
                 format_func=lambda y: "（自訂兩個日期）" if y == NO_YEAR else f"{y} 年度",
                 help="全年度：取最接近 1/1 與 12/31 的兩次快照，並說明缺少或多含的日期")
    if period is not None:
        st.caption(f"{period.year} 年度：{period.text()}")


def _since_chosen() -> None:
    st.session_state[keys.SINCE_CHOSEN] = True


def sidebar_filters() -> tuple[Filters, dict]:
    """The filters drawn in the sidebar, and the URL parameters that reproduce them."""
    dates = call(snapshot_dates)
    labels = [d.isoformat() for d in dates]
    if keys.AGENCY_MODE not in st.session_state:
        _seed_from_url(labels)
    with st.sidebar:
        mode = st.radio("範圍", list(MODES), key=keys.AGENCY_MODE, format_func=MODES.get,
                        help="勞動部及所屬：本部與所屬五機關合計；指定機關：只列出所選機關（名次仍在六機關中比較）")
        chosen: list[str] = []
        if mode == PICK:
            st.session_state.setdefault(keys.AGENCY, [])
            chosen = st.multiselect("機關", AGENCY_CHOICES, key=keys.AGENCY, placeholder="選擇一個或多個機關",
                                    select_all=False)
        period = _year_period()
        st.selectbox("資料日期", labels, key=keys.AS_OF, format_func=_roc_label, placeholder="選擇資料日期",
                     disabled=period is not None)
        as_of = dt.date.fromisoformat(st.session_state[keys.AS_OF])
        earlier = [d.isoformat() for d in dates if d < as_of]
        options = [NO_SINCE, *earlier]
        if st.session_state.get(keys.SINCE) not in options:
            st.session_state[keys.SINCE] = earlier[-1] if earlier else NO_SINCE
        st.selectbox("比較基準日", options, key=keys.SINCE,
                     format_func=lambda s: s if s == NO_SINCE else _roc_label(s), placeholder="選擇比較基準日",
                     help="成長與衰退是兩次快照之差；預設為前一次快照（自上次會議以來、摘要與會議資料預設為上次會議時的快照）",
                     disabled=period is not None, on_change=_since_chosen)
        _year_widget(period)
        st.radio("回復日數", list(DAYS_CHOICES), key=keys.DAYS, format_func=DAYS_CHOICES.get,
                 horizontal=True)
    since_label = st.session_state[keys.SINCE]
    since = None if since_label == NO_SINCE else dt.date.fromisoformat(since_label)
    empty = mode == PICK and not chosen
    scope = resolve_scope(gw(), as_of, since, chosen if mode == PICK and chosen else None, since_given=True,
                          dates=dates)
    if period is not None:
        scope = dataclasses.replace(scope, year=period.year)
    days = st.session_state[keys.DAYS]
    chosen_since = bool(st.session_state.get(keys.SINCE_CHOSEN))
    url = {keys.AGENCY: (chosen or [""]) if mode == PICK else MINISTRY_GROUP_LABEL,
           keys.AS_OF: as_of.isoformat(), keys.DAYS: days} | (
               {keys.YEAR: str(period.year)} if period is not None else {})
    if chosen_since:  # unchosen, a copied link keeps following the meeting calendar
        url[keys.SINCE] = NO_SINCE_URL if since is None else since_label
    return Filters(scope, days, tuple(chosen) if mode == PICK else (MINISTRY_GROUP_LABEL,), empty,
                   period, chosen_since), url


def scope_caption(f: Filters, office: bool = False) -> str:
    """The sidebar's summary; the office also sees the data version (a hash means nothing to viewers)."""
    since = roc(f.scope.since) if f.scope.since else "不比較"
    who = "未選擇" if f.empty else "、".join(f.agency_labels)
    built = call(data_built)
    return (f"資料日期 {roc(f.scope.as_of, 'long')}；比較基準 {since}；機關：{who}；資料建置於 {built}"
            + (f"；資料版本 {data_version()}" if office else ""))
