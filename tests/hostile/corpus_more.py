"""Hostile XLSX and JSON files and the other kinds (catalogue, feedback, requests, meetings)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.hostile import xlsxgen as X
from tests.hostile.corpus import add, csv_

FIXTURES = Path(__file__).parent.parent / "fixtures"
GOOD_ROW = ["勞動部", "甲", 1, 2, "", "2018/01/02"]
# --- XLSX --------------------------------------------------------------------------------------------
far = X.rows_xml([X.USAGE_HEADER, GOOD_ROW]) + '<row r="1000000"><c r="XFD1000000"><v>1</v></c></row>'
add("xlsx_xfd1000000.xlsx", "usage", X.book(X.sheet(far, "A1:XFD1000000")), "資料超出第 200 欄", 1000000, "XFD")
add("xlsx_row_past_excel.xlsx", "usage", X.book(X.sheet(X.rows_xml([X.USAGE_HEADER]) +
                                                         '<row r="2000000"><c r="A2000000"><v>1</v></c></row>')), "列號")
add("xlsx_rows_backwards.xlsx", "usage", X.book(X.sheet(X.rows_xml([X.USAGE_HEADER], 5) + X.rows_xml([GOOD_ROW], 3))),
    "列號")
add("xlsx_bad_ref.xlsx", "usage", X.book(X.sheet('<row r="1"><c r="A0B" t="inlineStr"><is><t>x</t></is></c></row>')),
    "無效")
add("xlsx_formula.xlsx", "usage", X.book(X.sheet(X.rows_xml([X.USAGE_HEADER]) + '<row r="2">' + X.cell("A2", "勞動部") +
                                                  X.cell("B2", "甲") + '<c r="C2"><f>SUM(1,2)</f><v>3</v></c></row>')),
    "公式", 2, "C")
add("xlsx_dtd_sheet.xlsx", "usage", X.book(X.sheet("", prolog='<!DOCTYPE x [<!ENTITY a "aaaa">]>')), "DTD")
laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
          f'<sst {X.NS}><si><t>&lol2;</t></si></sst>')
add("xlsx_laughs_shared.xlsx", "usage", X.book(X.sheet(X.rows_xml([X.USAGE_HEADER])), shared=laughs), "DTD")
add("xlsx_shared_out_of_range.xlsx", "usage", X.book(
    X.sheet('<row r="1"><c r="A1" t="s"><v>7</v></c></row>'), shared=f"<sst {X.NS}><si><t>a</t></si></sst>"), "共用字串")
add("xlsx_rlo_in_shared.xlsx", "usage", X.book(
    X.sheet(X.rows_xml([X.USAGE_HEADER]) + '<row r="2"><c r="A2" t="inlineStr"><is><t>勞動部</t></is></c>'
            '<c r="B2" t="s"><v>0</v></c><c r="C2"><v>1</v></c><c r="D2"><v>1</v></c></row>'),
    shared=f"<sst {X.NS}><si><t>甲\u202e乙</t></si></sst>"), "U+202E", 2, "資料集名稱")
add("xlsx_250_columns.xlsx", "usage", X.book(X.sheet(X.rows_xml([[f"c{i}" for i in range(250)]]))), "資料超出第 200 欄", 1)
add("xlsx_dup_header.xlsx", "usage", X.book(X.sheet(X.rows_xml(
    [["提供機關名稱", "資料集名稱", "瀏覽人次", "瀏覽人次", "下載次數"], ["勞動部", "甲", 1, 1, 2]]))),
    "欄位名稱重複", 1, "瀏覽人次")
add("xlsx_decimal_count.xlsx", "usage", X.usage_book([["勞動部", "甲", 5.5, 2, "", ""]]), "整數", 2, "瀏覽人次")
add("xlsx_negative_count.xlsx", "usage", X.usage_book([["勞動部", "甲", -5, 2, "", ""]]), "負數", 2, "瀏覽人次")
add("xlsx_huge_count.xlsx", "usage", X.usage_book([["勞動部", "甲", 1e20, 2, "", ""]]), "不合理地大", 2, "瀏覽人次")
ROW2 = '<row r="2">' + X.cell("A2", "勞動部") + X.cell("B2", "甲") + X.cell("C2", 1) + X.cell("D2", 1)
add("xlsx_huge_serial.xlsx", "usage", X.book(X.sheet(X.rows_xml([X.USAGE_HEADER]) + ROW2 +
                                                      '<c r="F2" s="1"><v>1e308</v></c></row>'), styles=X.DATE_STYLES),
    "日期", 2, "上架日")
add("xlsx_future_date_cell.xlsx", "usage", X.book(X.sheet(X.rows_xml([X.USAGE_HEADER]) + ROW2 +
                                                           X.cell("F2", 401769, 1) + "</row>"), styles=X.DATE_STYLES),
    "不合理", 2, "上架日")
add("xlsx_long_inline.xlsx", "usage", X.usage_book([["勞動部", "長" * 50_000, 1, 2, "", ""]]), "超過上限", 2)
add("xlsx_no_sheet.xlsx", "usage", X.book(None), "沒有任何工作表")
add("xlsx_many_parts.xlsx", "usage", X.book(X.sheet(""), extra={f"junk/{i}.xml": b"<a/>" for i in range(1200)}),
    "內部檔案")
add("xlsx_not_xml.xlsx", "usage", X.book(b"\x00\x01 not xml at all"), "無法讀取 Excel")
add("xlsx_empty_sheet.xlsx", "usage", X.book(X.sheet("")), "沒有任何資料列")
good_book = X.usage_book([GOOD_ROW] * 50)
add("xlsx_truncated.xlsx", "usage", good_book[: len(good_book) // 2], "無法讀取 Excel")
add("xlsx_lying_size.xlsx", "usage", X.lying_sizes(X.book(X.sheet(X.rows_xml([X.USAGE_HEADER, *[GOOD_ROW] * 3000]))),
                                                   "xl/worksheets/sheet1.xml", 1000), "無法讀取 Excel")
add("xlsx_pk_garbage.xlsx", "usage", b"PK\x03\x04" + bytes(range(256)) * 4, "無法讀取 Excel")
add("xlsx_catalogue_dup.xlsx", "catalogue", X.book(X.sheet(X.rows_xml([["資料集識別碼", "資料集名稱", "資料集識別碼"]]))),
    "欄位名稱重複", 1, "資料集識別碼")
# --- JSON (qc) ------------------------------------------------------------------------------------------
ITEM = {"datasetId": "A1", "title": "甲", "linkable": "1", "downloadable": "1", "structure": "1",
        "encoding_match": "1", "desc_match": "1", "csv": "1", "created": "2018-07-01 10:00:00"}


def qc(**change) -> bytes:
    return json.dumps([{**ITEM, **change}], ensure_ascii=False).encode()


add("qc_depth_20.json", "qc", b"[" * 20 + json.dumps(ITEM).encode() + b"]" * 20, "巢狀")
add("qc_title_object.json", "qc", qc(title={"$ne": 1}), "收到物件", 1, "title")
add("qc_id_list.json", "qc", qc(datasetId=["A", "B"]), "收到清單", 1, "datasetId")
add("qc_flag_bool.json", "qc", qc(linkable=True), "收到布林值", 1, "linkable")
add("qc_flag_float.json", "qc", qc(csv=1.5), "收到小數", 1, "csv")
add("qc_flag_2.json", "qc", qc(structure="2"), '應為 "0" 或 "1"', 1, "structure")
add("qc_nan.json", "qc", b'[{"datasetId": "A", "linkable": NaN}]', "不是有效的 JSON")
add("qc_string.json", "qc", b'"hello"', "清單")
add("qc_number.json", "qc", b"12345", "清單")
add("qc_empty_list.json", "qc", b"[]", "清單")
add("qc_empty.json", "qc", b"", "檔案是空的")
add("qc_not_objects.json", "qc", b"[1, 2, 3]", "應為物件", 1)
add("qc_no_id.json", "qc", json.dumps([{"title": "x"}]).encode(), "缺少 datasetId", 1, "datasetId")
add("qc_latin1.json", "qc", b'[{"datasetId": "\xe9"}]', "不是有效的 JSON")
add("qc_utf16.json", "qc", qc().decode().encode("utf-16"), "不是有效的 JSON")
add("qc_nul.json", "qc", qc(title="a\u0000b"), "U+0000", 1, "title")
add("qc_future.json", "qc", qc(created="2999-01-01 00:00:00"), "不合理", 1, "created")
add("qc_roc0.json", "qc", qc(changed="000/01/01 00:00"), "民國年份不可為 0", 1, "changed")
add("qc_truncated.json", "qc", qc()[:40], "不是有效的 JSON")
add("qc_long_title.json", "qc", qc(title="長" * 20_000), "超過上限", 1, "title")
add("qc_result_wrong.json", "qc", b'{"result": {"a": 1}}', "清單")
# --- catalogue ------------------------------------------------------------------------------------------
CAT = list(csv.reader(io.StringIO((FIXTURES / "catalogue_real_layout.csv").read_text(encoding="utf-8-sig"))))


def catalogue(col: int, value: str) -> bytes:
    rows = [list(r) for r in CAT]
    rows[1][col] = value
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


add("cat_badge.csv", "catalogue", catalogue(4, "鑽石"), "品質檢測「鑽石」", 2, "品質檢測")
add("cat_future_meta.csv", "catalogue", catalogue(19, "2999-01-01 00:00:00"), "不合理", 2, "詮釋資料更新時間")
add("cat_roc0.csv", "catalogue", catalogue(18, "000/01/01"), "民國年份不可為 0", 2, "上架日期")
add("cat_nul_description.csv", "catalogue", catalogue(9, "說明\x00"), "U+0000", 2, "資料集描述")
add("cat_frequency.csv", "catalogue", catalogue(12, "每∞日"), "更新頻率", 2, "更新頻率")
add("cat_resources.csv", "catalogue", catalogue(6, "https://example.gov.tw/x"), "應一一對應", 2, "資料下載網址")
add("cat_mars.csv", "catalogue", catalogue(11, "火星部"), "火星部", 2, "提供機關", known=True)
add("cat_dup_header.csv", "catalogue", catalogue(0, "X").replace("資料集名稱".encode(), "資料集識別碼".encode(), 1),
    "欄位名稱重複", 1, "資料集識別碼")
# --- feedback, requests, meetings --------------------------------------------------------------------------
FB = "ID,發表時間,標題,資料集名稱,回復狀態,首次回復時間"
add("fb_future.csv", "feedback", csv_("1,2999-07-02 09:15,標題,資料,已回復,", header=FB), "不合理", 2, "發表時間")
add("fb_roc0.csv", "feedback", csv_("1,000/07/02,標題,資料,已回復,", header=FB), "民國年份不可為 0", 2, "發表時間")
add("fb_reply_first.csv", "feedback", csv_("1,2018-07-05 10:00,甲,乙,已回復,2018-07-01 09:00", header=FB),
    "早於發表時間", 2, "首次回復時間")
add("fb_nul.csv", "feedback", csv_("1,2018-07-05 10:00,甲\x00,乙,已回復,", header=FB), "U+0000", 2, "標題")
add("fb_no_id.csv", "feedback", csv_("2018-07-05 10:00,甲,乙", header="發表時間,標題,資料集名稱"), "缺少必要欄位", 1)
add("fb_dup_header.csv", "feedback", csv_("1,2,2018-07-05,甲,乙", header="ID,ID,發表時間,標題,資料集名稱"), "欄位名稱重複", 1, "ID")
add("fb_blank_posted.csv", "feedback", csv_("1,,甲,乙,已回復,", header=FB), "不可空白", 2, "發表時間")
RQ = "ID,開放建議標題,發表日期,實際派發機關"
add("rq_future.csv", "requests", csv_("R1,請開放,2999-05-02,勞動部", header=RQ), "不合理", 2, "發表日期")
add("rq_roc0.csv", "requests", csv_("R1,請開放,00/05/02,勞動部", header=RQ), "民國年份不可為 0", 2, "發表日期")
add("rq_control.csv", "requests", csv_("R1,請開放\x1b[31m,2018-05-02,勞動部", header=RQ), "U+001B", 2, "開放建議標題")
add("rq_blank_id.csv", "requests", csv_(",請開放,2018-05-02,勞動部", header=RQ), "不可空白", 2, "ID")
MT = "機關,會議日期,備註"
add("mt_future.csv", "meetings", csv_("勞保局,2999/03/15,會", header=MT), "不合理", 2, "會議日期", as_of=None)
add("mt_roc0.csv", "meetings", csv_("勞保局,000/03/15,會", header=MT), "民國年份不可為 0", 2, "會議日期", as_of=None)
add("mt_no_agency.csv", "meetings", csv_("106/03/15,會", header="會議日期,備註"), "請填機關", 2, as_of=None)
add("mt_utf16.csv", "meetings", csv_("勞保局,106/03/15,會", header=MT).decode().encode("utf-16"), "二進位", as_of=None)
add("mt_blank_date.csv", "meetings", csv_("勞保局,,會", header=MT), "不可空白", 2, "會議日期", as_of=None)
