"""Award simulations that apply the 2017-08-29 rules (附件五) and say what they could not apply.

人氣獎: 「凡開放達1年且經品質檢測取得金標章之資料集，始能參與此評獎」; score 30·v/max v + 40·d/max d
+ 30·rating/5 over counts of the same period (同期間) on the whole portal. Here:
- open a year: 上架日 at least ``popularity_min_days_open`` days before the as-of date; a dataset
  without 上架日 cannot be judged: not eligible, listed separately (``undated=True``);
- gold badge: from the newest catalogue on or before the as-of date (platinum counts as gold);
  without a catalogue the condition is not applied and ``popularity_basis`` says so in the title;
- same period: the difference between the two chosen snapshots when the earlier one covers every
  agency of the later one (so the portal's maxima exist); otherwise cumulative counts, said so;
  a counter that went down (reset) or a dataset missing from the earlier snapshot although listed
  before it has no known period count: not scored;
- unrated datasets score 0 rating points (the rule scores an average rating; none, none) — stated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from kpi.metrics.definitions import PLAN_WORDING
from kpi.metrics.scope import Scope
from kpi.reference.dates import roc
from kpi.store import Gateway

NO_BADGES = "SELECT NULL::VARCHAR AS agency, NULL::VARCHAR AS dataset_name, NULL::VARCHAR AS badge WHERE false"
BADGES = """SELECT c.agency, c.dataset_name, any_value(c.badge) AS badge FROM catalogue c
    WHERE c.snapshot_date = (SELECT max(snapshot_date) FROM catalogue WHERE snapshot_date <= ?)
    GROUP BY c.agency, c.dataset_name"""

SCORED_SQL = """
WITH rules AS (
    SELECT max(value) FILTER (WHERE rule = 'popularity_views_points') AS pv,
           max(value) FILTER (WHERE rule = 'popularity_downloads_points') AS pd,
           max(value) FILTER (WHERE rule = 'popularity_rating_points') AS pr,
           max(value) FILTER (WHERE rule = 'popularity_min_days_open') AS min_days
    FROM award_rule
), badges AS ({badges}
), prev AS (
    SELECT dataset_id, views, downloads FROM counter WHERE snapshot_date = ?
), recounted AS (  -- growth unknown: in a recount cohort inside the period (kpi/build/recounts.py)
    SELECT DISTINCT dataset_id FROM core_recount_member WHERE ? AND since_date >= ? AND as_of_date <= ?
), base AS (
    SELECT c.*, p.views AS views_before, p.downloads AS downloads_before, b.badge,
           CASE WHEN NOT ? THEN NULL
                WHEN p.dataset_id IS NULL AND coalesce(c.listed_on > ?, false) THEN NULL
                WHEN p.dataset_id IS NULL THEN 'no_previous'
                WHEN r.dataset_id IS NOT NULL THEN 'recount'
                WHEN c.views < p.views OR c.downloads < p.downloads THEN 'reset' END AS period_problem
    FROM core_counter c
    LEFT JOIN prev p USING (dataset_id)
    LEFT JOIN recounted r ON r.dataset_id = c.dataset_id
    LEFT JOIN badges b ON b.agency = c.agency AND b.dataset_name = c.dataset_name
    WHERE c.snapshot_date = ?
), counted AS (
    SELECT *,
           CASE WHEN period_problem IS NOT NULL THEN NULL
                ELSE views - coalesce(views_before, 0) END AS period_views,
           CASE WHEN period_problem IS NOT NULL THEN NULL
                ELSE downloads - coalesce(downloads_before, 0) END AS period_downloads
    FROM base
), top AS (
    SELECT max(period_views) AS max_views, max(period_downloads) AS max_downloads FROM counted
)
SELECT s.agency, s.short_name, s.is_ministry, s.dataset_name, s.views, s.downloads, s.rating,
       s.listed_on, s.period_views, s.period_downloads, s.badge,
       CASE WHEN ? THEN s.badge IN ('gold', 'platinum') END AS gold_badge,
       date_diff('day', s.listed_on, s.snapshot_date) >= rules.min_days AS open_one_year,
       rules.pv * s.period_views / nullif(top.max_views, 0)
       + rules.pd * s.period_downloads / nullif(top.max_downloads, 0)
       + rules.pr * coalesce(s.rating, 0) / 5 AS popularity_score,
       CASE WHEN s.listed_on IS NULL THEN 'undated'
            WHEN date_diff('day', s.listed_on, s.snapshot_date) < rules.min_days THEN 'young'
            WHEN ? AND NOT coalesce(s.badge IN ('gold', 'platinum'), false) THEN 'no_gold'
            WHEN s.period_problem IS NOT NULL THEN s.period_problem
            ELSE 'eligible' END AS eligibility_code
FROM counted s, top, rules
"""
PICK_SQL = """
SELECT * FROM ({scored}) WHERE (NOT ? OR is_ministry) AND (NOT ? OR eligibility_code = 'eligible')
  AND (NOT ? OR eligibility_code = 'undated')
ORDER BY popularity_score DESC NULLS LAST, downloads DESC, dataset_name LIMIT ?
"""
ELIGIBILITY_LABELS = {"eligible": "符合", "undated": "無上架日，無法判斷", "young": "開放未滿一年",
                      "no_gold": "非金標章", "reset": "計數器下降，同期間數不明",
                      "recount": "平臺重新計數，同期間數不明",
                      "no_previous": "前次快照無此資料集，同期間數不明"}
UNCHECKED = "符合已套用條件（金標章未查）"


def _period(gw: Gateway, scope: Scope) -> tuple[bool, str]:
    """(same-period counts usable, why not): the earlier snapshot must cover the later one's agencies."""
    if scope.since is None:
        return False, "未選比較基準日，只有一次快照"
    missing = gw.scalar(
        "SELECT count(DISTINCT agency) FROM counter_total WHERE snapshot_date = ? AND agency NOT IN "
        "(SELECT agency FROM counter_total WHERE snapshot_date = ?)",  # per-snapshot totals: no scan
        [scope.as_of, scope.since])
    if missing:
        return False, (f"比較基準日 {roc(scope.since)} 之快照未涵蓋 {int(missing):,} 個機關，"
                       "無法得到全平臺同期間之最多值")
    return True, ""


