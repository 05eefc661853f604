"""Catalogue kind: the portal's 資料集清單 export, 22 columns, one row per dataset.

Several resources per dataset come `;`-joined in matching order across 檔案格式, 資料下載網址,
編碼格式 and 資料量. The real header doubles 資 in 資資料集上架方式; both spellings are accepted.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from kpi.importing.columns import (
    check_agencies,
    dates,
    drop_repeats,
    find_columns,
    has_html,
    name_lengths,
    required_text,
    text,
)
from kpi.importing.errors import ImportRefused, Problem

COLUMNS = {
    "dataset_key": ("資料集識別碼",),
    "dataset_name": ("資料集名稱",),
    "provision": ("資料提供屬性",),
    "service_category": ("服務分類",),
    "badge": ("品質檢測",),
    "formats": ("檔案格式",),
    "urls": ("資料下載網址",),
    "encodings": ("編碼格式",),
    "listing_method": ("資資料集上架方式", "資料集上架方式"),
    "description": ("資料集描述",),
    "field_notes": ("主要欄位說明",),
    "publisher": ("提供機關",),
    "update_frequency": ("更新頻率",),
    "licence": ("授權方式",),
    "related_url": ("相關網址",),
    "fee": ("計費方式",),
    "contact_name": ("提供機關聯絡人姓名",),
    "contact_phone": ("提供機關聯絡人電話",),
    "listed_on": ("上架日期",),
    "metadata_updated_at": ("詮釋資料更新時間",),
    "note": ("備註",),
    "sizes": ("資料量",),
}
LONG = {"description", "field_notes", "note"}  # may hold line breaks and tabs
REQUIRED = {"dataset_key", "dataset_name", "badge", "formats", "urls", "publisher",
            "update_frequency", "metadata_updated_at"}
BADGES = {"白金": "platinum", "白金標章": "platinum", "金": "gold", "金標章": "gold",
          "銀": "silver", "銀標章": "silver", "銅": "bronze", "銅標章": "bronze",
          "無": "none", "無(白名單)": "none_whitelist", "無（白名單）": "none_whitelist", "": "none"}
FREQ = re.compile(r"^每\s*(\d+)\s*(分鐘|小時|日|天|週|周|月|季|年)$")
UNIT_DAYS = {"分鐘": 1 / 1440, "小時": 1 / 24, "日": 1, "天": 1, "週": 7, "周": 7, "月": 30.4375,
             "季": 91.3125, "年": 365.25}


def frequency_days(value: str) -> float | None:
    """Days between updates for 每N單位; None for 不定期更新 and other irregular schedules."""
    m = FREQ.match(value.replace(" ", ""))
    if not m:
        return None
    return int(m.group(1)) * UNIT_DAYS[m.group(2)]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";")] if value.strip() else []


def parse_catalogue(frame: pd.DataFrame, file: str, as_of: dt.date | None, agency: str | None = None,
                    known: set[str] | None = None) -> tuple[str, pd.DataFrame, list[Problem]]:
    header = list(frame.columns)
    cols = find_columns(header, COLUMNS, file, required=REQUIRED)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    get = {f: text(frame[c], long=f in LONG) for f, c in cols.items()}
    out = pd.DataFrame(index=frame.index)
    for field in COLUMNS:
        out[field] = get.get(field, pd.Series("", index=frame.index))
    for field in ("dataset_key", "dataset_name", "publisher"):
        out[field] = required_text(frame[cols[field]], file, cols[field], problems)
    name_lengths(out["dataset_name"], file, cols["dataset_name"], problems)
    check_agencies(out["publisher"], file, cols["publisher"], known, problems)
    badge = out["badge"].map(BADGES)
    for row in out.index[badge.isna()]:
        problems.append(Problem(file, f"品質檢測「{out.at[row, 'badge']}」應為 白金、金、銀、銅、無 或 無(白名單)",
                                row, cols["badge"]))
    out["badge"] = badge
    freq_ok = out["update_frequency"].map(lambda v: v == "" or "不定期" in v or frequency_days(v) is not None)
    for row in out.index[~freq_ok]:
        problems.append(Problem(file, f"更新頻率「{out.at[row, 'update_frequency']}」無法辨識（例：每1月、不定期更新）",
                                row, cols["update_frequency"]))
    out["update_days"] = out["update_frequency"].map(frequency_days)
    out["listed_on"] = (dates(frame[cols["listed_on"]], file, cols["listed_on"], problems)
                        if "listed_on" in cols else None)
    out["metadata_updated_at"] = dates(frame[cols["metadata_updated_at"]], file,
                                       cols["metadata_updated_at"], problems, with_time=True)
    formats, urls, encodings, sizes = [], [], [], []
    for row in out.index:
        f, u = _split(out.at[row, "formats"]), _split(out.at[row, "urls"])
        if len(f) != len(u):
            problems.append(Problem(file, f"檔案格式有 {len(f)} 項、資料下載網址有 {len(u)} 項，應一一對應",
                                    row, cols["urls"]))
        formats.append([x.upper() for x in f])
        urls.append(u)
        e = _split(out.at[row, "encodings"])
        encodings.append(e + [""] * (len(f) - len(e)) if len(e) <= len(f) else e[: len(f)])
        s = _split(out.at[row, "sizes"])
        sizes.append(s + [""] * (len(f) - len(s)) if len(s) <= len(f) else s[: len(f)])
        if has_html(out.at[row, "dataset_name"]):
            warnings.append(Problem(file, "名稱含 HTML 標記，畫面上會以純文字顯示", row, cols["dataset_name"]))
    if problems:
        raise ImportRefused(problems)
    out["formats"], out["urls"], out["encodings"], out["sizes"] = formats, urls, encodings, sizes
    out = drop_repeats(out, out.duplicated("dataset_key", keep="first"), file,
                       lambda row: f"資料集識別碼 {out.at[row, 'dataset_key']} 重複，只取第一列",
                       cols["dataset_key"], warnings)
    return "catalogue", out, warnings
