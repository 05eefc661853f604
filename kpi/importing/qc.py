"""QC kind: the portal's quality-check JSON (`/api/v2/rest/qc/{publisherOID}`)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from kpi.dates import parse_datetime
from kpi.importing.errors import ImportRefused, Problem

FLAGS = ("linkable", "downloadable", "structure", "encoding_match", "desc_match", "csv")
TIMES = ("created", "request", "changed")


def parse_qc(path: Path, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    data = path.read_bytes()
    if not data.strip():
        raise ImportRefused(Problem(file, "檔案是空的"))
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ImportRefused(Problem(file, f"不是有效的 JSON（{err}）")) from None
    if isinstance(items, dict):
        items = items.get("result") or items.get("data") or [items]
    if not isinstance(items, list) or not items:
        raise ImportRefused(Problem(file, "JSON 應為品質檢測結果的清單"))
    problems: list[Problem] = []
    rows = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not str(item.get("datasetId", "")).strip():
            problems.append(Problem(file, "缺少 datasetId", i, "datasetId"))
            continue
        row = {"dataset_key": str(item["datasetId"]).strip(), "title": str(item.get("title", ""))}
        for flag in FLAGS:
            value = str(item.get(flag, "")).strip()
            if value not in ("0", "1", ""):
                problems.append(Problem(file, f"應為 \"0\" 或 \"1\"，收到「{value}」", i, flag))
            row[flag] = None if value == "" else value == "1"
        for key in TIMES:
            try:
                row[key] = parse_datetime(item.get(key))
            except ValueError as err:
                problems.append(Problem(file, str(err), i, key))
                row[key] = None
        rows.append(row)
    if problems:
        raise ImportRefused(problems)
    frame = pd.DataFrame(rows).drop_duplicates("dataset_key", keep="last")
    return frame, []
