"""Office sign-in: OIDC (st.login) limited to office_emails, or a PBKDF2-hashed password.

Viewers never see import, undo or edit controls; these helpers tell a page who is signed in.
"""

from __future__ import annotations

import os

import streamlit as st

from kpi.auth import ENV_VAR, SECRET_KEY, verify_password
from pages.ui import keys


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
    """The office user if already signed in (on the 資料匯入 page); draws nothing."""
    if _oidc_configured():
        return _oidc_email()
    return "資訊處" if st.session_state.get(keys.OFFICE) else None


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
        st.info("匯入功能未啟用（唯讀模式）。啟用方式：執行 `python -m kpi hash-password`，把輸出的一行放進 "
                "`.streamlit/secrets.toml`，或設定環境變數 KPI_OFFICE_PASSWORD_HASH；"
                "亦可在 secrets.toml 設定 [auth]（OIDC）與 office_emails。詳見 README。")
        return None
    if st.session_state.get(keys.OFFICE):
        return "資訊處"
    with st.form("office_login"):
        password = st.text_input("資訊處密碼", type="password")
        if st.form_submit_button("登入"):
            if verify_password(password, stored):
                st.session_state[keys.OFFICE] = True
                st.rerun()
            st.error("密碼不正確")
    return None
