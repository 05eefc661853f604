"""資料匯入 page: viewers cannot reach the actions; the office signs in and imports."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kpi.config.paths import REPO_ROOT
from kpi.ops.auth import hash_password, verify_password

PASSWORD = "correct horse battery"


def _page(secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.run()
    at.switch_page("pages/imports.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_password_hash_round_trip():
    stored = hash_password(PASSWORD, iterations=1000)
    assert verify_password(PASSWORD, stored)
    assert not verify_password("wrong", stored)
    assert not verify_password(PASSWORD, "garbage")


def test_without_configuration_the_page_is_read_only(fresh_data, monkeypatch):
    monkeypatch.delenv("KPI_OFFICE_PASSWORD_HASH", raising=False)
    at = _page()
    assert any("匯入功能未啟用" in i.value for i in at.info)
    assert len(at.get("file_uploader")) == 0
    assert len(at.text_input) == 0  # no sign-in form either
    assert not any(b.label in ("復原這次匯入", "確認匯入") for b in at.button)


def test_viewer_is_refused_and_office_gets_in(fresh_data, monkeypatch):
    monkeypatch.setenv("KPI_OFFICE_PASSWORD_HASH", hash_password(PASSWORD, iterations=1000))
    at = _page()
    assert len(at.get("file_uploader")) == 0
    at.text_input[0].input("not the password")
    at.button[0].click().run()
    assert any("密碼不正確" in e.value for e in at.error)
    assert len(at.get("file_uploader")) == 0
    at.text_input[0].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert len(at.get("file_uploader")) == 1
    assert any(b.label == "新增" for b in at.button)


def test_password_hash_from_secrets(fresh_data, monkeypatch):
    monkeypatch.delenv("KPI_OFFICE_PASSWORD_HASH", raising=False)
    at = _page({"office_password_hash": hash_password(PASSWORD, iterations=1000)})
    assert len(at.text_input) == 1  # the sign-in form, not the read-only notice
    assert not any("匯入功能未啟用" in i.value for i in at.info)


def test_meeting_form_goes_through_the_import_path(fresh_data, monkeypatch):
    from kpi.importing.archive import entries
    from kpi.store import gateway

    monkeypatch.setenv("KPI_OFFICE_PASSWORD_HASH", hash_password(PASSWORD, iterations=1000))
    at = _page()
    at.text_input[0].input(PASSWORD)
    at.button[0].click().run()
    note = next(t for t in at.text_input if t.label == "備註")
    note.input("第3季工作小組")
    next(b for b in at.button if b.label == "新增").click().run()
    assert not at.exception
    assert any("已匯入 1 列" in s.value for s in at.success)
    assert entries()[-1].kind == "meetings" and entries()[-1].imported_by == "資訊處"
    assert gateway().scalar("SELECT count(*) FROM meeting") == 1


@pytest.mark.parametrize("columns,name,kind", [
    (["提供機關名稱", "資料集名稱", "瀏覽人次", "下載次數", "資料集評分", "上架日"], "a.csv", "usage"),
    (["資料集名稱", "瀏覽次數", "下載次數", "資料集評分", "上架日期", "資料集狀態"], "b.csv", "usage"),
    (["提供機關", "資料集總數", "瀏覽次數", "下載次數"], "c.csv", "usage"),
    (["資料集識別碼", "資料集名稱", "品質檢測", "資料下載網址"], "d.csv", "catalogue"),
    (["ID", "發表時間", "標題", "資料集名稱", "回復狀態"], "e.csv", "feedback"),
    (["ID", "開放建議標題", "瀏覽次數", "建議者", "發表日期"], "f.csv", "requests"),
    (["機關", "會議日期", "備註"], "g.csv", "meetings"),
    ([], "qc.json", "qc"),
])
def test_kind_detection(columns, name, kind):
    from kpi.importing.kinds import detect_kind

    assert detect_kind(columns, name) == kind


def test_repeated_wrong_passwords_make_the_next_try_wait(fresh_data, monkeypatch):
    """After the free tries every failure costs a growing wait, and during the wait even the
    right password is not checked (a guesser cannot hammer the form)."""
    from pages.ui.auth import _limiter

    _limiter.clear()
    monkeypatch.setenv("KPI_OFFICE_PASSWORD_HASH", hash_password(PASSWORD, iterations=1000))
    at = _page()
    try:
        for _ in range(4):
            at.text_input[0].input("guess")
            at.button[0].click().run()
        assert any("秒後再試" in e.value for e in at.error)
        at.text_input[0].input(PASSWORD)
        at.button[0].click().run()
        assert len(at.get("file_uploader")) == 0
        assert any("秒後再試" in e.value for e in at.error)
    finally:
        _limiter.clear()


def test_office_can_sign_out(fresh_data, monkeypatch):
    monkeypatch.setenv("KPI_OFFICE_PASSWORD_HASH", hash_password(PASSWORD, iterations=1000))
    at = _page()
    at.text_input[0].input(PASSWORD)
    at.button[0].click().run()
    assert len(at.get("file_uploader")) == 1
    next(b for b in at.button if b.label == "登出（資訊處）").click().run()
    assert len(at.get("file_uploader")) == 0 and len(at.text_input) == 1
