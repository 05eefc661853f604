"""A streaming XLSX reader with limits: the active visible sheet's cells as text rows, sparse.

The sheet read is the one Excel opens on (the active tab, if visible, else the first visible
one): a hidden sheet of stale counts is never what the office meant. A workbook whose only data
is on a hidden sheet, or whose visible sheets hold the same columns with different values, is
refused naming the sheets (see kpi/importing/xlsx_book.py).

Why not openpyxl or calamine: both build rows to the sheet's extent, so one cell at XFD1000000
in a 5 KB file asks for 16 billion cells. Here the sheet XML is read with expat in chunks, only
cells that hold a value are kept, and parts, cells, columns, strings and DTDs are bounded.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from xml.parsers import expat

from kpi.importing.errors import ImportRefused
from kpi.importing.reader import READ_SECONDS, refuse
from kpi.importing.xlsx_book import Sheet, Summary, choose, judge, summarize
from kpi.importing.xlsx_sheet import MAX_SEEN_CELLS, SheetHandler, Stop, local

MAX_PARTS = 1000
MAX_SMALL_PART = 16 * 1024 * 1024  # workbook, rels, styles
MAX_PART = 512 * 1024 * 1024  # declared unpacked size of the sheet or the shared strings
MAX_SHARED_CHARS = 50_000_000
CHUNK = 1 << 16
DATE_FORMAT_IDS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_DATE_CODE = re.compile(r"(?<!\\)[ymdhse]", re.IGNORECASE)


def xlsx_rows(data: bytes, name: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) for every row of the first sheet that holds a value."""
    try:
        yield from _rows(data)
    except Stop as stop:
        refuse(name, *stop.where)
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError, IndexError,
            RuntimeError, NotImplementedError, expat.ExpatError, UnicodeDecodeError) as err:
        refuse(name, f"無法讀取 Excel 檔（{type(err).__name__}），檔案可能損毀、被截斷或不是 XLSX")


def _rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    book = _Book(zipfile.ZipFile(io.BytesIO(data)), time.monotonic() + READ_SECONDS)
    infos = book.zip.infolist()
    if len(infos) > MAX_PARTS:
        raise Stop(f"Excel 檔含 {len(infos):,} 個內部檔案，不是正常的試算表")
    book.sizes = {i.filename: i.file_size for i in infos}
    for part, size in book.sizes.items():
        if size > MAX_PART:
            raise Stop(f"Excel 檔內的 {part} 解壓後 {size:,} 位元組，超過上限 {MAX_PART:,}（疑似壓縮炸彈）")
    sheets, active, epoch1904 = _workbook(book)
    chosen = choose(sheets, active)
    if chosen.path not in book.sizes:
        raise Stop("Excel 檔沒有任何工作表")
    shared = _shared_strings(book) if "xl/sharedStrings.xml" in book.sizes else []
    dates = _date_styles(book) if "xl/styles.xml" in book.sizes else set()
    epoch = dt.datetime(1904, 1, 1) if epoch1904 else dt.datetime(1899, 12, 30)

    def read(sheet: Sheet) -> Iterator[tuple[int, list[str]]]:
        handler = SheetHandler(shared, dates, epoch)
        for _ in book.chunks(sheet.path, _parser(handler.start, handler.end, handler.chars)):
            yield from handler.ready
            handler.ready.clear()

    others = [(s, summarize(read(s))) for s in sheets if s is not chosen and s.path in book.sizes]
    mine = Summary()
    for row in read(chosen):
        mine.add(row[1])
        yield row
    judge(chosen, mine, others)


class _Book:
    """The open zip, its parts' declared sizes and the read deadline shared by every part."""

    def __init__(self, zf: zipfile.ZipFile, deadline: float):
        self.zip, self.deadline, self.sizes = zf, deadline, {}

    def chunks(self, part: str, parser: expat.XMLParserType) -> Iterator[None]:
        """Feed one part to the parser chunk by chunk, under the read deadline."""
        with self.zip.open(part) as fh:
            while chunk := fh.read(CHUNK):
                parser.Parse(chunk, False)
                if time.monotonic() > self.deadline:
                    raise Stop(f"讀取超過 {READ_SECONDS:.0f} 秒仍未完成，檔案過大或格式異常")
                yield
        parser.Parse(b"", True)
        yield

    def feed(self, part: str, parser: expat.XMLParserType, limit: int = MAX_PART) -> None:
        if self.sizes.get(part, 0) > limit:
            raise Stop(f"Excel 檔內的 {part} 過大")
        for _ in self.chunks(part, parser):
            pass


