"""Issue 27: resolutions tracked — entered for two agencies, one closed, then the closing undone."""

from __future__ import annotations

import io

import openpyxl
import pytest

BLI, WDA = "勞動部勞工保險局", "勞動部勞動力發展署"
M1, M2 = "2026-06-10", "2026-11-20"


def _row(meeting, subject, agency, status="列管", progress="", due="2026-12-31"):
    return {"會議日期": meeting, "案由": subject, "決議": f"請{agency[3:]}辦理{subject}", "主辦機關": agency,
            "期限": due, "辦理情形": progress, "列管": status}


def _enter(rows, name):
    from kpi.cycle.entries import enter

    return enter("resolutions", rows, "資訊處", name)


def _pack_rows(gw_scope):
    from kpi.exports import export_pack
    from kpi.store import gateway

    book = openpyxl.load_workbook(io.BytesIO(export_pack(gateway(), gw_scope)))
    assert book.sheetnames[0] == "決議追蹤"
    ws = book["決議追蹤"]
    head = [c.value for c in ws[3]]
    assert head == ["前次會議案由", "前次會議案決議", "辦理情形", "決議", "主辦機關", "期限", "會議日期"]
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=4, max_col=7)
            if row[0].value and row[1].value]


@pytest.fixture
def recorded(fresh_data):
    _enter([_row(M1, "案由一：資料集分類欄位", BLI), _row(M1, "案由二：API 說明文件", WDA, due="2026-09-30")],
           "決議_1150610.csv")
    _enter([_row(M2, "案由一：逾期意見改善", BLI), _row(M2, "案由二：失效連結修正", WDA)], "決議_1151120.csv")
    closing = _enter([_row(M2, "案由二：失效連結修正", WDA, "解除列管", "已全數修正")], "決議_解除.csv")
    return closing.seq


@pytest.mark.slow  # ≈6 s: the full suite runs it, the quick loop does not
def test_tracking_sheet_and_scorecards_show_open_items_and_undo_restores(recorded):
    from kpi.cycle.resolutions import open_items
    from kpi.metrics.scope import resolve_scope
    from kpi.service import undo
    from kpi.store import gateway

    gw = gateway()
    bli = open_items(gw, BLI)
    wda = open_items(gw, WDA)
    assert list(bli["前次會議案由"]) == ["案由一：資料集分類欄位", "案由一：逾期意見改善"]
    assert list(wda["前次會議案由"]) == ["案由二：API 說明文件"]  # the closed one is not listed
    assert list(wda["期限"]) == ["115/09/30"] and list(bli["會議日期"]) == ["115/06/10", "115/11/20"]
    rows = _pack_rows(resolve_scope(gw))
    # the newest meeting's items (the closed one too, as 解除列管) and the older ones still open
    assert [(r[0], r[3], r[4]) for r in rows] == [
        ("案由一：資料集分類欄位", "繼續列管", "勞保局"), ("案由二：API 說明文件", "繼續列管", "勞發署"),
        ("案由一：逾期意見改善", "繼續列管", "勞保局"), ("案由二：失效連結修正", "解除列管", "勞發署")]
    assert rows[3][2] == "已全數修正"

    undo(recorded, "資訊處")
    gw = gateway()
    assert list(open_items(gw, WDA)["前次會議案由"]) == ["案由二：API 說明文件", "案由二：失效連結修正"]
    assert [r[3] for r in _pack_rows(resolve_scope(gw))][-1] == "繼續列管"
    assert len(open_items(gw, BLI)) == 2


def test_bad_resolution_file_names_row_and_column(fresh_data):
    from kpi.importing.errors import ImportRefused

    with pytest.raises(ImportRefused) as err:
        _enter([_row(M1, "案由一", "火星部"), _row(M1, "", BLI, status="暫停")], "壞.csv")
    text = err.value.text()
    assert "第 2 列，欄位「主辦機關」：機關「火星部」從未出現在任何快照" in text
    assert "第 3 列，欄位「案由」：不可空白" in text and "第 3 列，欄位「列管」" in text


@pytest.mark.slow  # ≈5 s: the full suite runs it, the quick loop does not
def test_scorecard_page_lists_open_items(recorded):
    from tests.helpers.apptest import app

    at = app("pages/scorecard.py", {"agency": "勞發署"})
    assert any(h.value == "列管中之會議決議事項" for h in at.header)
    frames = [d.value for d in at.dataframe if "前次會議案由" in d.value.columns]
    assert len(frames) == 1 and list(frames[0]["前次會議案由"]) == ["案由二：API 說明文件"]


@pytest.mark.slow  # ≈3 s: the full suite runs it, the quick loop does not
def test_committee_calendar_file_and_working_group_file_stay_apart(fresh_data, tmp_path):
    from kpi.importing.errors import ImportRefused
    from kpi.service import import_file
    from kpi.store import gateway

    bad = tmp_path / "行事曆.csv"
    bad.write_text("會議日期,會議名稱\n,115年第1次會議\n2026-06-10,\n2031-01-01,太遠\n", encoding="utf-8-sig")
    with pytest.raises(ImportRefused) as err:
        import_file("meetings", bad, None, "資訊處")
    text = err.value.text()
    assert "第 2 列，欄位「會議日期」：會議日期不可空白" in text and "第 3 列，欄位「會議名稱」：不可空白" in text
    assert "第 4 列，欄位「會議日期」" in text  # more than three years ahead
    good = tmp_path / "ok.csv"
    good.write_text("會議日期,會議名稱,地點\n2026-06-10,115年第1次會議,本部1001會議室\n", encoding="utf-8-sig")
    group = tmp_path / "wg.csv"
    group.write_text("機關,會議日期,會議名稱\n勞保局,2018-03-01,工作小組\n", encoding="utf-8-sig")
    import_file("meetings", good, None, "資訊處")
    import_file("meetings", group, None, "資訊處")
    gw = gateway()
    assert gw.query("SELECT title FROM committee_meeting")["title"].tolist() == ["115年第1次會議"]
    assert gw.query("SELECT agency, note FROM meeting").values.tolist() == [["勞動部勞工保險局", "工作小組"]]
