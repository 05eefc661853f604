"""Read a CSV (UTF-8, UTF-8 with BOM, CP950/Big5) or XLSX file into a frame of text cells.

Everything comes back as ``str`` so each kind's validator decides what a cell means and can
name the row and column of a bad one. Every read is bounded (bytes, rows, columns, cells, time)
so a hostile file is refused quickly instead of taking the process's memory: an import must
finish or be refused within 60 s and 1 GB whatever the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kpi.config.tunables import default
from kpi.importing.errors import ImportRefused, Problem
from kpi.importing.textcheck import CONTROL as CONTROL  # qc.py checks its JSON cells with it
from kpi.importing.textcheck import control_char, unusable_char, utf8_misread

MAX_IMPORT_BYTES = default("MAX_IMPORT_BYTES")  # kpi/config/tunables.py
MAX_BYTES = MAX_IMPORT_BYTES  # old name, kept for callers
MAX_ROWS = 500_000  # the whole portal is ~53,000 datasets; 10× that is a broken file
MAX_COLUMNS = 200  # the widest real layout (catalogue) has 22
# cells kept (rows × header width): ~170 bytes each once validated, so 2 million (the national
# catalogue is 1.2 million) parse in ~500 MB and ~10 s, leaving room in 1 GB for the rest
MAX_CELLS = 2_000_000
MAX_CELL = 10_000  # characters; a longer cell is a broken file, not a dataset name
MAX_LINE = 1_000_000  # characters in one physical line of a CSV
# the csv module's own cell limit: a quote left open stops here, well past MAX_CELL (a longer cell
# is refused with its row and column after reading). The limit is process-wide and a library may
# raise it when imported (frictionless sets sys.maxsize-like values), so every read sets it again.
FIELD_LIMIT = 131_072
READ_SECONDS = 40.0  # reading alone must leave time for validation within the 60 s promise
ENCODINGS = ("utf-8-sig", "cp950", "big5hkscs")
CHUNK = 1 << 20
MAX_PROBLEMS = 50
# characters held in cells at once (~25 bytes each while validating): a 54,000-row national-size
# catalogue holds 12.6 million; past 20 million a file is refused before it fills 1 GB (the issue's
# 189 MB of 10,000-character names is ~63 million)
MAX_TEXT_CHARS = 20_000_000


@dataclass
class RawTable:
    frame: pd.DataFrame
    encoding: str
    file_format: str


def refuse(name: str, message: str, row: int | None = None, column: str | None = None):
    raise ImportRefused(Problem(name, message, row, column))


def too_big(name: str, size: int) -> None:
    if size > MAX_IMPORT_BYTES:
        refuse(name, f"檔案大小 {size:,} 位元組超過上限 {MAX_IMPORT_BYTES:,}"
                     f"（{MAX_IMPORT_BYTES // (1024 * 1024)} MB），請分批匯出")


def read_bounded(path: Path, name: str | None = None) -> bytes:
    """The file's bytes, read once, after its size is checked (and never more than the limit)."""
    name = name or path.name
    try:
        too_big(name, path.stat().st_size)
        with open(path, "rb") as fh:
            data = fh.read(MAX_IMPORT_BYTES + 1)
    except OSError as err:
        refuse(name, f"無法讀取檔案（{err.strerror or type(err).__name__}）")
    too_big(name, len(data))  # the file grew after stat
    return data


def read_table(source: Path | bytes, display_name: str | None = None) -> RawTable:
    if isinstance(source, bytes | bytearray | memoryview):
        name = display_name or "upload"
        data = bytes(source)
        too_big(name, len(data))
    else:
        name = display_name or source.name
        data = read_bounded(source, name)
    if not data or data.isspace():  # isspace, not strip: no copy of a big file
        refuse(name, "檔案是空的")
    if data[:2] == b"PK":
        from kpi.importing.xlsx import xlsx_rows

        return RawTable(frame_from_rows(xlsx_rows(data, name), name), "xlsx", "xlsx")
    if _binary(data[:65536]):
        refuse(name, "這不是文字檔（含二進位內容）；請提供 CSV 或 XLSX（舊版 .xls 請另存為 .xlsx）")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:2] in (b"[{", b'{"'):
        refuse(name, "這是 JSON 檔，不是 CSV 或 XLSX（品質檢測結果請選 qc 種類匯入）", row=1)
    encoding, label = _detect_encoding(data, name)
    return RawTable(frame_from_rows(_csv_rows(data, encoding, name), name, encoding=encoding),
                    label, "csv")


