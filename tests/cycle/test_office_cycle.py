"""Issue 27 on the office page: the committee calendar, delivery settings (bad addresses refused where
typed), the dry-run preview, 民國 dates in tables and inputs; 總覽 compares with the meeting's snapshot."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import app
from tests.helpers.office import allow_office

ISO = re.compile(r"\b20\d\d-\d\d-\d\d\b")


@pytest.fixture
def office(fresh_data, monkeypatch):
    allow_office(monkeypatch)
    return app(office=True, timeout=180)


def _input(at: AppTest, label: str):
    return next(t for t in at.text_input if t.label == label)


def _press(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_office_adds_a_meeting_and_overview_compares_with_its_snapshot(office):
    at = office
    _input(at, "委員會會議日期").input("107/1/15")
    _input(at, "會議名稱").input("107年第1次會議")
    _input(at, "地點").input("本部1001會議室")
    _press(at, "新增委員會會議")
    assert any("已匯入 1 列" in s.value for s in at.success), [e.value for e in at.error]
    shown = next(d.value for d in at.dataframe if "會議名稱" in d.value.columns)
    assert shown.to_dict("records") == [{"會議日期": "107/01/15", "會議名稱": "107年第1次會議",
                                         "地點": "本部1001會議室", "主席": ""}]
    log = next(d.value for d in at.dataframe if "匯入時間" in d.value.columns)
    dated = log[["資料日期", "匯入時間"]].to_numpy().ravel()  # 民國 dates in the office's tables
    assert list(dated) == ["107/07/20", dated[1], "—", dated[3]] and not ISO.search(" ".join(dated))
    assert dated[1].startswith("民國107年7月20日") and dated[3].startswith("民國")
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    assert any(h.value == "自上次會議以來（106/10/30 → 107/07/20）" for h in at.header)
    assert any(c.value == "上次會議：107/01/15「107年第1次會議」；當時最新快照 106/10/30，以該快照比較。"
               for c in at.caption), [c.value for c in at.caption]
    # the time chart marks the meeting and the plan years, and its text alternative names them
    # (chart captions go out as an escaped HTML block; the recount event of 107/07/20 is marked too)
    shown_captions = [html.unescape(re.sub(r"</?div>", "", c.value)) for c in at.caption]
    assert any(c.endswith("。標示事件：105/01/01 105–106 年行動方案 105 年度開始；106/01/01 105–106 "
                          "年行動方案 106 年度開始；107/01/15 委員會會議「107年第1次會議」；107/07/20 106/10/30 後"
                          "平臺重新計數（上架於 105年10月–106年6月，198 項成長未知）")
               for c in shown_captions), shown_captions


def test_meeting_date_typed_wrong_is_refused_in_zh_tw(office):
    at = office
    _input(at, "委員會會議日期").input("115/13/40")
    _input(at, "會議名稱").input("x")
    _press(at, "新增委員會會議")
    assert any("委員會會議日期「115/13/40」無法辨識" in e.value for e in at.error)
    assert not any("已匯入" in s.value for s in at.success)


def test_delivery_settings_refuse_a_bad_address_where_typed(office):
    from kpi.cycle.delivery import load_settings

    at = office
    next(t for t in at.text_area if t.label.startswith("收件者")).input("a@mol.gov.tw\nb@壞")
    _press(at, "儲存寄送設定")
    assert any("電子郵件地址「b@壞」格式不正確" in e.value for e in at.error)
    assert load_settings()["recipients"] == []
    next(t for t in at.text_area if t.label.startswith("收件者")).input("a@mol.gov.tw, c@mol.gov.tw")
    at.number_input[0].set_value(3)
    _press(at, "儲存寄送設定")
    assert load_settings()["recipients"] == ["a@mol.gov.tw", "c@mol.gov.tw"] and load_settings()["lead_days"] == 3


@pytest.mark.slow  # ≈3 s: the full suite runs it, the quick loop does not
def test_dry_run_preview_lists_what_would_be_sent(office):
    from kpi import service
    from kpi.cycle.entries import enter
    from kpi.reference.dates import roc

    day = dt.date.today() + dt.timedelta(days=2)
    enter("meetings", [{"會議日期": day.isoformat(), "會議名稱": "115年第1次會議"}], "資訊處", "m.csv")
    service.set_sending("資訊處", "delivery", recipients="a@mol.gov.tw", lead_days=3)
    at = office
    at.run()
    _press(at, "預覽今日應寄送（不寄信）")
    frame = next(d.value for d in at.dataframe if "主旨" in d.value.columns)
    assert list(frame["收件者"]) == ["a@mol.gov.tw"]
    assert frame["主旨"][0].startswith(f"【開放資料績效】{roc(day)}「115年第1次會議」會議資料")
    assert frame["種類"][0] == "會議資料" and ".pdf" in frame["內容"][0] and ".xlsx" in frame["內容"][0]


@pytest.mark.slow  # ≈5 s: the full suite runs it, the quick loop does not
def test_explicit_since_in_the_url_wins(fresh_data):
    from kpi.cycle.entries import enter

    enter("meetings", [{"會議日期": "2017-06-01", "會議名稱": "106年第1次會議"}], "資訊處", "m.csv")
    at = app(timeout=180)  # the meeting precedes every snapshot: nothing to compare with, and it says so
    assert any(c.value.startswith("上次會議：106/06/01「106年第1次會議」；會議前沒有任何快照") for c in at.caption)
    assert any(h.value == "自上次會議以來" for h in at.header)
    at = app(query={"since": "2017-10-30"}, timeout=180)
    assert any(h.value == "自上次會議以來（106/10/30 → 107/07/20）" for h in at.header)
    assert any("網址或側欄所選" in c.value for c in at.caption)


def test_notice_settings_on_the_office_page(office):
    from kpi.cycle.notices import load_settings

    at = office
    next(t for t in at.text_input if t.label.startswith("勞保局 聯絡人")).input("a@bli.gov.tw, 不是地址")
    next(t for t in at.toggle if t.label == "啟用機關待辦通知").set_value(True)
    _press(at, "儲存通知設定")
    assert any("勞保局：電子郵件地址「不是地址」格式不正確" in e.value for e in at.error)
    assert load_settings()["enabled"] is False  # nothing saved
    next(t for t in at.text_input if t.label.startswith("勞保局 聯絡人")).input("a@bli.gov.tw")
    _press(at, "儲存通知設定")
    assert load_settings()["enabled"] is True and load_settings()["contacts"] == {"勞動部勞工保險局": ["a@bli.gov.tw"]}
    _press(at, "預覽今日應寄送（不寄信）")
    frame = next(d.value for d in at.dataframe if "主旨" in d.value.columns)
    assert frame.to_dict("records")[0]["種類"] == "機關通知" and list(frame["收件者"]) == ["a@bli.gov.tw"]
