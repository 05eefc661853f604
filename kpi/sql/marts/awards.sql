-- ── Awards (附件五; kpi/metrics/awards.py)
-- Badges of the newest catalogue on or before the day (none when no catalogue is imported).
CREATE OR REPLACE MACRO catalogue_badges(as_of_day) AS TABLE
SELECT c.agency, c.dataset_name, any_value(c.badge) AS badge FROM core_catalogue c
WHERE c.snapshot_date = (SELECT max(snapshot_date) FROM core_catalogue WHERE snapshot_date <= as_of_day)
GROUP BY c.agency, c.dataset_name;

-- 人氣獎 scores of every dataset of the as-of snapshot. prev_day: the earlier snapshot when
-- same-period counts are usable (growth), else NULL (cumulative counts); with_badges: a catalogue
-- is imported, so the gold-badge condition applies.
CREATE OR REPLACE MACRO popularity_scores(as_of_day, since_day, growth, with_badges) AS TABLE
WITH rules AS (
    SELECT max(value) FILTER (WHERE rule = 'popularity_views_points') AS pv,
           max(value) FILTER (WHERE rule = 'popularity_downloads_points') AS pd,
           max(value) FILTER (WHERE rule = 'popularity_rating_points') AS pr,
           max(value) FILTER (WHERE rule = 'popularity_min_days_open') AS min_days
    FROM core_award_rule
), badges AS (
    FROM catalogue_badges(as_of_day)
), prev AS (
    SELECT dataset_id, views, downloads FROM core_counter_row
    WHERE snapshot_date = CASE WHEN growth THEN since_day END
), recounted AS (  -- growth unknown: in a recount cohort inside the period (kpi/build/recounts.py)
    SELECT DISTINCT dataset_id FROM core_recount_member
    WHERE growth AND since_date >= since_day AND as_of_date <= as_of_day
), base AS (
    SELECT c.*, p.views AS views_before, p.downloads AS downloads_before, b.badge,
           CASE WHEN NOT growth THEN NULL
                WHEN p.dataset_id IS NULL AND coalesce(c.listed_on > since_day, false) THEN NULL
                WHEN p.dataset_id IS NULL THEN 'no_previous'
                WHEN r.dataset_id IS NOT NULL THEN 'recount'
                WHEN c.views < p.views OR c.downloads < p.downloads THEN 'reset' END AS period_problem
    FROM core_counter c
    LEFT JOIN prev p USING (dataset_id)
    LEFT JOIN recounted r ON r.dataset_id = c.dataset_id
    LEFT JOIN badges b ON b.agency = c.agency AND b.dataset_name = c.dataset_name
    WHERE c.snapshot_date = as_of_day
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
       CASE WHEN with_badges THEN s.badge IN ('gold', 'platinum') END AS gold_badge,
       date_diff('day', s.listed_on, s.snapshot_date) >= rules.min_days AS open_one_year,
       rules.pv * s.period_views / nullif(top.max_views, 0)
       + rules.pd * s.period_downloads / nullif(top.max_downloads, 0)
       + rules.pr * coalesce(s.rating, 0) / 5 AS popularity_score,
       CASE WHEN s.listed_on IS NULL THEN 'undated'
            WHEN date_diff('day', s.listed_on, s.snapshot_date) < rules.min_days THEN 'young'
            WHEN with_badges AND NOT coalesce(s.badge IN ('gold', 'platinum'), false) THEN 'no_gold'
            WHEN s.period_problem IS NOT NULL THEN s.period_problem
            ELSE 'eligible' END AS eligibility_code
FROM counted s, top, rules;

-- The 人氣獎 table: the best `top_n` scores, narrowed as the page asks.
CREATE OR REPLACE MACRO popularity(as_of_day, since_day, growth, with_badges, ministry_only,
                                   eligible_only, undated_only, top_n) AS TABLE
SELECT * FROM popularity_scores(as_of_day, since_day, growth, with_badges)
WHERE (NOT ministry_only OR is_ministry) AND (NOT eligible_only OR eligibility_code = 'eligible')
  AND (NOT undated_only OR eligibility_code = 'undated')
ORDER BY popularity_score DESC NULLS LAST, downloads DESC, dataset_name LIMIT top_n;
