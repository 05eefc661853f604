"""API coverage: structured datasets without an API, and APIs without a valid OAS description.

The 110-11-18 minutes (決議三) ask: 「有關尚未提供 API 介接且具備結構化之資料集，請資訊處評估是否可
提供 API 介接，供民眾下載。」 Read from the newest imported catalogue (資料集清單) on or before the
as-of date, the quality-check results of the same period and the office's OAS entries.

Rules (the portal publishes no "has an API" column; 資料集上架方式 人工上架／介接上架 says how the
*metadata* reached the portal, not how the data is served):
- structured: the dataset's best resource is 3 stars or more (kpi/reference/stars.py: CSV, JSON, XML, ODS, …),
  unless the portal's quality check for it says structure = 0;
- has an API: a resource declares an API format (API_FORMATS) in 檔案格式, or its 資料下載網址
  has an API path segment (API_PATH: /api/, /rest/, /odata/, /openapi/, /swagger/, /webapi/, /ws/);
- APIs without a valid OAS description: the agency's datasets with an API minus the APIs the office
  entered as passing OpenAPI (OAS) validation (設定 OAS, also the gold award's bonus), at least 0;
  unknown (null) until the office has entered a count for the agency.
"""

from __future__ import annotations

import pandas as pd

from kpi.metrics.quality import LATEST_CATALOGUE_CTE, has_catalogue
from kpi.metrics.scope import Scope
from kpi.store import Gateway

REQUEST = ("110 年 11 月 18 日政府資料開放諮詢小組會議決議三：「有關尚未提供 API 介接且具備結構化之資料集，"
           "請資訊處評估是否可提供 API 介接，供民眾下載。」")
API_FORMATS = ["API", "WEBSERVICE", "WEB SERVICE", "REST", "RESTFUL", "SOAP", "OAS", "OPENAPI",
               "SWAGGER", "WMS", "WFS", "WMTS", "SPARQL"]
API_PATH = r"(?i)^[a-z]+://[^/]+(/[^?#]*)?/(api|apis|rest|restapi|odata|openapi|swagger|webapi|ws)(/|$|\?|#)"
RULE = ("結構化：資料集最佳資源達三星以上（CSV、JSON、XML、ODS 等），且品質檢測未判定為非結構化；"
        "已提供 API：任一資源之檔案格式為 API 類（API、WebService、REST、SOAP、WMS、WFS、WMTS、SPARQL 等），"
        "或資料下載網址路徑含 /api/、/rest/、/odata/、/openapi/、/swagger/、/webapi/、/ws/；"
        "未具有效 OAS 描述之 API = 已提供 API 之資料集數 − 資訊處登錄之 OAS 驗證通過 API 數（至少 0；未登錄者不計）。"
        "「資料集上架方式」（人工上架／介接上架）指詮釋資料如何進入平臺，不代表資料以 API 提供，故不採用。")

DATASET_SQL = LATEST_CATALOGUE_CTE + """, res AS (
    SELECT dataset_key, unnest(formats) AS file_format, unnest(urls) AS url FROM cat
), per AS (
    SELECT c.dataset_key,
           coalesce(max(coalesce(s.stars, 1)) FILTER (WHERE r.file_format IS NOT NULL), 0) AS stars,
           coalesce(bool_or(list_contains(?, upper(trim(r.file_format)))
                            OR regexp_matches(coalesce(r.url, ''), ?)), false) AS has_api
    FROM cat c
    LEFT JOIN res r USING (dataset_key)
    LEFT JOIN format_star s ON s.file_format = r.file_format
    GROUP BY c.dataset_key
), qc_pick AS (
    SELECT max(snapshot_date) AS d FROM qc WHERE snapshot_date <= ?
), q AS (
    SELECT qc.dataset_key, qc.structure FROM qc, qc_pick WHERE qc.snapshot_date = qc_pick.d
)
SELECT c.agency, c.dataset_key, c.dataset_name, array_to_string(c.formats, ';') AS formats,
       p.stars, p.has_api, q.structure AS qc_structure,
       p.stars >= 3 AND coalesce(q.structure, true) AS structured
FROM cat c JOIN per p USING (dataset_key) LEFT JOIN q USING (dataset_key)
ORDER BY c.agency, c.dataset_key
"""


def dataset_api(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """One row per catalogue dataset: formats, stars, structured, has_api."""
    if not has_catalogue(gw):
        return pd.DataFrame(columns=["agency", "dataset_key", "dataset_name", "formats", "stars",
                                     "has_api", "qc_structure", "structured"])
    return gw.query(DATASET_SQL, [scope.as_of, list(scope.agencies), API_FORMATS, API_PATH,
                                  scope.as_of])


def structured_without_api(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """The datasets the minutes ask about: structured and no API, by agency then key."""
    frame = dataset_api(gw, scope)
    return frame[frame["structured"].astype(bool) & ~frame["has_api"].astype(bool)].reset_index(drop=True)


def api_coverage(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """Per agency in scope (catalogue order of the scope; zero rows where it has no datasets):
    datasets, structured, api_datasets, structured_without_api, oas_validated, apis_without_oas."""
    frame = dataset_api(gw, scope)
    oas = dict(gw.query("SELECT agency, apis FROM oas_api").itertuples(index=False))
    rows = []
    for agency in scope.agencies:
        mine = frame[frame["agency"] == agency]
        structured = mine["structured"].astype(bool)
        api = mine["has_api"].astype(bool)
        validated = oas.get(agency)
        rows.append({
            "agency": agency, "datasets": len(mine), "structured": int(structured.sum()),
            "api_datasets": int(api.sum()), "structured_without_api": int((structured & ~api).sum()),
            "oas_validated": None if validated is None else int(validated),
            "apis_without_oas": None if validated is None else max(int(api.sum()) - int(validated), 0),
        })
    frame = pd.DataFrame(rows)
    for col in ("oas_validated", "apis_without_oas"):  # null = the office has not entered a count
        frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    return frame


LABELS = {"agency": "機關", "datasets": "資料集數", "structured": "結構化資料集",
          "api_datasets": "已提供 API 之資料集", "structured_without_api": "結構化但未提供 API",
          "oas_validated": "OAS 驗證通過 API 數", "apis_without_oas": "未具有效 OAS 描述之 API",
          "dataset_key": "資料集識別碼", "dataset_name": "資料集名稱", "formats": "檔案格式", "stars": "星等"}
