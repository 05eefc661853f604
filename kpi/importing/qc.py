"""QC kind: the portal's quality-check JSON (`/api/v2/rest/qc/{publisherOID}`).

The JSON is bounded before it is parsed (bytes, containers) and after (depth, types), so a file
nested 100,000 deep or holding millions of empty objects is refused, not a RecursionError or a
gigabyte of dicts. A value that should be text but is an object or a list is refused by name.
"""

from __future__ import annotations

import json

import pandas as pd

from kpi.importing.columns import EARLIEST, latest
from kpi.importing.errors import ImportRefused, Problem
from kpi.importing.reader import CONTROL, MAX_CELL, MAX_ROWS, refuse
from kpi.importing.textcheck import strip_invisible, unusable_char

FLAGS = ("linkable", "downloadable", "structure", "encoding_match", "desc_match", "csv")
TIMES = ("created", "request", "changed")
MAX_JSON_BYTES = 20 * 1024 * 1024  # one publisher's results; the largest real ones are ~1 MB
MAX_CONTAINERS = 500_000  # '[' and '{' counted in bytes (over-counts brackets inside strings)
MAX_DEPTH = 8  # real files: a list (or {"result": [...]}) of flat objects
TYPE_NAMES = {dict: "物件", list: "清單", bool: "布林值", float: "小數", type(None): "null"}


def parse_qc(data: bytes, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    if not data or data.isspace():  # isspace, not strip: no copy of a big file
        refuse(file, "檔案是空的")
    if len(data) > MAX_JSON_BYTES:
        refuse(file, f"JSON 檔 {len(data):,} 位元組，超過上限 {MAX_JSON_BYTES:,}")
    if data.count(b"[") + data.count(b"{") > MAX_CONTAINERS:
        refuse(file, f"JSON 的物件與清單超過 {MAX_CONTAINERS:,} 個，不是品質檢測結果")
    try:
        items = json.loads(data.decode("utf-8-sig"), parse_constant=_no_constant)
    except RecursionError:
        refuse(file, f"JSON 巢狀層數過深（上限 {MAX_DEPTH} 層）")
    except ValueError as err:  # JSONDecodeError, UnicodeDecodeError, NaN/Infinity
        refuse(file, f"不是有效的 JSON（{str(err)[:200]}）")
    if _depth(items) > MAX_DEPTH:
        refuse(file, f"JSON 巢狀層數過深（上限 {MAX_DEPTH} 層）")
    if isinstance(items, dict):
        items = items.get("result") or items.get("data") or [items]
    if not isinstance(items, list) or not items:
        refuse(file, "JSON 應為品質檢測結果的清單")
    if len(items) > MAX_ROWS:
        refuse(file, f"品質檢測結果超過 {MAX_ROWS:,} 筆")
    problems: list[Problem] = []
    rows = [row for i, item in enumerate(items, start=1) if (row := _item(item, i, file, problems))]
    if problems:
        raise ImportRefused(problems[:200])
    frame = pd.DataFrame(rows).drop_duplicates("dataset_key", keep="last")
    return frame, []


def _no_constant(name: str) -> None:
    raise ValueError(f"不接受 {name}")


def _depth(value: object) -> int:
    """Nesting depth without recursion (the parsed value may be deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def _text(value: object, i: int, key: str, file: str, problems: list[Problem],
          allow_int: bool = False) -> str | None:
    """A JSON string (or a whole number where the portal sometimes writes one); else refused."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and allow_int:
        return str(value)
    if not isinstance(value, str):
        kind = TYPE_NAMES.get(type(value), type(value).__name__)
        problems.append(Problem(file, f"應為文字，收到{kind}", i, key))
        return None
    if len(value) > MAX_CELL:
        problems.append(Problem(file, f"長度 {len(value):,} 字元，超過上限 {MAX_CELL:,}", i, key))
        return None
    if (m := CONTROL.search(value)) or any(c in value for c in "\t\r\n"):
        code = ord(m.group()) if m else ord(next(c for c in value if c in "\t\r\n"))
        problems.append(Problem(file, f"含控制字元 U+{code:04X}", i, key))
        return None
    if (why := unusable_char(value)) is not None:  # a lone surrogate ("\ud800") among them
        problems.append(Problem(file, why, i, key))
        return None
    return strip_invisible(value).strip()


def _item(item: object, i: int, file: str, problems: list[Problem]) -> dict | None:
    if not isinstance(item, dict):
        problems.append(Problem(file, "每一筆應為物件（含 datasetId 等欄位）", i, "datasetId"))
        return None
    key = _text(item.get("datasetId"), i, "datasetId", file, problems, allow_int=True)
    if key == "":
        problems.append(Problem(file, "缺少 datasetId", i, "datasetId"))
    row: dict = {"dataset_key": key, "title": _text(item.get("title"), i, "title", file, problems)}
    for flag in FLAGS:
        value = _text(item.get(flag), i, flag, file, problems, allow_int=True)
        if value not in ("0", "1", "", None):
            problems.append(Problem(file, f"應為 \"0\" 或 \"1\"，收到「{value[:50]}」", i, flag))
        row[flag] = None if not value else value == "1"
    for key_name in TIMES:
        row[key_name] = _time(item.get(key_name), i, key_name, file, problems)
    return row


def _time(value: object, i: int, key: str, file: str, problems: list[Problem]):
    from kpi.reference.dates import parse_datetime

    raw = _text(value, i, key, file, problems)
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError as err:
        problems.append(Problem(file, str(err), i, key))
        return None
    if moment is not None and not EARLIEST <= moment.date() <= latest():
        problems.append(Problem(file, f"時間 {moment} 不合理：應介於 {EARLIEST} 與 {latest()} 之間", i, key))
        return None
    return moment
