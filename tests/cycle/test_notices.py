"""Issue 27: notices to agencies — a digest of what needs action, once per item and contact, on the
office's schedule, previewable, switched off by default. Items worked out from the seeds (附件三
feedback judged at 106/10/30, 106 targets): 勞保局 has 1 feedback answered late (106-2-13) and 2
indicators below target; 基金局 has 1 (成長量 10 of 13)."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest

from tests.cycle.test_delivery import _free_port, _settings, smtp  # noqa: F401 (fixture)

BLI, BLF = "勞動部勞工保險局", "勞動部勞動基金運用局"
TODAY = dt.date.today()


def _set(**kw):
    from kpi import service

    values = {"enabled": True, "every_days": 7, "contacts": {BLI: "a@bli.gov.tw, b@bli.gov.tw",
                                                             BLF: "c@blf.gov.tw"}} | kw
    return service.set_sending("資訊處", "notices", **values)


def _deliver(port, day=TODAY):
    from kpi import service

    return service.deliver("測試", day, settings=_settings(port), backoff=0)


def test_off_by_default_and_previewable(fresh_data):
    from kpi import service

    assert service.deliver("測試", TODAY, dry_run=True) == []
    _set()
    due = service.deliver("測試", TODAY, dry_run=True)
    assert [(r["kind"], r["recipient"], len(r["items"])) for r in due] == [
        ("notice", "a@bli.gov.tw", 3), ("notice", "b@bli.gov.tw", 3), ("notice", "c@blf.gov.tw", 1)]
    assert due[2]["items"] == ["106 年「成長量（新增資料集）」實績 10，未達目標 13"]
    assert due[0]["subject"] == "【開放資料績效】勞保局待辦事項 3 項（資料日期 107/07/20）"
    _set(enabled=False)
    assert service.deliver("測試", TODAY, dry_run=True) == []


def test_each_item_once_per_contact_on_schedule(fresh_data, smtp):  # noqa: F811
    inbox, port = smtp
    _set()
    assert [r["status"] for r in _deliver(port)] == ["sent"] * 3
    msg = email.message_from_bytes(inbox.messages[0][1], policy=policy.default)
    body = msg.get_body(("plain",)).get_content()
    assert body.startswith("勞動部勞工保險局 承辦同仁好：") and "民眾意見「編碼異常」（106/08/25 發表）於 106/09/06 回復" in body
    assert _deliver(port, TODAY + dt.timedelta(days=8)) == []  # nothing new: nothing sent
    _set(contacts={BLI: "a@bli.gov.tw, b@bli.gov.tw, d@bli.gov.tw", BLF: "c@blf.gov.tw"})
    assert _deliver(port, TODAY + dt.timedelta(days=6)) == []  # within 7 days of 勞保局's last digest
    late = _deliver(port, TODAY + dt.timedelta(days=7))
    assert [(r["recipient"], len(r["items"])) for r in late] == [("d@bli.gov.tw", 3)]  # only the new contact
    assert len(inbox.messages) == 4


@pytest.mark.parametrize("bad", ["x@", "勞保局聯絡人"])
def test_bad_contact_refused_naming_the_agency(fresh_data, bad):
    from kpi.cycle.notices import load_settings

    with pytest.raises(ValueError, match=f"勞保局：電子郵件地址「{bad}」格式不正確"):
        _set(contacts={BLI: f"a@bli.gov.tw, {bad}"})
    assert load_settings()["enabled"] is False
