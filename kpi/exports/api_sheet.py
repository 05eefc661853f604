"""The pack's API-coverage sheets: per agency, structured datasets without an API and APIs without
a valid OAS description (kpi.metrics.api_coverage), with the 110 minutes' request quoted."""

from __future__ import annotations

import pandas as pd

from kpi.exports.workbook import Book, Col
from kpi.metrics.api_coverage import LABELS, REQUEST, RULE, api_coverage, structured_without_api
from kpi.metrics.quality import has_catalogue
from kpi.metrics.scope import Scope
from kpi.reference.agencies import short_name
from kpi.store import Gateway

COUNTS = ("datasets", "structured", "api_datasets", "structured_without_api", "oas_validated",
          "apis_without_oas")


def _objects(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


def write_api_coverage(book: Book, gw: Gateway, scope: Scope) -> None:
    """Written only once a catalogue was imported (like the fix list): without one there is
    nothing to count, and the pack keeps its sheets."""
    if not has_catalogue(gw):
        return
    frame = api_coverage(gw, scope)
    frame["agency"] = frame["agency"].map(short_name)
    cols = [Col("agency", LABELS["agency"], "text", 9)] + [Col(k, LABELS[k], "count", 12) for k in COUNTS]
    total: dict[str, object] = {"agency": "合計"}
    for k in COUNTS:
        known = frame[k].dropna()
        if len(known):
            total[k] = int(known.sum())
    notes = [REQUEST, "判定方式：" + RULE]
    book.sheet("API介接盤點", "API 介接盤點：結構化但未提供 API 之資料集、未具有效 OAS 描述之 API",
               _objects(frame), cols, total, notes=notes)
    todo = structured_without_api(gw, scope)
    if len(todo):
        todo["agency"] = todo["agency"].map(short_name)
        book.sheet("API待介接清單", "結構化但未提供 API 之資料集（供評估 API 介接）", _objects(todo), [
            Col("agency", LABELS["agency"], "text", 9), Col("dataset_key", LABELS["dataset_key"], "text", 16),
            Col("dataset_name", LABELS["dataset_name"], "wrap", 40), Col("formats", LABELS["formats"], "text", 16),
            Col("stars", LABELS["stars"], "count", 6)], notes=[REQUEST])
