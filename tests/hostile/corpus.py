"""The hostile corpus: what each file is and what must happen to it.

Small files are committed under tests/hostile/files (`python -m tests.hostile.corpus` rewrites
them from the builders below); large ones are made at test time by tests/hostile/large.py.
`fragment` must appear in the refusal, with 「檔案「name」」, and 第 row 列 / 欄位「column」
where a row or a column is at fault. `known`: refused only when the caller passes the known
agencies (the web preview and, once wired, the CLI); `accept`: a file that must be taken.
"""

from __future__ import annotations

import gzip
import random
from dataclasses import dataclass
from pathlib import Path

from tests.hostile import xlsxgen as X

FILES = Path(__file__).parent / "files"
H = "提供機關名稱,資料集名稱,瀏覽人次,下載次數,資料集評分,上架日"
GOOD = "勞動部,測試資料集,10,2,,2018/01/02"


@dataclass
class Case:
    name: str
    kind: str
    data: bytes | None = None  # None: made by tests/hostile/large.py
    fragment: str | None = None
    row: int | None = None
    column: str | None = None
    as_of: str | None = "2019-01-31"
    agency: str | None = None
    known: bool = False
    accept: bool = False


def csv_(*rows: str, header: str = H, enc: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(enc)


def usage_cell(column: int, value: str) -> bytes:
    cells = GOOD.split(",")
    cells[column] = value
    return csv_(",".join(cells))


CASES: list[Case] = []


def add(name: str, kind: str, data: bytes | None, fragment: str | None = None, row: int | None = None,
        column: str | None = None, **kw) -> None:
    CASES.append(Case(name, kind, data, fragment, row, column, **kw))


rng = random.Random(12)
# --- empty, binary, encodings --------------------------------------------------------------
add("empty.csv", "usage", b"", "檔案是空的")
add("spaces.csv", "usage", b" \r\n\t\n  ", "檔案是空的")
add("bom_only.csv", "usage", b"\xef\xbb\xbf", "沒有任何資料列")
add("header_only.csv", "usage", csv_(), "沒有任何資料列")
add("blank_lines_only.csv", "usage", csv_(",,,,,", ",,,,,"), "沒有任何資料列")
add("png.csv", "usage", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "二進位")
add("pdf.csv", "usage", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00<<>>", "二進位")
add("elf.csv", "usage", b"\x7fELF\x02\x01\x01\x00" + bytes(200), "二進位")
add("ole_as_xlsx.xlsx", "usage", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "二進位")
add("random.csv", "usage", bytes(rng.randrange(256) for _ in range(4096)) + b"\x00")
add("random_no_nul.csv", "usage", bytes(rng.randrange(1, 256) for _ in range(4096)))
add("latin1.csv", "usage", csv_("Ministère,Données,1,2,,"
                                ).replace(b"\xc3\xa8", b"\xe8").replace(b"\xc3\xa9", b"\xe9") + b"\xff\xfe\x80",
    "無法辨識的文字編碼")
add("utf16_bom.csv", "usage", csv_(GOOD).decode().encode("utf-16"), "二進位")
add("utf16be.csv", "usage", csv_(GOOD).decode().encode("utf-16-be"), "二進位")
add("utf32.csv", "usage", csv_(GOOD).decode().encode("utf-32"), "二進位")
add("gbk.csv", "usage", "提供机关名称,资料集名称,浏览人次,下载次数\n劳动部,甲,1,2\n".encode("gbk"))
add("shift_jis.csv", "usage", "機関,データ,閲覧,ダウンロード\n厚生労働省,テスト,1,2\n".encode("shift_jis"))
add("json_as_usage.csv", "usage", b'[{"datasetId": "A", "linkable": "1"}]', "這是 JSON 檔")
add("catalogue_as_usage.csv", "usage", csv_("A1,名,原始資料", header="資料集識別碼,資料集名稱,資料提供屬性"),
    "缺少必要欄位", 1)
# --- structure ---------------------------------------------------------------------------------
add("dup_header.csv", "usage", csv_("勞動部,甲,1,2,3", header="提供機關名稱,資料集名稱,瀏覽人次,下載次數,下載次數"),
    "欄位名稱重複", 1, "下載次數")
add("dup_header_fullwidth.csv", "usage", csv_("勞動部,甲,1,2,3", header="提供機關名稱,資料集名稱,瀏覽人次,下載次數,"
                                              "下載次數　"), "欄位名稱重複", 1, "下載次數")
add("dup_header_name.csv", "usage", csv_("勞動部,甲,乙,1,2", header="提供機關名稱,資料集名稱,資料集名稱,瀏覽人次,下載次數"),
    "欄位名稱重複", 1, "資料集名稱")
add("control_in_header.csv", "usage", csv_(GOOD, header=H.replace("上架日", "上架\x07日")), "欄位名稱", 1)
add("missing_column.csv", "usage", csv_("勞動部,甲,1", header="提供機關名稱,資料集名稱,瀏覽人次"), "缺少必要欄位", 1)
add("extra_cells.csv", "usage", csv_(GOOD + ",多,出"), "表頭只有 6 欄", 2)
add("blank_header_with_data.csv", "usage", csv_("勞動部,甲,秘密,1,2", header="提供機關名稱,資料集名稱,,瀏覽人次,下載次數"),
    "沒有欄位名稱", 1)
add("too_many_columns.csv", "usage", csv_(GOOD, header=H + "," + ",".join(f"c{i}" for i in range(300))),
    "超過上限 200", 1)
add("huge_cell.csv", "usage", csv_("勞動部," + "長" * 20_000 + ",5,3,,"), "超過上限", 2, "資料集名稱")
add("unclosed_quote.csv", "usage", csv_(GOOD) + '勞動部,"未閉合,5,3,,\n'.encode(), "引號")
add("quote_eats_file.csv", "usage", csv_('勞動部,"' + "x" * 200_000), "超過上限")
add("header_is_data.csv", "usage", csv_("勞動部,乙,1,2,,", header="勞動部,甲,1,2,,"), "缺少必要欄位", 1)
add("wrong_kind.csv", "views", csv_(GOOD), "不明的匯入種類")
add("no_as_of.csv", "usage", csv_(GOOD), "--as-of", as_of=None)
add("new_layout_no_agency.csv", "usage", csv_("甲,1,2", header="資料集名稱,瀏覽次數,下載次數"), "請指定機關", 1)
# --- control characters ------------------------------------------------------------------------
for code in (0x00, 0x07, 0x1B, 0x7F, 0x85, 0x0B, 0x0C, 0x202E, 0x2066):
    add(f"control_{code:04x}.csv", "usage", csv_(f"勞動部,甲{chr(code)}乙,1,2,,"), f"U+{code:04X}", 2, "資料集名稱")
add("nul_after_64k.csv", "usage", csv_(*[f"勞動部,資料集{i},1,2,," for i in range(3000)], "勞動部,壞\x00,1,2,,"),
    "U+0000", 3002, "資料集名稱")
add("control_agency.csv", "usage", csv_("勞動\x01部,甲,1,2,,"), "U+0001", 2, "提供機關名稱")
# --- counts --------------------------------------------------------------------------------------
for i, (value, fragment) in enumerate([
        ('"1,2,3"', "千分位"), ('"12,34"', "千分位"), ('"1,2345"', "千分位"), ('"１，２，３"', "千分位"),
        ("1.23E+11", "科學記號"), ("1e5", "科學記號"), ("5.5", "整數"), ("5.0", "整數"), ("inf", "不是數字"),
        ("NaN", "不是數字"), ("Infinity", "不是數字"), ("-1", "負數"), ('"-1,000"', "負數"), ("−3", "不是數字"),
        ("9999999999999999", "不合理地大"), ("1000000000001", "不合理地大"), ("0x1F", "不是數字"),
        ("12 345", "不是數字"), ("+5", "不是數字"), ("十二", "不是數字"), ("1_000", "不是數字"),
        ("nan", "不是數字"), ("1e400", "科學記號")]):
    add(f"count_{i:02d}.csv", "usage", usage_cell(2 + i % 2, value), fragment, 2, "瀏覽人次" if i % 2 == 0 else "下載次數")
for i, value in enumerate(["1e1", "inf", "NaN", "300", "-20", "4.5e0"]):
    add(f"rating_{i}.csv", "usage", usage_cell(4, value), "評分", 2, "資料集評分")
add("summary_bad_count.csv", "usage", csv_('勞動部,5,"1,2,3",2', header="提供機關,資料集總數,瀏覽次數,下載次數"),
    "千分位", 2, "瀏覽次數")
# --- dates and as-of -----------------------------------------------------------------------------
for i, (value, fragment) in enumerate([
        ("2999/01/01", "不合理"), ("00/01/01", "民國年份不可為 0"), ("000年01月01日", "民國年份不可為 0"),
        ("0000101", "民國年份不可為 0"), ("1900/01/01", "不合理"), ("2011/12/31", "不合理"), ("150/01/01", "不合理"),
        ("2018/02/30", "不存在的日期"), ("99999/01/01", "無法辨識"), ("2018-13-01", "不存在的日期"),
        ("明天", "無法辨識"), ("1/1/1", "無法辨識")]):
    add(f"date_{i:02d}.csv", "usage", usage_cell(5, value), fragment, 2, "上架日")
add("as_of_future.csv", "usage", csv_(GOOD), "資料日期 2999-01-01 不合理", as_of="2999-01-01")
add("as_of_ancient.csv", "usage", csv_(GOOD), "資料日期 1999-01-01 不合理", as_of="1999-01-01")
# --- agencies (refused when the caller passes the known agencies) --------------------------------
add("agency_mars.csv", "usage", csv_("火星部,甲,1,2,,"), "火星部", 2, "提供機關名稱", known=True)
add("agency_option_mars.csv", "usage", csv_("甲,1,2", header="資料集名稱,瀏覽次數,下載次數"), "火星部",
    agency="火星部", known=True)
add("agency_typo.csv", "usage", csv_("勞動部勞工保險居,甲,1,2,,"), "勞工保險居", 2, "提供機關名稱", known=True)
add("meetings_mars.csv", "meetings", csv_("火星部,106/03/15,會", header="機關,會議日期,備註"), "火星部", 2, "機關",
    as_of=None, known=True)
add("feedback_mars.csv", "feedback", csv_("1,2018-07-02 09:15,標題,資料,火星部", header="ID,發表時間,標題,資料集名稱,提供機關"),
    "火星部", 2, "提供機關", known=True)
add("requests_mars.csv", "requests", csv_("R1,請開放,2018-05-02,火星部", header="ID,開放建議標題,發表日期,實際派發機關"),
    "火星部", 2, "實際派發機關", known=True)
# --- accepted: strange but legitimate -------------------------------------------------------------
add("ok_tab_in_name.csv", "usage", csv_('勞動部,"甲\t乙",1,2,,', '勞動部,"丙\n丁",1,2,,'), accept=True)
add("ok_formula_text.csv", "usage", csv_("勞動部,=SUM(A1:A9),5,3,,"), accept=True)
add("ok_fullwidth.csv", "usage", csv_("勞動部,乙,１２３,\"4,567\",,１０７／０７／０１"), accept=True)
add("ok_cp950.csv", "usage", csv_("勞動部,勞工保險局簡介,\"1,234\",56,,107/07/01", enc="cp950"), accept=True)
add("ok_huge_dimension.xlsx", "usage", X.usage_book([["勞動部", "甲", 1, 2, "", "2018/01/02"]],
                                                   dimension="A1:XFD1048576"), accept=True)
add("ok_date_cells.xlsx", "usage", X.book(X.sheet(X.rows_xml([X.USAGE_HEADER]) +
                                                  '<row r="2">' + X.cell("A2", "勞動部") + X.cell("B2", "甲") +
                                                  X.cell("C2", 3) + X.cell("D2", 4) + X.cell("F2", 43101, 1) +
                                                  "</row>"), styles=X.DATE_STYLES), accept=True)
GZIP_CSV = gzip.compress(csv_(GOOD), mtime=0)
add("gzip_as_csv.csv", "usage", GZIP_CSV, "二進位" if b"\x00" in GZIP_CSV[:65536] else None)

from tests.hostile import corpus_more  # noqa: E402,F401  (XLSX, JSON and the other kinds)


def write_small(folder: Path = FILES) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    for case in CASES:
        if case.data is not None:
            (folder / case.name).write_bytes(case.data)
    return sum(c.data is not None for c in CASES)


if __name__ == "__main__":  # run as a script this module is __main__; the cases live in the package's
    from tests.hostile import corpus

    print(corpus.write_small(), "files written to", FILES)
