"""Popularity award (人氣獎) per dataset, 2017-08-29 rules: 30·v/max v + 40·d/max d + 30·rating/5.

Maxima are taken over the whole snapshot (the portal) at the as-of date; eligibility needs a year
open (上架日) and a gold badge. Without a catalogue the badge is unknown: the page says so and the
badge condition is not applied (``badge_checked`` is false).
"""

from __future__ import annotations

import pandas as pd

from kpi.metrics.scope import Scope
from kpi.store import Gateway

POPULARITY_SQL = """
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
ORDER BY popularity_score DESC, s.downloads DESC
LIMIT ?
"""


def popularity(gw: Gateway, scope: Scope, ministry_only: bool = False,
               limit: int = 50) -> pd.DataFrame:
    return gw.query(POPULARITY_SQL, [scope.as_of, ministry_only, limit])
