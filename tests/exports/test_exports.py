"""Print-ready exports (issue 11): every sheet of every workbook prints as a finished document,
page counts stay within the targets, file names say what is inside, and the PDF brief is one page
with the report's figures."""

import datetime as dt
import io
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from kpi.exports import build, fixlist_book, pack_book, ranking_book
from kpi.exports.names import file_name
from kpi.exports.pages import page_count
from kpi.exports.workbook import Book, Col
from kpi.metrics.scope import Scope, resolve_scope
from kpi.reference.agencies import MINISTRY_AGENCIES
from kpi.reference.dates import roc

MINUTES = dt.date(2017, 10, 30)


def _books(gw):
    default, minutes = resolve_scope(gw), resolve_scope(gw, as_of=MINUTES)
    return {
        "pack": (default, pack_book(gw, default).close()),
        "pack_minutes": (minutes, pack_book(gw, minutes, days="working").close()),
        "ranking_views": (default, ranking_book(gw, default, "views").close()),
        "fixlist": (default, fixlist_book(gw, default).close()),
    }


def test_every_sheet_prints_as_a_finished_document(gw):
    for kind, (scope, data) in _books(gw).items():
        book = openpyxl.load_workbook(io.BytesIO(data))
        for ws in book.worksheets:
            where = f"{kind}/{ws.title}"
            assert ws["A1"].value and ws["A1"].font.b, where
            scope_row = ws["A2"].value
            assert f"資料日期：{roc(scope.as_of, 'long')}" in scope_row, where
            assert "機關：勞動部及所屬" in scope_row and "期間：" in scope_row, where
            assert "產製時間：民國" in scope_row, where
            setup = ws.page_setup
            assert setup.orientation == "landscape" and int(setup.paperSize) == 9, where
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            # an absent fitToWidth is OOXML's default, 1 (xlsxwriter leaves the default out)
            assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0), where
            assert ws.print_title_rows == "$3:$3", where
            footer = ws.oddFooter.center.text
            assert "&P" in footer and "&N" in footer and footer.startswith("第"), where
            assert ws.freeze_panes == "A4", where
            assert ws["A3"].font.b and ws.row_dimensions[3].height, where
            numbers = 0
            for row in ws.iter_rows(min_row=4):
                for cell in row:
                    assert cell.data_type != "f", f"{where}!{cell.coordinate}"
                    if cell.data_type == "n" and cell.value is not None:
                        numbers += 1
                        assert cell.number_format != "General", f"{where}!{cell.coordinate}"
            if ws.title in ("附件一", "KPI摘要"):
                assert numbers > 10, where


def test_column_widths_fit_chinese_headers(gw):
    book = openpyxl.load_workbook(io.BytesIO(pack_book(gw, resolve_scope(gw)).close()))
    ws = book["附件一"]
    header = {c.value: c.column_letter for c in ws[3]}
    name_width = ws.column_dimensions[header["資料集名稱"]].width
    assert name_width >= 40  # 20 Chinese characters on one line
    for head, letter in header.items():  # a header wraps to at most two lines
        assert ws.column_dimensions[letter].width * 2 >= len(head) * 2 * 0.9 - 2, head


def test_attachment_three_has_both_texts_wrapped(gw):
    scope = resolve_scope(gw, as_of=MINUTES)
    ws = openpyxl.load_workbook(io.BytesIO(pack_book(gw, scope).close()))["附件三"]
    header = [c.value for c in ws[3]]
    for col in ("發表日期", "標題", "資料集", "機關", "狀態", "意見內容", "機關首次回應日期", "回應內容",
                "回復天數（日曆日）", "回復天數（工作日）", "是否 6 日內（日曆日）"):
        assert col in header, col
    reply = header.index("回應內容") + 1
    texts = [ws.cell(row=r, column=reply).value for r in range(4, ws.max_row + 1)]
    assert len(texts) == 35 and sum(bool(t) and len(t) > 100 for t in texts) >= 5
    longest = max(range(4, ws.max_row + 1), key=lambda r: len(ws.cell(row=r, column=reply).value or ""))
    assert ws.cell(row=longest, column=reply).alignment.wrap_text
    assert ws.row_dimensions[longest].height > 3 * 13  # sized to the wrapped reply
    dates = [ws.cell(row=r, column=header.index("發表日期") + 1).value for r in range(4, 39)]
    assert all(d.startswith("106/") for d in dates)


@pytest.mark.parametrize("by,label", [("views", "累計瀏覽量"), ("downloads", "累計下載量")])
def test_ranking_in_both_orders(gw, by, label):
    ws = openpyxl.load_workbook(io.BytesIO(ranking_book(gw, resolve_scope(gw), by).close()))["附件一"]
    assert f"依{label}排序" in ws["A1"].value
    header = [c.value for c in ws[3]]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    total = next(i for i, r in enumerate(rows) if r[1] == "合計")
    values = [r[header.index(label)] for r in rows[:total]]
    other = [r[header.index("累計下載量" if by == "views" else "累計瀏覽量")] for r in rows[:total]]
    assert values == sorted(values, reverse=True) and other != sorted(other, reverse=True)
    assert len(values) == 565 and rows[total][header.index(label)] == sum(values)


