"""The shared filters (agency, data date, comparison date, day count), kept in the URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from kpi.agencies import ALL_LABEL, MINISTRY_AGENCIES, MINISTRY_GROUP_LABEL
from kpi.dates import roc
from kpi.metrics.scope import Scope, resolve_scope, snapshot_dates
from pages.ui import keys
from pages.ui.data import call, data_version, gw

AGENCY_CHOICES = [ALL_LABEL, MINISTRY_GROUP_LABEL] + [a.short for a in MINISTRY_AGENCIES]
NO_SINCE = "（不比較）"
DAYS_CHOICES = {"calendar": "日曆日", "working": "工作日"}


@dataclass(frozen=True)
class Filters:
    scope: Scope
    days: str
    agency_labels: tuple[str, ...]


def _from_url(key: str, default):
    value = st.query_params.get_all(key) if key == keys.AGENCY else st.query_params.get(key)
    return value if value else default


def _roc_label(iso: str) -> str:
    return f"{roc(dt.date.fromisoformat(iso))}（{iso}）"


def _seed_from_url(labels: list[str]) -> None:
    chosen = [a for a in _from_url(keys.AGENCY, [MINISTRY_GROUP_LABEL]) if a in AGENCY_CHOICES]
    st.session_state[keys.AGENCY] = chosen or [MINISTRY_GROUP_LABEL]
    as_of = _from_url(keys.AS_OF, labels[-1])
    st.session_state[keys.AS_OF] = as_of if as_of in labels else labels[-1]
    st.session_state[keys.SINCE] = _from_url(keys.SINCE, "")
    days = _from_url(keys.DAYS, "calendar")
    st.session_state[keys.DAYS] = days if days in DAYS_CHOICES else "calendar"


def sidebar_filters() -> Filters:
    """One agency filter and snapshot selectors, shared by every page and kept in the URL."""
    dates = call(snapshot_dates)
    labels = [d.isoformat() for d in dates]
    if keys.AGENCY not in st.session_state:
        _seed_from_url(labels)
    with st.sidebar:
        st.multiselect("機關", AGENCY_CHOICES, key=keys.AGENCY,
                       help="「全部」與「勞動部及所屬」皆為本部及所屬六機關；可複選個別機關")
        st.selectbox("資料日期", labels, key=keys.AS_OF, format_func=_roc_label)
        as_of = dt.date.fromisoformat(st.session_state[keys.AS_OF])
        earlier = [d.isoformat() for d in dates if d < as_of]
        options = [NO_SINCE, *earlier]
        if st.session_state.get(keys.SINCE) not in options:
            st.session_state[keys.SINCE] = earlier[-1] if earlier else NO_SINCE
        st.selectbox("比較基準日", options, key=keys.SINCE,
                     format_func=lambda s: s if s == NO_SINCE else _roc_label(s),
                     help="成長與衰退是兩次快照之差；預設為前一次快照")
        st.radio("回復日數", list(DAYS_CHOICES), key=keys.DAYS, format_func=DAYS_CHOICES.get,
                 horizontal=True)
    since_label = st.session_state[keys.SINCE]
    since = None if since_label == NO_SINCE else dt.date.fromisoformat(since_label)
    picked = [a for a in st.session_state[keys.AGENCY] if a not in (ALL_LABEL, MINISTRY_GROUP_LABEL)]
    group = not picked or len(picked) < len(st.session_state[keys.AGENCY])
    scope = resolve_scope(gw(), as_of, since, None if group else picked, since_given=True)
    st.query_params.from_dict({keys.AGENCY: st.session_state[keys.AGENCY], keys.AS_OF: as_of.isoformat(),
                               keys.SINCE: since_label, keys.DAYS: st.session_state[keys.DAYS]})
    return Filters(scope, st.session_state[keys.DAYS], tuple(st.session_state[keys.AGENCY]))


def scope_caption(f: Filters) -> str:
    since = roc(f.scope.since) if f.scope.since else "不比較"
    return (f"資料日期 {roc(f.scope.as_of, 'long')}；比較基準 {since}；機關："
            f"{'、'.join(f.agency_labels) or MINISTRY_GROUP_LABEL}；資料版本 {data_version()}")