def popularity(gw: Gateway, scope: Scope, ministry_only: bool = False, limit: int = 50,
               eligible_only: bool = False, undated: bool = False,
               same_period: bool = False) -> pd.DataFrame:
    """Scores per dataset, best first. ``eligible_only`` keeps what meets every condition that can be
    applied (a year open by 上架日; a gold badge where a catalogue is imported; a known period
    count); ``undated`` lists the datasets without 上架日 instead (not eligible: cannot be judged).
    ``same_period`` scores the difference between the scope's two snapshots where they allow it (the
    page asks for it; the default stays cumulative for older callers such as the benchmark)."""
    from kpi.metrics.quality import has_catalogue

    cat = has_catalogue(gw)
    growth = same_period and _period(gw, scope)[0]
    sql = PICK_SQL.format(scored=SCORED_SQL.format(badges=BADGES if cat else NO_BADGES))
    params: list[Any] = [scope.as_of] if cat else []
    params += [scope.since if growth else None, growth, scope.since, scope.as_of,
               growth, scope.since, scope.as_of, cat, cat,
               ministry_only, eligible_only, undated, limit]
    frame = gw.query(sql, params)
    labels = ELIGIBILITY_LABELS if cat else ELIGIBILITY_LABELS | {"eligible": UNCHECKED}
    frame["eligibility"] = frame["eligibility_code"].map(labels)
    return frame


def popularity_basis(gw: Gateway, scope: Scope, same_period: bool = True) -> dict[str, Any]:
    """What the 人氣獎 table applied and assumed: a title suffix and one line per assumption."""
    from kpi.metrics.quality import has_catalogue

    cat = has_catalogue(gw)
    growth, why = _period(gw, scope) if same_period else (False, "未要求同期間計算")
    counts = gw.query(
        "SELECT count(*) AS n, count(*) FILTER (WHERE rating IS NULL) AS unrated, "
        "count(*) FILTER (WHERE listed_on IS NULL) AS undated FROM counter WHERE snapshot_date = ?",
        [scope.as_of]).iloc[0]
    days = int(gw.scalar("SELECT value FROM award_rule WHERE rule = 'popularity_min_days_open'"))
    n, unrated, undated = int(counts["n"]), int(counts["unrated"]), int(counts["undated"])
    applied = "已套用開放滿一年條件（依上架日）"
    if cat:
        cat_on = gw.scalar("SELECT max(snapshot_date) FROM catalogue WHERE snapshot_date <= ?", [scope.as_of])
        applied += "與金標章條件"
        badge = (f"金標章取自 {roc(pd.Timestamp(cat_on).date()) if cat_on else '（資料日期前無清單）'} "
                 "資料集清單，同機關同名比對；白金標章視同金標章。")
    else:
        applied += "；未套用金標章條件：尚未匯入資料集清單"
        badge = "未套用金標章條件：尚未匯入資料集清單，無法確認標章，符合者可能因無金標章而實際不具資格。"
    period = (f"瀏覽量、下載量為同期間（{roc(scope.since)}–{roc(scope.as_of)}）兩次快照之差，最多值取全平臺"
              "同期間之差；計數器下降或屬平臺重新計數事件者同期間數不明，不列入。" if growth and scope.since else
              f"瀏覽量、下載量為上架以來之累計數，不是規則所稱之「同期間」數量（{why}）。")
    return {
        "catalogue": cat, "period": "growth" if growth else "cumulative", "datasets": n,
        "unrated": unrated, "undated": undated, "min_days": days,
        "title": applied,
        "notes": [
            f"規則：「{PLAN_WORDING['popularity']}」「{PLAN_WORDING['popularity_period']}」",
            f"開放滿一年：上架日早於資料日期 {days} 日以上；全平臺無上架日者 {undated:,} 項無法判斷，不列入評比；所選範圍內者列於下表（無則空白）。",
            badge, period,
            f"未評分之資料集 {unrated:,} / {n:,} 項，評分項以 0 分計（規則以平均得分計分，未評分者無得分）。",
        ],
    }


def gold_basis(gw: Gateway, as_of: dt.date) -> list[str]:
    """What the 金質獎 score rests on at a date (shown on 計算說明 beside the rule)."""
    from kpi.metrics.quality import has_catalogue

    lines = [f"規則：{PLAN_WORDING['gold']}；白金標章視同金標章，「無」「無(白名單)」計 0 分。"]
    if not has_catalogue(gw):
        return [*lines, "尚未匯入資料集清單：金質獎總分為「無資料」。"]
    cat_on = gw.scalar("SELECT max(snapshot_date) FROM catalogue WHERE snapshot_date <= ?", [as_of])
    entered = int(gw.scalar("SELECT count(*) FROM oas_api"))
    return [*lines,
            f"分母：{roc(pd.Timestamp(cat_on).date()) if cat_on else '（無）'} 資料集清單中該機關之資料集數。",
            f"OAS 加分：依資訊處登錄之 API 數（已登錄 {entered} 個機關）；規則要求由國發會確認，本系統未能確認。"]