def test_page_counts_within_targets(gw):
    """Counted from the sheets' own column widths and row heights at the fit-to-width scale."""
    default = pack_book(gw, resolve_scope(gw))
    pages = {layout.name: page_count(layout) for layout in default.layouts}
    # 附件一's 562 datasets within 19 pages, the notes within 3, every other sheet on one page
    # (issue 22 adds 使用量變化, issue 25 民眾使用分析 and 無人下載資料集: one page each)
    assert pages["附件一"] <= 19 and pages["計算說明"] <= 3, pages
    assert all(n == 1 for name, n in pages.items() if name not in ("附件一", "計算說明")), pages
    assert len(pages) == 10 and all(n >= 1 for n in pages.values())
    minutes = ranking_book(gw, resolve_scope(gw, as_of=MINUTES))
    (layout,) = minutes.layouts
    # title, scope, header, 562 datasets, 合計, then a blank row and the 服務分類 note (issue 25)
    assert len(layout.heights) == 3 + 562 + 1 + 2
    assert 9 <= page_count(layout) <= 15  # 562 rows cannot honestly fit on fewer than 9 pages


@pytest.mark.slow  # ≈3 s: the full suite runs it, the quick loop does not
def test_libreoffice_prints_within_targets(gw, tmp_path):
    """Cross-check with a real renderer: LibreOffice Calc prints both workbooks to PDF (scripts/test.sh
    installs libreoffice-calc-nogui; without it this fails rather than skips)."""
    assert shutil.which("soffice"), "no soffice: bash scripts/test.sh installs libreoffice-calc-nogui"
    from pypdf import PdfReader

    (tmp_path / "pack.xlsx").write_bytes(pack_book(gw, resolve_scope(gw)).close())
    (tmp_path / "ranking.xlsx").write_bytes(ranking_book(gw, resolve_scope(gw, as_of=MINUTES)).close())
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "pack.xlsx"),
                    str(tmp_path / "ranking.xlsx")], check=True, capture_output=True, timeout=240)
    pack, ranking = (PdfReader(tmp_path / f"{n}.pdf") for n in ("pack", "ranking"))
    assert len(pack.pages) <= 25 and len(ranking.pages) <= 15
    page = ranking.pages[1]
    assert page.mediabox.width > page.mediabox.height  # landscape
    assert "第 2 頁，共" in page.extract_text()


def test_text_never_becomes_a_formula(gw):
    scope = resolve_scope(gw)
    book = Book(scope)
    evil = ['=HYPERLINK("http://x","點我")', "+886-2-1234", "-1+2", "@SUM(A1)", "=1+1"]
    book.sheet("測試", "測試", pd.DataFrame({"name": evil}), [Col("name", "資料集名稱")])
    ws = openpyxl.load_workbook(io.BytesIO(book.close()))["測試"]
    cells = [ws.cell(row=r, column=1) for r in range(4, 4 + len(evil))]
    assert [c.value for c in cells] == evil and all(c.data_type == "s" for c in cells)


def test_file_names_say_what_is_inside(gw):
    one = Scope(dt.date(2018, 7, 20), dt.date(2017, 10, 30), ("勞動部勞工保險局",))
    assert file_name("ranking", one) == "勞動部開放資料_附件一_依下載量_107年07月20日_勞保局.xlsx"
    assert file_name("ranking", one, "views") == "勞動部開放資料_附件一_依瀏覽量_107年07月20日_勞保局.xlsx"
    everyone = resolve_scope(gw)
    assert file_name("pack", everyone) == \
        "勞動部開放資料_會議資料_106年10月30日至107年07月20日_勞動部及所屬.xlsx"
    assert file_name("brief", resolve_scope(gw, since=None, since_given=True)) == \
        "勞動部開放資料_會議摘要_107年07月20日_勞動部及所屬.pdf"
    data, name, mime = build("fixlist", gw, everyone)
    assert name.endswith("_品質待改善清單_107年07月20日_勞動部及所屬.xlsx")
    assert mime.endswith("spreadsheetml.sheet") and data[:2] == b"PK"


def test_brief_is_one_page_with_the_report_figures(gw):
    from pypdf import PdfReader

    from kpi.report import build_report

    scope = resolve_scope(gw)
    data, name, mime = build("brief", gw, scope)
    assert mime == "application/pdf" and name.endswith(".pdf")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
    # pypdf reads fpdf2's embedded Identity-H encoding as two-byte codes and puts a NUL before
    # each glyph (poppler's pdftotext reads the same file cleanly); compare without NULs and spaces
    text = "".join(page.extract_text().replace("\x00", "").split())
    total = build_report(gw, scope)["total"]
    for figure in (f"{total['datasets']}項", f"{total['views']:,}", f"{total['downloads']:,}",
                   f"淨變化{total['views_change']['net']:+,}", f"淨變化{total['downloads_change']['net']:+,}",
                   f"+{total['views_change']['increase']:,}", f"+{total['downloads_change']['increase']:,}"):
        assert figure in text, figure
    for agency in MINISTRY_AGENCIES:
        assert agency.short in text, agency.short
    assert "資料日期：民國107年7月20日" in text and "期間：民國106年10月30日至民國107年7月20日" in text
    for words in ("達成", "未達", "無資料", "6日內回復", "逾期未回復"):
        assert words in text, words
