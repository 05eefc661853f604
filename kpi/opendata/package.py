"""`python -m kpi export opendata --year Y --out DIR`: the year's statistics as an open dataset.

Written as the portal asks (CSV in UTF-8 with BOM) and as JSON, with a data dictionary, a
Frictionless data package (datapackage.json) and the portal's 22-column catalogue row that
describes the dataset, ready to upload (the 112 minutes: 以「年度」製作並開放該資料集).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from kpi.metrics.periods import YearPeriod, scope_period
from kpi.metrics.scope import Scope
from kpi.opendata.tables import AGENCY_FIELDS, DATASET_FIELDS, Field, agency_table, dataset_table
from kpi.store import Gateway

BOM = "\ufeff"
LICENSE = "政府資料開放授權條款第1版"
LICENSE_URL = "https://data.gov.tw/license"
FREQUENCY = "每1年"
TITLE = "勞動部及所屬機關開放資料集瀏覽及下載統計"
# SPEC §3: the portal's catalogue columns, in order (the real header doubles 資 in 上架方式).
CATALOGUE_COLUMNS = ["資料集識別碼", "資料集名稱", "資料提供屬性", "服務分類", "品質檢測", "檔案格式", "資料下載網址",
                     "編碼格式", "資資料集上架方式", "資料集描述", "主要欄位說明", "提供機關", "更新頻率", "授權方式",
                     "相關網址", "計費方式", "提供機關聯絡人姓名", "提供機關聯絡人電話", "上架日期", "詮釋資料更新時間",
                     "備註", "資料量"]


def _names(year: int) -> dict[str, str]:
    return {"datasets": f"dataset_usage_{year}", "agencies": f"agency_usage_{year}"}


def _csv(frame: pd.DataFrame) -> bytes:
    text = frame.to_csv(index=False, lineterminator="\r\n")
    return (BOM + text).encode("utf-8")


def _json(frame: pd.DataFrame) -> bytes:
    """Records with the CSV's headers as keys; a blank cell is null."""
    return frame.to_json(orient="records", force_ascii=False, indent=1).encode("utf-8")


def _schema(fields: list[Field]) -> dict:
    return {"fields": [{"name": f.name, "type": f.type, "description": f.description} for f in fields],
            "missingValues": [""]}


def _description(period: YearPeriod, scope: Scope) -> str:
    return (f"{period.year} 年度勞動部及所屬機關在政府資料開放平臺上各資料集與各機關的瀏覽及下載次數"
            f"（期初、期末累計與期間增加）。統計快照不一定落在 1 月 1 日與 12 月 31 日：{period.text()}。"
            f"計數器下降（重設或平臺重新計數）的資料集，其期間增加留空，不以負數計。")


def package_files(gw: Gateway, scope: Scope, period: YearPeriod,
                  generated_at: dt.datetime | None = None) -> dict[str, bytes]:
    """File name → bytes of the whole open dataset for one year."""
    moment = generated_at or dt.datetime.now(ZoneInfo("Asia/Taipei"))
    names = _names(period.year)
    tables = {"datasets": (dataset_table(gw, scope, period), DATASET_FIELDS, "各資料集瀏覽及下載統計"),
              "agencies": (agency_table(gw, scope, period), AGENCY_FIELDS, "各機關瀏覽及下載統計")}
    files: dict[str, bytes] = {}
    resources = []
    for key, (frame, fields, title) in tables.items():
        files[f"{names[key]}.csv"] = _csv(frame)
        files[f"{names[key]}.json"] = _json(frame)
        for fmt in ("csv", "json"):
            resource = {"name": f"{names[key]}-{fmt}".replace("_", "-"), "path": f"{names[key]}.{fmt}",
                        "title": f"{title}（{fmt.upper()}）", "format": fmt, "mediatype":
                        "text/csv" if fmt == "csv" else "application/json", "encoding": "utf-8",
                        "schema": _schema(fields)}
            resources.append(resource)
    dictionary = pd.DataFrame([{"檔案": f"{names[key]}.csv／.json", "欄位": f.name, "型別": f.type,
                                "說明": f.description}
                               for key, (_, fields, _) in tables.items() for f in fields])
    files["data_dictionary.csv"] = _csv(dictionary)
    description = _description(period, scope)
    package = {
        "name": f"mol-opendata-usage-{period.year}", "title": f"{TITLE}（{period.year} 年度）",
        "description": description, "version": f"{period.year}.{moment:%Y%m%d}",
        "created": moment.isoformat(timespec="seconds"),
        "licenses": [{"name": "OGDL-Taiwan-1.0", "path": LICENSE_URL, "title": LICENSE}],
        "keywords": ["開放資料", "瀏覽次數", "下載次數", "勞動部"],
        "period": period.as_json(), "resources": resources}
    files["datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=1).encode("utf-8")
    files["catalogue_row.csv"] = _catalogue_row(period, tables, files, description, moment)
    return files


def _catalogue_row(period: YearPeriod, tables: dict, files: dict[str, bytes], description: str,
                   moment: dt.datetime) -> bytes:
    """The portal's 22-column row describing the dataset (the office fills 識別碼 and URLs on upload)."""
    data_files = [f"{_names(period.year)['datasets']}.csv", f"{_names(period.year)['datasets']}.json"]
    sizes = ";".join(f"{max(1, round(len(files[f]) / 1024))}KB" for f in data_files)
    row = {"資料集識別碼": "", "資料集名稱": TITLE, "資料提供屬性": "原始資料", "服務分類": "公共資訊",
           "品質檢測": "", "檔案格式": "CSV;JSON", "資料下載網址": ";".join(data_files),
           "編碼格式": "UTF-8;UTF-8", "資資料集上架方式": "人工上架", "資料集描述": description,
           "主要欄位說明": ";".join(f.name for f in tables["datasets"][1]), "提供機關": "勞動部",
           "更新頻率": FREQUENCY, "授權方式": LICENSE, "相關網址": "", "計費方式": "免費",
           "提供機關聯絡人姓名": "勞動部資訊處", "提供機關聯絡人電話": "", "上架日期": "",
           "詮釋資料更新時間": moment.strftime("%Y-%m-%d %H:%M:%S"),
           "備註": f"資料下載網址為本套件內的檔名，上傳後請換成平臺網址；{period.year} 年度{period.text()}",
           "資料量": sizes}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CATALOGUE_COLUMNS)
    writer.writerow([row[c] for c in CATALOGUE_COLUMNS])
    return (BOM + out.getvalue()).encode("utf-8")


def write_opendata(gw: Gateway, scope: Scope, out: Path) -> list[Path]:
    """Write the open dataset of a year scope (kpi.metrics.periods.year_scope) into folder ``out``."""
    period = scope_period(scope)
    if period is None:
        raise ValueError("開放資料集需要指定年度（--year）")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in package_files(gw, scope, period).items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written


def opendata_zip(gw: Gateway, scope: Scope, period: YearPeriod) -> bytes:
    """The same files in one zip (the office page's download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in package_files(gw, scope, period).items():
            archive.writestr(f"opendata_{period.year}/{name}", data)
    return buffer.getvalue()
