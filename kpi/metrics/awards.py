"""Popularity award (人氣獎) per dataset, 2017-08-29 rules: 30·v/max v + 40·d/max d + 30·rating/5.

Maxima are taken over the whole snapshot (the portal) at the as-of date; eligibility needs a year
open (上架日) and a gold badge. Without a catalogue the badge is unknown: ``gold_badge`` is null,
the page says so and the badge condition is not applied.
"""

from __future__ import annotations

import pandas as pd

from kpi.metrics.scope import Scope
from kpi.store import Gateway

SCORED_SQL = """
WITH rules AS (
    SELECT max(value) FILTER (WHERE rule = 'popularity_views_points') AS pv,
           max(value) FILTER (WHERE rule = 'popularity_downloads_points') AS pd,
           max(value) FILTER (WHERE rule = 'popularity_rating_points') AS pr,
           max(value) FILTER (WHERE rule = 'popularity_min_days_open') AS min_days
    FROM award_rule
), snap AS (
    SELECT * FROM core_counter WHERE snapshot_date = ?
), top AS (
    SELECT max(views) AS max_views, max(downloads) AS max_downloads FROM snap
)
SELECT s.agency, s.short_name, s.is_ministry, s.dataset_name, s.views, s.downloads, s.rating,
       s.listed_on,
       date_diff('day', s.listed_on, s.snapshot_date) >= rules.min_days AS open_one_year,
       rules.pv * s.views / nullif(top.max_views, 0)
       + rules.pd * s.downloads / nullif(top.max_downloads, 0)
       + rules.pr * coalesce(s.rating, 0) / 5 AS popularity_score
FROM snap s, top, rules
WHERE (NOT ? OR s.is_ministry)
"""
POPULARITY_SQL = SCORED_SQL + "ORDER BY popularity_score DESC, downloads DESC LIMIT ?"


BADGE_SQL = f"""
WITH scored AS ({SCORED_SQL}),
pick AS (SELECT max(snapshot_date) AS d FROM catalogue WHERE snapshot_date <= ?),
badges AS (
    SELECT c.agency, c.dataset_name, c.badge FROM catalogue c, pick WHERE c.snapshot_date = pick.d
)
SELECT s.*, b.badge, b.badge IN ('gold', 'platinum') AS gold_badge
FROM scored s LEFT JOIN badges b USING (agency, dataset_name)
WHERE NOT ? OR (b.badge IN ('gold', 'platinum') AND s.open_one_year)
ORDER BY popularity_score DESC, downloads DESC
LIMIT ?
"""


def popularity(gw: Gateway, scope: Scope, ministry_only: bool = False, limit: int = 50,
               eligible_only: bool = False) -> pd.DataFrame:
    """Scores per dataset; with a catalogue the badge is joined (by name within agency) and
    ``eligible_only`` keeps gold-badge datasets open a year, as the rules require."""
    from kpi.metrics.quality import has_catalogue

    if has_catalogue(gw):
        return gw.query(BADGE_SQL, [scope.as_of, ministry_only, scope.as_of, eligible_only, limit])
    frame = gw.query(POPULARITY_SQL, [scope.as_of, ministry_only, limit])
    frame["badge"] = None
    frame["gold_badge"] = None
    return frame