def _parser(start: Callable | None = None, end: Callable | None = None,
            chars: Callable | None = None) -> expat.XMLParserType:
    p = expat.ParserCreate()

    def no_dtd(*_):
        raise Stop("Excel 檔內含 DTD 宣告，不是正常的試算表")

    p.StartDoctypeDeclHandler = no_dtd
    p.EntityDeclHandler = no_dtd
    p.buffer_text = True
    p.buffer_size = CHUNK
    if start:
        p.StartElementHandler = start
    if end:
        p.EndElementHandler = end
    if chars:
        p.CharacterDataHandler = chars
    return p


def _local_attr(attrs: dict[str, str], name: str) -> str | None:
    for key, value in attrs.items():
        if key.rpartition(":")[2] == name:
            return value
    return None


def _workbook(book: _Book) -> tuple[list[Sheet], int, bool]:
    """Every sheet (name, part, hidden) in tab order, the active tab and the 1904 date flag."""
    found: dict[str, object] = {"1904": False, "active": 0}
    listed: list[tuple[str, str, bool]] = []

    def on_book(tag: str, attrs: dict[str, str]) -> None:
        tag = local(tag)
        if tag == "sheet":
            listed.append((attrs.get("name", ""), _local_attr(attrs, "id") or "",
                           attrs.get("state", "visible") in ("hidden", "veryHidden")))
        elif tag == "workbookView" and "view" not in found:
            found["view"] = True
            tab = attrs.get("activeTab", "0")
            found["active"] = int(tab) if tab.isdigit() else 0
        elif tag == "workbookPr":
            found["1904"] = attrs.get("date1904", "").lower() in ("1", "true")

    targets: dict[str, str] = {}

    def on_rels(tag: str, attrs: dict[str, str]) -> None:
        tag = local(tag)
        if tag == "Relationship" and "Id" in attrs and "Target" in attrs:
            targets[attrs["Id"]] = attrs["Target"]

    for part, handler in (("xl/workbook.xml", on_book), ("xl/_rels/workbook.xml.rels", on_rels)):
        if part in book.sizes:
            book.feed(part, _parser(start=handler), MAX_SMALL_PART)
    sheets = []
    for name, rid, hidden in listed:
        target = targets.get(rid)
        if target:
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            sheets.append(Sheet(name, posixpath.normpath(path), hidden))
    if not sheets:  # no workbook part: the first worksheet part, as before
        parts = sorted(n for n in book.sizes if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        sheets = [Sheet("工作表1", parts[0] if parts else "xl/worksheets/sheet1.xml", False)]
    return sheets, int(found["active"]), bool(found["1904"])


def _shared_strings(book: _Book) -> list[str]:
    strings: list[str] = []
    state = {"si": False, "t": False, "rph": 0, "chars": 0}
    parts: list[str] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = local(tag)
        if tag == "si":
            state["si"] = True
            parts.clear()
        elif tag == "rPh":
            state["rph"] += 1
        elif tag == "t":
            state["t"] = True

    def end(tag: str) -> None:
        tag = local(tag)
        if tag == "si":
            strings.append("".join(parts))
            state["si"] = False
            if len(strings) > MAX_SEEN_CELLS:
                raise Stop("Excel 檔的共用字串數量超過上限")
        elif tag == "rPh":
            state["rph"] -= 1
        elif tag == "t":
            state["t"] = False

    def chars(text: str) -> None:
        if state["si"] and state["t"] and not state["rph"]:
            parts.append(text)
            state["chars"] += len(text)
            if state["chars"] > MAX_SHARED_CHARS:
                raise Stop(f"Excel 檔的文字總量超過上限 {MAX_SHARED_CHARS:,} 字元")

    book.feed("xl/sharedStrings.xml", _parser(start, end, chars))
    return strings


def _date_styles(book: _Book) -> set[int]:
    """Indexes of cell formats (cellXfs) that show a number as a date."""
    custom: dict[int, bool] = {}
    xfs: list[int] = []
    where = {"cellXfs": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = local(tag)
        if tag == "numFmt":
            code = re.sub(r'"[^"]*"|\[[^\]]*\]', "", attrs.get("formatCode", ""))
            custom[int(attrs.get("numFmtId", "-1"))] = bool(_DATE_CODE.search(code))
        elif tag == "cellXfs":
            where["cellXfs"] = True
        elif tag == "xf" and where["cellXfs"]:
            xfs.append(int(attrs.get("numFmtId", "0")))

    p = _parser(start=start)
    p.EndElementHandler = lambda n: where.update(cellXfs=False) if n.endswith("cellXfs") else None
    book.feed("xl/styles.xml", p, MAX_SMALL_PART)
    return {i for i, f in enumerate(xfs) if custom.get(f, f in DATE_FORMAT_IDS)}
