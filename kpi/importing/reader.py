"""Read a CSV (UTF-8, UTF-8 with BOM, CP950/Big5) or XLSX file into a frame of text cells.

Everything comes back as ``str`` so each kind's validator decides what a cell means and can
name the row and column of a bad one.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kpi.importing.errors import ImportRefused, Problem

MAX_BYTES = 200 * 1024 * 1024
MAX_CELL = 10_000  # characters; a longer cell is a broken file, not a dataset name
ENCODINGS = ("utf-8-sig", "cp950", "big5hkscs")


@dataclass
class RawTable:
    frame: pd.DataFrame
    encoding: str
    file_format: str


def read_table(path: Path, display_name: str | None = None) -> RawTable:
    name = display_name or path.name
    data = path.read_bytes()
    if not data.strip():
        raise ImportRefused(Problem(name, "檔案是空的"))
    if len(data) > MAX_BYTES:
        raise ImportRefused(Problem(name, f"檔案大小 {len(data):,} 位元組超過上限 {MAX_BYTES:,}"))
    if data[:2] == b"PK":
        return _read_xlsx(data, name)
    if b"\x00" in data[:65536]:
        raise ImportRefused(Problem(name, "這不是文字檔（含二進位內容）；請提供 CSV 或 XLSX"))
    text, encoding = _decode(data, name)
    return RawTable(_parse_csv(text, name), encoding, "csv")


def _decode(data: bytes, name: str) -> tuple[str, str]:
    for enc in ENCODINGS:
        try:
            return data.decode(enc), ("utf-8" if enc == "utf-8-sig" and not
                                      data.startswith(b"\xef\xbb\xbf") else enc)
        except UnicodeDecodeError:
            continue
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ImportRefused(Problem(name, "無法辨識的文字編碼（可接受 UTF-8、UTF-8 BOM、CP950/Big5）",
                                    row=line)) from None
    raise AssertionError("unreachable")


def _parse_csv(text: str, name: str) -> pd.DataFrame:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as err:
        raise ImportRefused(Problem(name, f"CSV 格式錯誤（{err}），可能是引號未閉合或檔案被截斷",
                                    row=reader.line_num)) from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ImportRefused(Problem(name, "檔案沒有任何資料列"))
    return _frame(rows, name)


def _read_xlsx(data: bytes, name: str) -> RawTable:
    try:
        book = pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=str, header=None,
                             keep_default_na=False, engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as err:
        raise ImportRefused(Problem(name, f"無法讀取 Excel 檔（{type(err).__name__}）")) from None
    rows = [[("" if v is None else str(v)) for v in row] for row in book.itertuples(index=False)]
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ImportRefused(Problem(name, "Excel 第一個工作表沒有任何資料列"))
    return RawTable(_frame(rows, name), "xlsx", "xlsx")


def _frame(rows: list[list[str]], name: str) -> pd.DataFrame:
    header = [unicodedata.normalize("NFKC", h).strip().lstrip("\ufeff") for h in rows[0]]
    while header and header[-1] == "":
        header.pop()
    if not header:
        raise ImportRefused(Problem(name, "第一列沒有欄位名稱", row=1))
    width = len(header)
    body = []
    for i, row in enumerate(rows[1:], start=2):
        extra = [c for c in row[width:] if c.strip()]
        if extra:
            raise ImportRefused(Problem(name, f"此列有 {len(row)} 欄，表頭只有 {width} 欄", row=i))
        cells = (row + [""] * width)[:width]
        for col, cell in zip(header, cells, strict=True):
            if len(cell) > MAX_CELL:
                raise ImportRefused(Problem(name, f"儲存格長度 {len(cell):,} 字元，超過上限 {MAX_CELL:,}",
                                            row=i, column=col))
        body.append(cells)
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame.index = range(2, 2 + len(body))  # spreadsheet row numbers
    return frame