MAGIC = (b"\x89PNG", b"%PDF", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0", b"\x7fELF", b"\x1f\x8b",
         b"MZ", b"Rar!", b"7z\xbc\xaf")


def _binary(head: bytes) -> bool:
    """Known binary formats, or NUL bytes that are more than a stray one in a cell (UTF-16 files
    are half NULs); a stray NUL is refused later with its row and column."""
    nuls = head.count(0)
    return head.startswith(MAGIC) or (nuls >= 2 and nuls * 200 > len(head))


def _detect_encoding(data: bytes, name: str) -> tuple[str, str]:
    """First encoding that decodes every byte; decoded in chunks so nothing big is kept. When
    none does, the row named is where the encoding that got furthest stopped (a CP950 file with
    one bad byte on row 12 is refused naming row 12, not row 1 where UTF-8 gave up)."""
    furthest = 0
    for enc in ENCODINGS:
        decoder, at = codecs.getincrementaldecoder(enc)(), 0
        try:
            for at in range(0, len(data), CHUNK):
                decoder.decode(data[at:at + CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as err:
            furthest = max(furthest, at + err.start - len(decoder.getstate()[0]))
            continue
        if enc == "utf-8-sig" and not data.startswith(codecs.BOM_UTF8):
            return enc, "utf-8"
        return enc, enc
    refuse(name, "無法辨識的文字編碼（可接受 UTF-8、UTF-8 BOM、CP950/Big5）",
           row=data.count(b"\n", 0, furthest) + 1)


def _csv_rows(data: bytes, encoding: str, name: str) -> Iterator[tuple[int, list[str]]]:
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(_lines(stream, name), strict=True)
    record = 0
    try:
        for record, row in enumerate(reader, start=1):
            yield record, row
    except csv.Error as err:
        text = str(err)
        if "field larger than field limit" in text:
            refuse(name, f"儲存格超過上限 {MAX_CELL:,} 字元（可能是引號未閉合）", row=record + 1)
        if "unexpected end of data" in text:
            refuse(name, "CSV 格式錯誤：檔案在引號內結束（引號未閉合或檔案被截斷），請重新下載完整檔案",
                   row=record + 1)
        refuse(name, "CSV 格式錯誤：引號的位置不對（引號後緊接其他字元），可能是引號未閉合或檔案被截斷",
               row=record + 1)


# The portal's exports write `, "name"` meaning the quoted name; only spaces right before an
# opening quote go (skipinitialspace would also trim the leading spaces names are published with)
_SPACE_QUOTE = re.compile(r'(^|,)[ \t]+"(?!")')


def _lines(stream: io.TextIOWrapper, name: str) -> Iterator[str]:
    """Physical lines, none longer than MAX_LINE: a 100 MB file without a line break is refused
    instead of being read (and copied) as one string."""
    number = 0
    while line := stream.readline(MAX_LINE):
        number += 1
        if len(line) == MAX_LINE and not line.endswith(("\n", "\r")):
            refuse(name, f"此行超過上限 {MAX_LINE:,} 字元，不是正常的 CSV", row=number)
        yield _SPACE_QUOTE.sub(r'\1"', line) if '"' in line else line


def frame_from_rows(rows: Iterable[tuple[int, list[str]]], name: str,
                    encoding: str | None = None) -> pd.DataFrame:
    """Header = first non-blank row; cells kept as text, column-wise, under every limit.

    Rows are numbered as the file numbers its records (header = 1 when it is the first line),
    so a refusal points at the row a spreadsheet shows. ``encoding`` is given for a CSV: its
    rows must then have every field of the header (a short row is a file cut short, not blanks;
    an XLSX row simply has no cell for an empty value), and CP950 cells are checked for UTF-8."""
    deadline = time.monotonic() + READ_SECONDS
    it = iter(rows)
    header: list[str] | None = None
    for number, row in it:
        if any(c.strip() for c in row):
            header, header_row = _header(row, name, number), number
            break
    if header is None:
        refuse(name, "檔案沒有任何資料列")
    width = len(header)
    columns: list[list[str]] = [[] for _ in header]
    index: list[int] = []
    problems: list[Problem] = []
    records = held = 0
    short: list[Problem] = []  # refused by the caller once the header itself is known good
    misread = encoding in ("cp950", "big5hkscs")
    for number, row in it:
        records += 1
        if records > MAX_ROWS or (len(index) + 1) * width > MAX_CELLS:
            refuse(name, f"資料超過上限（最多 {MAX_ROWS:,} 列、{MAX_CELLS:,} 個儲存格），請分批匯入",
                   row=number)
        if records % 4096 == 0 and time.monotonic() > deadline:
            refuse(name, f"讀取超過 {READ_SECONDS:.0f} 秒仍未完成，檔案過大或格式異常", row=number)
        if not any(c.strip() for c in row):
            continue
        if len(row) > width and any(c.strip() for c in row[width:]):
            refuse(name, f"此列有 {len(row)} 欄，表頭只有 {width} 欄", row=number)
        if encoding is not None and len(row) < width and len(short) < MAX_PROBLEMS:
            short.append(Problem(name, f"此列只有 {len(row)} 欄，表頭有 {width} 欄（缺「{header[len(row)]}」"
                                       "起的欄位），檔案可能被截斷或少了分隔符號", number, header[len(row)]))
        for col, cell in enumerate(row[:width]):
            held += len(cell)
            if len(cell) > MAX_CELL:
                problems.append(Problem(name, f"儲存格長度 {len(cell):,} 字元，超過上限 {MAX_CELL:,}",
                                        number, header[col]))
            elif (why := control_char(cell) or unusable_char(cell)
                  or (utf8_misread(cell, encoding) if misread else None)) is not None:
                problems.append(Problem(name, why, number, header[col]))
            columns[col].append(cell)
        if held > MAX_TEXT_CHARS:
            refuse(name, f"檔案的文字總量超過上限 {MAX_TEXT_CHARS:,} 字元，請分批匯入", row=number)
        for col in range(len(row), width):
            columns[col].append("")
        index.append(number)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ImportRefused(problems)
    if not index:
        refuse(name, "檔案沒有任何資料列")
    frame = pd.DataFrame({h: pd.Series(c, dtype=object) for h, c in zip(header, columns, strict=True)
                          if h != ""})
    if any(h == "" for h in header):
        for col, h in enumerate(header):
            if h == "" and any(c.strip() for c in columns[col]):
                refuse(name, f"第 {col + 1} 欄有資料但沒有欄位名稱", row=header_row)
    frame.index = index  # the file's row numbers
    frame.attrs["short_rows"] = short
    return frame


def _header(row: list[str], name: str, at: int) -> list[str]:
    header = [unicodedata.normalize("NFKC", h).strip().lstrip("\ufeff").strip() for h in row]
    while header and header[-1] == "":
        header.pop()
    if not header:
        refuse(name, "第一列沒有欄位名稱", row=at)
    if len(header) > MAX_COLUMNS:
        refuse(name, f"表頭有 {len(header):,} 欄，超過上限 {MAX_COLUMNS}", row=at)
    for label in header:
        if len(label) > 200 or CONTROL.search(label) or "\n" in label or "\t" in label:
            refuse(name, "欄位名稱過長或含控制字元", row=at,
                   column=CONTROL.sub("?", label[:40]).replace("\n", " "))
    seen: dict[str, int] = {}
    for col, label in enumerate(header, start=1):
        if label and label in seen:
            refuse(name, f"欄位名稱重複（第 {seen[label]} 欄與第 {col} 欄），請刪除或改名其中一欄",
                   row=at, column=label)
        seen.setdefault(label, col)
    return header
