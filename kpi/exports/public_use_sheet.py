"""The pack's 民眾使用分析 sheets (issue 25): use by 服務分類, format and age with per-dataset
averages, the top-10 % share, and per agency the datasets nobody downloaded in the period."""

from __future__ import annotations

import pandas as pd

from kpi.exports.workbook import Book, Col
from kpi.metrics import public_use
from kpi.metrics.public_use_catalogue import category_note
from kpi.metrics.scope import Scope
from kpi.reference.agencies import short_name
from kpi.reference.fields import label
from kpi.store import Gateway

FACETS = (("服務分類", "service_category", public_use.by_category),
          ("檔案格式", "file_format", public_use.by_format),
          ("上架年數", "age_band", public_use.by_age))
NUMBERS = ("datasets", "known_datasets", "views_in_period", "downloads_in_period",
           "views_per_dataset", "downloads_per_dataset")


def _objects(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(object)
    return frame.where(frame.notna(), None)


def analysis_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The three breakdowns stacked: 分析面向, 組別 and the same numbers for each."""
    parts = [grouped(frame).rename(columns={key: "group"}).assign(facet=name)
             for name, key, grouped in FACETS]
    return pd.concat(parts, ignore_index=True)[["facet", "group", *NUMBERS]]


def write_public_use(book: Book, gw: Gateway, scope: Scope) -> None:
    frame = public_use.usage_frame(gw, scope)
    if frame.empty:
        return
    rows = analysis_rows(frame)
    cols = [Col("facet", "分析面向", "text", 9), Col("group", "組別", "text", 16)] + [
        Col(k, label(k), "score" if k.endswith("per_dataset") else "count", 11) for k in NUMBERS]
    conc = public_use.concentration(frame, "downloads_in_period")
    notes = []
    if conc["total"]:
        notes.append(f"集中度：前 10%（{conc['top_datasets']:,} 項，共 {conc['datasets']:,} 項可比較資料集）"
                     f"占期間下載 {conc['top_share']:.1%}（{conc['top_total']:,} ／ {conc['total']:,} 次）。")
    notes.append("期間使用量為兩次快照之間累計次數的增加；計數器下降與新上架的資料集無從得知期間使用量，不列入"
                 "「可比較資料集數」與平均。一個資料集有多種檔案格式時各格式都計入。"
                 if scope.since is not None else "未選比較基準日：以累計次數分析。")
    if (note := category_note(frame["service_category"])) is not None:
        notes.append(note)
    book.sheet("民眾使用分析", "民眾使用分析：依服務分類、檔案格式、上架年數（每資料集平均）",
               _objects(rows), cols, notes=notes)
    counts = public_use.no_download(frame, scope.agencies)
    zero = public_use.no_download_list(frame, scope.agencies)
    zero["agency"] = zero["agency"].map(short_name)
    summary = "；".join(f"{short_name(r.agency)} {r.no_download:,} 項（可比較 {r.known_datasets:,} 項）"
                       for r in counts.itertuples())
    zero_notes = [f"各機關期間無人下載：{summary}。可考慮改善（說明、格式、更新）或檢討下架。"]
    if (note := category_note(zero["service_category"])) is not None:
        zero_notes.append(note)
    book.sheet("無人下載資料集", "各機關期間無人下載的資料集", _objects(zero), [
        Col("agency", label("agency"), "text", 9), Col("dataset_name", label("dataset_name"), "wrap", 48),
        Col("service_category", label("service_category"), "text", 12),
        Col("age_band", label("age_band"), "text", 14), Col("views", label("views"), "count", 10),
        Col("downloads", label("downloads"), "count", 10)], notes=zero_notes)
