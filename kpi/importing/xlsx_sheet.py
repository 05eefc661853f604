"""expat handlers for one XLSX worksheet: sparse rows of text, formulas and overflows refused.

Kept apart from the zip/book handling because this part runs once per XML element and is
written for speed (plain attributes, no namespace processing, cached tag names)."""

from __future__ import annotations

import datetime as dt
import math

from kpi.importing.reader import MAX_CELL, MAX_COLUMNS

MAX_SEEN_CELLS = 3_000_000  # <c> elements read, blank ones included (~15 s at worst)
MAX_SHEET_ROW = 1_048_576  # Excel's own limit
_LOCAL: dict[str, str] = {}


class Stop(Exception):
    """A refusal found inside an expat callback; turned into ImportRefused by the caller."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.where = (message, row, column)


def local(tag: str) -> str:
    """'x:c' and 'c' are the same element (writers differ in namespace prefixes)."""
    name = _LOCAL.get(tag)
    if name is None:
        name = _LOCAL[tag] = tag.rpartition(":")[2]
    return name


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def number_text(text: str, style: int, dates: set[int], epoch: dt.datetime) -> str:
    try:
        value = float(text)
    except ValueError:
        return text
    if not math.isfinite(value):
        return text
    if style in dates and 0 <= value < 2958466:  # up to 9999-12-31
        moment = epoch + dt.timedelta(days=value)
        moment = moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))
        if epoch.year == 1899 and value < 61:  # Excel's phantom 1900-02-29
            moment += dt.timedelta(days=1)
        return moment.strftime("%Y-%m-%d" if moment.time() == dt.time() else "%Y-%m-%d %H:%M:%S")
    if value.is_integer():
        return str(int(value))
    return repr(value)


class SheetHandler:
    """expat handlers for one worksheet; plain attributes because they run once per element."""

    def __init__(self, shared: list[str], dates: set[int], epoch: dt.datetime):
        self.shared, self.dates, self.epoch = shared, dates, epoch
        self.ready: list[tuple[int, list[str]]] = []
        self.cells: dict[int, str] = {}
        self.text: list[str] = []
        self.row = self.last_row = self.seen = self.nchars = self.rph = 0
        self.col, self.kind, self.style, self.in_text = -1, "n", 0, False
        self.columns: dict[str, int] = {}

    def where(self) -> tuple[int, str]:
        return self.row, f"第 {column_letters(self.col)} 欄"

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = local(tag)
        if tag == "c":
            self.seen += 1
            if self.seen > MAX_SEEN_CELLS:
                raise Stop(f"工作表的儲存格超過 {MAX_SEEN_CELLS:,} 個（含空白格），請只匯出需要的範圍",
                            self.row)
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                col = self.columns.get(letters)
                if col is None:
                    if not letters.isalpha() or not letters.isupper() or len(letters) > 3:
                        raise Stop(f"儲存格位置「{ref[:20]}」無效", self.row)
                    col = self.columns[letters] = _col_index(letters)
                self.col = col
            else:
                self.col += 1
            self.kind, self.style = attrs.get("t", "n"), attrs.get("s", 0)
            self.nchars = 0
            self.text.clear()
        elif tag == "v" or tag == "t":
            self.in_text = True
        elif tag == "row":
            r = attrs.get("r")
            self.row = int(r) if r and r.isdigit() else self.row + 1
            if self.row <= self.last_row or self.row > MAX_SHEET_ROW:
                raise Stop("工作表的列號順序錯亂或超出範圍", self.row)
            self.col = -1
            self.cells.clear()
        elif tag == "f":
            raise Stop("儲存格含公式；請複製後「選擇性貼上：值」再匯入", *self.where())
        elif tag == "rPh":
            self.rph += 1

    def end(self, tag: str) -> None:
        tag = local(tag)
        if tag == "c":
            value = self.value("".join(self.text))
            if value.strip():
                if self.col >= MAX_COLUMNS:
                    raise Stop(f"資料超出第 {MAX_COLUMNS} 欄", *self.where())
                self.cells[self.col] = value
        elif tag == "v" or tag == "t":
            self.in_text = False
        elif tag == "row":
            self.last_row = self.row
            if self.cells:
                row = [""] * (max(self.cells) + 1)
                for col, value in self.cells.items():
                    row[col] = value
                self.ready.append((self.row, row))
        elif tag == "rPh":
            self.rph -= 1

    def chars(self, data: str) -> None:
        if self.in_text and not self.rph:
            self.nchars += len(data)
            if self.nchars > MAX_CELL * 4:
                raise Stop(f"儲存格超過上限 {MAX_CELL:,} 字元", *self.where())
            self.text.append(data)

    def value(self, raw: str) -> str:
        kind = self.kind
        if kind == "s":
            if not raw.strip().isdigit() or int(raw) >= len(self.shared):
                raise Stop("儲存格指向不存在的共用字串", *self.where())
            return self.shared[int(raw)]
        if kind == "b":
            return "TRUE" if raw.strip() == "1" else "FALSE"
        if kind in ("inlineStr", "str", "e", "d"):
            return raw
        style = int(self.style) if str(self.style).isdigit() else 0
        return number_text(raw.strip(), style, self.dates, self.epoch)
