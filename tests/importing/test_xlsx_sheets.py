"""Workbooks with several sheets: the active visible one is read; data only on a hidden sheet, or
visible sheets that disagree, are refused naming the sheets. Workbooks are made by the test."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from kpi.importing.errors import ImportRefused
from kpi.importing.kinds import parse_file
from tests.hostile.xlsxgen import CONTENT_TYPES, NS, RNS, USAGE_HEADER, _put, rows_xml, sheet

AS_OF = dt.date(2018, 7, 20)
FRESH = [["勞動部", "勞工保險投保薪資分級表", 111181, 3200, "", "2015-01-02"],
         ["勞動部", "職類別薪資調查", 5400, 21, "", "2016-03-04"]]
STALE = [["勞動部", "勞工保險投保薪資分級表", 10, 1, "", "2015-01-02"],
         ["勞動部", "職類別薪資調查", 9, 2, "", "2016-03-04"]]


def workbook(sheets: list[tuple], active: int = 0) -> bytes:
    """(name, rows or None for an empty sheet, state[, header]) in tab order; the active tab given."""
    entries = "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"'
                      f'{"" if st == "visible" else f" state={chr(34)}{st}{chr(34)}"}/>'
                      for i, (n, _, st, *_) in enumerate(sheets))
    book = (f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {RNS}><bookViews>'
            f'<workbookView activeTab="{active}"/></bookViews><sheets>{entries}</sheets></workbook>')
    rels = "".join(f'<Relationship Id="rId{i + 1}" Type="worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                   for i in range(len(sheets)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        _put(z, "[Content_Types].xml", CONTENT_TYPES)
        _put(z, "xl/workbook.xml", book)
        _put(z, "xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships '
             f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i, (_, rows, _, *header) in enumerate(sheets):
            _put(z, f"xl/worksheets/sheet{i + 1}.xml",
                 sheet(rows_xml([header[0] if header else USAGE_HEADER, *rows]) if rows is not None else ""))
    return buf.getvalue()


def _parse(tmp_path, data: bytes):
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    return parse_file("usage", path, AS_OF)


def _refused(tmp_path, data: bytes) -> str:
    with pytest.raises(ImportRefused) as err:
        _parse(tmp_path, data)
    return err.value.text()


def test_hidden_first_sheet_of_stale_counts_is_not_read(tmp_path):
    parsed = _parse(tmp_path, workbook([("舊", STALE, "hidden"), ("107年7月", FRESH, "visible")], active=1))
    assert parsed.frame["views"].tolist() == [111181, 5400]


def test_active_tab_is_read_when_it_is_not_the_first(tmp_path):
    notes = ("說明", [["瀏覽人次", "每日累計"], ["下載次數", "每日累計"]], "visible", ["欄位", "說明"])
    data = workbook([notes, ("資料", FRESH, "visible")], active=1)
    assert _parse(tmp_path, data).frame["views"].tolist() == [111181, 5400]
    text = _refused(tmp_path, workbook([notes, ("資料", FRESH, "visible")], active=0))
    assert "缺少必要欄位" in text  # the notes sheet is what Excel opens on: read, and refused


def test_hidden_active_tab_falls_back_to_the_first_visible_sheet(tmp_path):
    data = workbook([("舊", STALE, "veryHidden"), ("新", FRESH, "visible")], active=0)
    assert _parse(tmp_path, data).frame["downloads"].tolist() == [3200, 21]


def test_data_only_on_a_hidden_sheet_is_refused_naming_both(tmp_path):
    text = _refused(tmp_path, workbook([("封面", None, "visible"), ("資料", FRESH, "hidden")]))
    assert "「封面」" in text and "「資料」" in text and "隱藏" in text


def test_visible_sheets_that_disagree_are_refused_naming_them(tmp_path):
    text = _refused(tmp_path, workbook([("7月", FRESH, "visible"), ("7月(2)", STALE, "visible")]))
    assert "「7月」" in text and "「7月(2)」" in text and "數值不同" in text


def test_identical_visible_copies_and_empty_extra_sheets_are_taken(tmp_path):
    data = workbook([("7月", FRESH, "visible"), ("7月 副本", FRESH, "visible"), ("空白", None, "visible")])
    assert _parse(tmp_path, data).rows == 2


def test_active_sheet_empty_while_another_visible_holds_data_is_refused(tmp_path):
    text = _refused(tmp_path, workbook([("資料", FRESH, "visible"), ("封面", None, "visible")], active=1))
    assert "「封面」" in text and "「資料」" in text and "切換" in text


def test_no_visible_sheet_is_refused(tmp_path):
    text = _refused(tmp_path, workbook([("甲", FRESH, "hidden")]))
    assert "沒有可見的工作表" in text and "「甲」" in text
