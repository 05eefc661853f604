"""Streamlit glue shared by the pages: filters in the URL, the cached gateway, cached marts.

Pages stay thin: they call these helpers and draw. All figures come from kpi/ (no SQL here).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from kpi.agencies import ALL_LABEL, MINISTRY_AGENCIES, MINISTRY_GROUP_LABEL
from kpi.build import ensure_store
from kpi.dates import roc
from kpi.fields import FIELDS
from kpi.metrics import awards, feedback, plan, usage
from kpi.metrics.scope import Scope, resolve_scope, snapshot_dates
from kpi.report import build_report
from kpi.store import current_version_id, gateway

# Session keys (also the URL query parameter names)
K_FILTERS = "filters"
K_AGENCY = "agency"
K_AS_OF = "as_of"
K_SINCE = "since"
K_DAYS = "days"

AGENCY_CHOICES = [ALL_LABEL, MINISTRY_GROUP_LABEL] + [a.short for a in MINISTRY_AGENCIES]
NO_SINCE = "（不比較）"
DAYS_CHOICES = {"calendar": "日曆日", "working": "工作日"}


def page_registry() -> list:
    """Every page of the app, in menu order (used by dashboard.py's st.navigation)."""
    return [
        st.Page("pages/overview.py", title="總覽", icon=":material/dashboard:", default=True),
        st.Page("pages/usage.py", title="使用量與排行", icon=":material/trending_up:", url_path="usage"),
        st.Page("pages/feedback.py", title="民眾意見", icon=":material/forum:", url_path="feedback"),
        st.Page("pages/plan.py", title="行動方案績效", icon=":material/flag:", url_path="plan"),
        st.Page("pages/quality.py", title="資料品質與標章", icon=":material/verified:", url_path="quality"),
        st.Page("pages/national.py", title="全國比較", icon=":material/public:", url_path="national"),
        st.Page("pages/notes.py", title="計算說明", icon=":material/menu_book:", url_path="notes"),
        st.Page("pages/imports.py", title="資料匯入", icon=":material/upload_file:", url_path="imports"),
    ]


K_OFFICE = "office_signed_in"


def _secret(key: str) -> str | None:
    try:
        return st.secrets.get(key)
    except FileNotFoundError:
        return None
    except Exception:
        return None


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:
        return False


def signed_in_office() -> str | None:
    """The office user if already signed in (on the 資料匯入 page); draws nothing."""
    if _oidc_configured():
        if st.user.is_logged_in:
            email = str(st.user.get("email", "")).lower()
            if email in [e.lower() for e in (_secret("office_emails") or [])]:
                return email
        return None
    return "資訊處" if st.session_state.get(K_OFFICE) else None


def office_user() -> str | None:
    """The signed-in office user, or None after drawing what a viewer may see.

    OIDC (st.login) when [auth] is in secrets, limited to `office_emails`; otherwise a password
    whose PBKDF2 hash is in secrets (office_password_hash) or KPI_OFFICE_PASSWORD_HASH.
    """
    import os

    from kpi.auth import ENV_VAR, SECRET_KEY, verify_password

    if _oidc_configured():
        if not st.user.is_logged_in:
            st.info("匯入、復原與編輯僅限資訊處人員。")
            st.button("以機關帳號登入", on_click=st.login)
            return None
        allowed = [e.lower() for e in (_secret("office_emails") or [])]
        email = str(st.user.get("email", "")).lower()
        if email not in allowed:
            st.error("此帳號沒有匯入權限。")
            st.button("登出", on_click=st.logout)
            return None
        return email
    stored = _secret(SECRET_KEY) or os.environ.get(ENV_VAR)
    if not stored:
        st.info("匯入功能未啟用（唯讀模式）。啟用方式：執行 `python -m kpi hash-password`，把輸出的一行放進 "
                "`.streamlit/secrets.toml`，或設定環境變數 KPI_OFFICE_PASSWORD_HASH；"
                "亦可在 secrets.toml 設定 [auth]（OIDC）與 office_emails。詳見 README。")
        return None
    if st.session_state.get(K_OFFICE):
        return "資訊處"
    with st.form("office_login"):
        password = st.text_input("資訊處密碼", type="password")
        if st.form_submit_button("登入"):
            if verify_password(password, stored):
                st.session_state[K_OFFICE] = True
                st.rerun()
            st.error("密碼不正確")
    return None


def current_filters() -> Filters:
    """The filters the entry point computed for this run.

    On the very first run after the server starts, a link straight to a sub-page makes Streamlit
    run that page alone in its legacy pages/ mode. Registering the real navigation (which turns
    that mode off) and rerunning sends the request through dashboard.py as usual.
    """
    if K_FILTERS not in st.session_state:
        st.navigation(page_registry(), position="hidden")
        st.rerun()
    return st.session_state[K_FILTERS]


@st.cache_resource(show_spinner="載入資料中…")
def _gateway(version_id: str):
    ensure_store()
    return gateway()


@st.cache_data(ttl=3, show_spinner=False)
def data_version() -> str:
    ensure_store()
    return current_version_id() or ""


def gw():
    return _gateway(data_version())


@dataclass(frozen=True)
class Filters:
    scope: Scope
    days: str
    agency_labels: tuple[str, ...]


@st.cache_data(show_spinner=False)
def _snapshot_dates(version: str) -> list[dt.date]:
    return snapshot_dates(gw())


def _from_url(key: str, default):
    value = st.query_params.get_all(key) if key == K_AGENCY else st.query_params.get(key)
    return value if value else default


def sidebar_filters() -> Filters:
    """One agency filter and snapshot selectors, shared by every page and kept in the URL."""
    version = data_version()
    dates = _snapshot_dates(version)
    labels = [d.isoformat() for d in dates]
    if K_AGENCY not in st.session_state:
        chosen = [a for a in _from_url(K_AGENCY, [MINISTRY_GROUP_LABEL]) if a in AGENCY_CHOICES]
        st.session_state[K_AGENCY] = chosen or [MINISTRY_GROUP_LABEL]
        as_of = _from_url(K_AS_OF, labels[-1])
        st.session_state[K_AS_OF] = as_of if as_of in labels else labels[-1]
        st.session_state[K_SINCE] = _from_url(K_SINCE, "")
        days = _from_url(K_DAYS, "calendar")
        st.session_state[K_DAYS] = days if days in DAYS_CHOICES else "calendar"
    with st.sidebar:
        st.multiselect("機關", AGENCY_CHOICES, key=K_AGENCY,
                       help="「全部」與「勞動部及所屬」皆為本部及所屬六機關；可複選個別機關")
        st.selectbox("資料日期", labels, key=K_AS_OF, format_func=lambda s: _roc_label(s))
        as_of = dt.date.fromisoformat(st.session_state[K_AS_OF])
        earlier = [d.isoformat() for d in dates if d < as_of]
        options = [NO_SINCE, *earlier]
        if st.session_state.get(K_SINCE) not in options:
            st.session_state[K_SINCE] = earlier[-1] if earlier else NO_SINCE
        st.selectbox("比較基準日", options, key=K_SINCE,
                     format_func=lambda s: s if s == NO_SINCE else _roc_label(s),
                     help="成長與衰退是兩次快照之差；預設為前一次快照")
        st.radio("回復日數", list(DAYS_CHOICES), key=K_DAYS, format_func=DAYS_CHOICES.get,
                 horizontal=True)
    since_label = st.session_state[K_SINCE]
    since = None if since_label == NO_SINCE else dt.date.fromisoformat(since_label)
    picked = [a for a in st.session_state[K_AGENCY] if a not in (ALL_LABEL, MINISTRY_GROUP_LABEL)]
    group = not picked or len(picked) < len(st.session_state[K_AGENCY])
    agencies = None if group else picked
    scope = resolve_scope(gw(), as_of, since, agencies, since_given=True)
    st.query_params.from_dict({K_AGENCY: st.session_state[K_AGENCY], K_AS_OF: as_of.isoformat(),
                               K_SINCE: since_label, K_DAYS: st.session_state[K_DAYS]})
    return Filters(scope, st.session_state[K_DAYS], tuple(st.session_state[K_AGENCY]))


def _roc_label(iso: str) -> str:
    return f"{roc(dt.date.fromisoformat(iso))}（{iso}）"


def scope_caption(f: Filters) -> str:
    since = roc(f.scope.since) if f.scope.since else "不比較"
    return (f"資料日期 {roc(f.scope.as_of, 'long')}；比較基準 {since}；機關："
            f"{'、'.join(f.agency_labels) or MINISTRY_GROUP_LABEL}；資料版本 {data_version()}")


# Cached marts: keyed on the data version and the filter values, never recomputed on a rerun.
@st.cache_data(show_spinner=False)
def report(version: str, scope: Scope, days: str) -> dict:
    return build_report(gw(), scope, days)


@st.cache_data(show_spinner=False)
def agency_usage(version: str, scope: Scope) -> pd.DataFrame:
    return usage.agency_usage(gw(), scope)


@st.cache_data(show_spinner=False)
def ranking(version: str, scope: Scope, by: str) -> pd.DataFrame:
    return usage.ranking(gw(), scope, by)


@st.cache_data(show_spinner=False)
def dataset_changes(version: str, scope: Scope) -> pd.DataFrame:
    return usage.dataset_changes(gw(), scope)


@st.cache_data(show_spinner=False)
def feedback_items(version: str, scope: Scope, days: str) -> pd.DataFrame:
    return feedback.feedback_items(gw(), scope, days)


@st.cache_data(show_spinner=False)
def feedback_summary(version: str, scope: Scope, days: str) -> pd.DataFrame:
    return feedback.feedback_summary(gw(), scope, days)


@st.cache_data(show_spinner=False)
def yearly(version: str, scope: Scope, roc_year: int, weights: plan.Weights) -> pd.DataFrame:
    return plan.yearly_achievement(gw(), scope, roc_year, weights)


@st.cache_data(show_spinner=False)
def dataset_plan(version: str, scope: Scope) -> pd.DataFrame:
    return plan.dataset_plan(gw(), scope)


@st.cache_data(show_spinner=False)
def popularity(version: str, scope: Scope, ministry_only: bool,
               eligible_only: bool = False) -> pd.DataFrame:
    return awards.popularity(gw(), scope, ministry_only, eligible_only=eligible_only)


@st.cache_data(show_spinner=False)
def sql_frame(version: str, name: str, params: tuple) -> pd.DataFrame:
    """Small named look-ups the pages need (kept in kpi.lookups, bound parameters only)."""
    from kpi import lookups

    return lookups.run(gw(), name, params)


@st.cache_data(show_spinner=False)
def quality(version: str, scope: Scope) -> dict:
    from kpi.metrics.quality import quality_by_agency

    return quality_by_agency(gw(), scope)


@st.cache_data(show_spinner=False)
def oas_counts(version: str) -> dict[str, int]:
    return {a: int(n) for a, n in sql_frame(version, "oas_apis", ()).itertuples(index=False)}


@st.cache_data(show_spinner=False)
def dataset_quality(version: str, scope: Scope) -> pd.DataFrame:
    from kpi.metrics.quality import dataset_quality as rows

    return rows(gw(), scope)


@st.cache_data(show_spinner="產生 Excel 檔…")
def excel(version: str, kind: str, scope: Scope) -> bytes:
    from kpi.excel import export_fixlist, export_pack, export_ranking

    makers = {"ranking": export_ranking, "pack": export_pack, "fixlist": export_fixlist}
    return makers[kind](gw(), scope)


@st.cache_data(show_spinner=False)
def catalogue_present(version: str) -> bool:
    from kpi.metrics.quality import has_catalogue

    return has_catalogue(gw())


def column_config(columns: list[str]) -> dict:
    """Streamlit column labels, formats and tooltips from kpi.fields (one place for labels)."""
    config = {}
    for col in columns:
        field = FIELDS.get(col)
        if field is None:
            continue
        if field.unit == "count":
            config[col] = st.column_config.NumberColumn(field.label, help=field.help or None,
                                                        format="localized")
        elif field.unit == "ratio":
            config[col] = st.column_config.NumberColumn(field.label, help=field.help or None,
                                                        format="percent")
        elif field.unit == "score":
            config[col] = st.column_config.NumberColumn(field.label, help=field.help or None,
                                                        format="%.2f")
        else:
            config[col] = st.column_config.TextColumn(field.label, help=field.help or None)
    return config


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text: str) -> str:
    """Text from files and data shown in st.error/st.success (which render Markdown) as is."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def chart_text(series: pd.Series) -> pd.Series:
    """Plotly reads <b>, <a href> … in labels; data names are escaped so they show as typed."""
    return series.astype(str).map(html.escape)


def pct(value) -> str:
    return "無資料" if value is None or pd.isna(value) else f"{value:.1%}"


def num(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{int(value):,}"
