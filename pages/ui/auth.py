"""Office sign-in: OIDC (st.login) limited to office_emails, or a PBKDF2-hashed password.

Viewers never see import, undo or edit controls; these helpers tell a page who is signed in.
"""

from __future__ import annotations

import os
import time

import streamlit as st

from kpi.ops.auth import ENV_VAR, SECRET_KEY, AttemptLimiter, attempt, session_expired
from pages.ui import keys

K_SIGNED_AT = "office_signed_in_at"
K_SEEN_AT = "office_seen_at"


@st.cache_resource
def _limiter() -> AttemptLimiter:
    """One per server process: failed sign-ins slow down every later try, per client and in total."""
    return AttemptLimiter()


def _client() -> str:
    try:
        ip = st.context.ip_address
    except Exception:  # some proxies give no address
        ip = None
    return ip if isinstance(ip, str) and ip else "unknown"  # no address: one shared budget


def _password_session() -> bool:
    """Signed in with the password and not timed out (idle or too long); refreshes activity."""
    if not st.session_state.get(keys.OFFICE):
        return False
    now = time.time()
    if session_expired(st.session_state.get(K_SIGNED_AT, now), st.session_state.get(K_SEEN_AT, now), now):
        sign_out()
        st.session_state["office_timed_out"] = True
        return False
    st.session_state[K_SEEN_AT] = now
    return True


def sign_out() -> None:
    for key in (keys.OFFICE, K_SIGNED_AT, K_SEEN_AT):
        st.session_state.pop(key, None)


def _secret(key: str):
    try:
        return st.secrets.get(key)
    except Exception:  # no secrets.toml at all is the usual viewer set-up
        return None


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:
        return False


def _oidc_email() -> str | None:
    if not st.user.is_logged_in:
        return None
    email = str(st.user.get("email", "")).lower()
    return email if email in [e.lower() for e in (_secret("office_emails") or [])] else None


def signed_in_office() -> str | None:
    """The office user if already signed in (on the 資訊處登入 page); draws nothing."""
    if _oidc_configured():
        return _oidc_email()
    return "資訊處" if _password_session() else None


def office_user() -> str | None:
    """The signed-in office user, or None after drawing the sign-in a viewer may use."""
    if _oidc_configured():
        if not st.user.is_logged_in:
            st.info("匯入、復原與編輯僅限資訊處人員。")
            st.button("以機關帳號登入", on_click=st.login)
            return None
        if _oidc_email() is None:
            st.error("此帳號沒有匯入權限。")
            st.button("登出", on_click=st.logout)
            return None
        return _oidc_email()
    stored = _secret(SECRET_KEY) or os.environ.get(ENV_VAR)
    if not stored:
        st.info("匯入功能未啟用（唯讀模式）：本儀表板尚未設定資訊處登入，資料匯入、比對確認與權重設定皆無法使用。"
                "設定方式見安裝說明文件。")
        return None
    if _password_session():
        return "資訊處"
    if st.session_state.pop("office_timed_out", False):
        st.warning("登入已逾時，請重新登入。")
    with st.form("office_login"):
        password = st.text_input("資訊處密碼", type="password")
        if st.form_submit_button("登入"):
            ok, wait = attempt(_limiter(), _client(), password, stored)
            if ok:
                st.session_state[keys.OFFICE] = True
                st.session_state[K_SIGNED_AT] = st.session_state[K_SEEN_AT] = time.time()
                st.rerun()
            st.error("密碼不正確" + (f"；請於 {wait:.0f} 秒後再試" if wait > 0 else ""))
    return None


def sign_out_button() -> None:
    """登出 for whichever sign-in is in use (shown in the sidebar to the signed-in office)."""
    if _oidc_configured():
        if st.user.is_logged_in:
            st.button("登出", on_click=st.logout, key="sign_out")
    elif _password_session():
        st.button("登出（資訊處）", on_click=sign_out, key="sign_out")
