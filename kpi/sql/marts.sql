-- Marts: the KPI queries as views and table macros over the core views (kpi/sql/core.sql) only.
-- kpi/metrics/*.py call them with bound parameters through the one gateway, e.g.
--     gw.query("SELECT * FROM agency_usage(?, ?, ?)", [as_of, agencies, since])
-- and keep only small pandas steps. No SQL is assembled in Python (tests/store/test_sql_layers.py).
-- Parameter names are never a column name (a column of the same name would win inside the macro):
-- dates end in _day, the agency list is `agencies`.

-- ── Usage (SPEC §5; kpi/metrics/usage.py) ─────────────────────────────────────────────────────────
-- One row per dataset in either snapshot of the chosen agencies, with its change and how it was
-- matched; a dataset of an agency the earlier snapshot does not cover is 'not_compared'.
CREATE OR REPLACE MACRO usage_pairs(as_of_day, agencies, since_day) AS TABLE
WITH cur AS (
    SELECT * FROM core_counter WHERE snapshot_date = as_of_day AND list_contains(agencies, agency)
), prev AS (
    SELECT * FROM core_counter WHERE snapshot_date = since_day AND list_contains(agencies, agency)
), covered AS (
    SELECT DISTINCT agency FROM prev
), recounted AS (  -- datasets in a recount cohort of any consecutive pair inside the period
    SELECT m.dataset_id, min(m.event_id) AS recount_event
    FROM core_recount_member m
    WHERE m.since_date >= since_day AND m.as_of_date <= as_of_day
    GROUP BY m.dataset_id
)
SELECT
    coalesce(c.agency, p.agency) AS agency,
    coalesce(c.dataset_id, p.dataset_id) AS dataset_id,
    coalesce(c.dataset_name, p.dataset_name) AS dataset_name,
    p.dataset_name AS previous_name,
    c.publisher, c.match_kind, c.rating, c.listed_on,
    c.views, c.downloads,
    p.views AS views_before, p.downloads AS downloads_before,
    CASE WHEN c.dataset_id IS NOT NULL AND p.dataset_id IS NOT NULL
         THEN c.views - p.views END AS views_change,
    CASE WHEN c.dataset_id IS NOT NULL AND p.dataset_id IS NOT NULL
         THEN c.downloads - p.downloads END AS downloads_change,
    CASE WHEN c.dataset_id IS NULL THEN 'removed'
         WHEN p.dataset_id IS NULL AND k.agency IS NULL THEN 'not_compared'
         WHEN p.dataset_id IS NULL THEN 'new'
         WHEN r.dataset_id IS NOT NULL THEN 'recount'
         WHEN c.views < p.views OR c.downloads < p.downloads THEN 'reset'
         ELSE 'kept' END AS change_kind,
    coalesce(c.dataset_id IS NOT NULL AND p.dataset_id IS NOT NULL
             AND (c.views < p.views OR c.downloads < p.downloads), false) AS fell,
    CASE WHEN c.dataset_id IS NOT NULL AND p.dataset_id IS NOT NULL THEN r.recount_event END
        AS recount_event,
    d.service_category
FROM cur c
FULL JOIN prev p ON c.dataset_id = p.dataset_id
LEFT JOIN covered k ON k.agency = coalesce(c.agency, p.agency)
LEFT JOIN recounted r ON r.dataset_id = coalesce(c.dataset_id, p.dataset_id)
LEFT JOIN core_dataset d ON d.dataset_id = coalesce(c.dataset_id, p.dataset_id);

-- Per agency: datasets, counts, growth, and the reconciliation of each measure
-- (before + increase − fall + recount + new − removed = after), null where not compared.
CREATE OR REPLACE MACRO agency_usage(as_of_day, agencies, since_day) AS TABLE
WITH pairs AS (
    FROM usage_pairs(as_of_day, agencies, since_day)
), covered AS (
    SELECT DISTINCT agency FROM core_counter WHERE snapshot_date = since_day
), parts AS (
    SELECT pairs.*, k.agency IS NOT NULL AS known FROM pairs LEFT JOIN covered k ON k.agency = pairs.agency
), measured AS (  -- one row per dataset and measure: each reconciliation rule is written once
    SELECT agency, known, change_kind, m.measure, m.now, m.was, m.diff
    FROM parts, unnest([{'measure': 'views', 'now': views, 'was': views_before, 'diff': views_change},
                        {'measure': 'downloads', 'now': downloads, 'was': downloads_before,
                         'diff': downloads_change}]) AS u(m)
), reconciled AS (
    SELECT agency, measure, CASE WHEN bool_or(known) THEN {
        'before': coalesce(sum(was), 0),
        'after': coalesce(sum(now) FILTER (WHERE change_kind <> 'not_compared'), 0),
        'increase': coalesce(sum(diff) FILTER (WHERE change_kind IN ('kept', 'reset') AND diff > 0), 0),
        'fall': coalesce(-sum(diff) FILTER (WHERE change_kind IN ('kept', 'reset') AND diff < 0), 0),
        'recount': coalesce(sum(diff) FILTER (WHERE change_kind = 'recount'), 0),
        'new': coalesce(sum(now) FILTER (WHERE change_kind = 'new'), 0),
        'removed': coalesce(sum(was) FILTER (WHERE change_kind = 'removed'), 0)} END AS r
    FROM measured GROUP BY agency, measure
), counted AS (
    SELECT agency, bool_or(known) AS known,
           count(*) FILTER (WHERE change_kind <> 'removed') AS datasets,
           coalesce(sum(views), 0) AS views,
           coalesce(sum(downloads), 0) AS downloads,
           coalesce(sum(views_change) FILTER (WHERE views_change >= 0), 0) AS views_growth,
           coalesce(sum(downloads_change) FILTER (WHERE downloads_change >= 0), 0) AS downloads_growth,
           count(*) FILTER (WHERE fell) AS counter_resets,
           count(*) FILTER (WHERE change_kind = 'new') AS new_datasets,
           count(*) FILTER (WHERE change_kind = 'removed') AS removed_datasets,
           count(*) FILTER (WHERE change_kind = 'recount') AS recount_datasets
    FROM parts GROUP BY agency
)
SELECT a.agency, a.short_name, a.sort_order, g.datasets, g.views, g.downloads,
       CASE WHEN g.known THEN g.views_growth END AS views_growth,
       CASE WHEN g.known THEN g.downloads_growth END AS downloads_growth,
       CASE WHEN g.known THEN g.counter_resets END AS counter_resets,
       CASE WHEN g.known THEN g.new_datasets END AS new_datasets,
       CASE WHEN g.known THEN g.removed_datasets END AS removed_datasets,
       CASE WHEN g.known THEN g.recount_datasets END AS recount_datasets,
       v.r.before AS views_before, v.r.after AS views_after, v.r.increase AS views_increase,
       v.r.fall AS views_fall, v.r.recount AS views_recount, v.r.new AS views_new,
       v.r.removed AS views_removed,
       d.r.before AS downloads_before, d.r.after AS downloads_after, d.r.increase AS downloads_increase,
       d.r.fall AS downloads_fall, d.r.recount AS downloads_recount, d.r.new AS downloads_new,
       d.r.removed AS downloads_removed
FROM counted g
JOIN core_agency a ON a.agency = g.agency
LEFT JOIN reconciled v ON v.agency = g.agency AND v.measure = 'views'
LEFT JOIN reconciled d ON d.agency = g.agency AND d.measure = 'downloads'
ORDER BY a.sort_order, a.agency;

-- 附件一 ordering: datasets of the as-of snapshot ranked by downloads (by_measure = 'views': views).
CREATE OR REPLACE MACRO usage_ranking(as_of_day, agencies, since_day, by_measure) AS TABLE
SELECT row_number() OVER (ORDER BY
           CASE WHEN by_measure = 'views' THEN views ELSE downloads END DESC,
           CASE WHEN by_measure = 'views' THEN downloads ELSE views END DESC, dataset_id) AS rank,
       *
FROM usage_pairs(as_of_day, agencies, since_day) WHERE change_kind <> 'removed'
ORDER BY rank;

-- Pairs across the two snapshots as `python -m kpi matches` lists them (kpi/metrics/matches.py).
CREATE OR REPLACE MACRO dataset_pairs(as_of_day, agencies, since_day) AS TABLE
WITH pairs AS (
    FROM usage_pairs(as_of_day, agencies, since_day)
), old AS (
    SELECT dataset_id, listed_on FROM core_counter WHERE snapshot_date = since_day
)
SELECT pairs.agency, pairs.dataset_id,
       CASE WHEN change_kind = 'removed' THEN dataset_name ELSE previous_name END AS old_name,
       CASE WHEN change_kind = 'removed' THEN NULL ELSE dataset_name END AS new_name,
       CASE WHEN change_kind IN ('removed', 'new') THEN change_kind ELSE match_kind END AS how,
       old.listed_on AS old_listed_on, pairs.listed_on AS new_listed_on,
       views_before, downloads_before, views, downloads,
       NULL::DOUBLE AS score, NULL::VARCHAR AS reason
FROM pairs LEFT JOIN old USING (dataset_id)
WHERE change_kind <> 'not_compared';

-- ── Feedback (SPEC §4.5; kpi/metrics/feedback.py) ─────────────────────────────────────────────────
-- The opinions posted in (since_day, as_of_day], with days and class by day_mode
-- ('calendar' or 'working').
CREATE OR REPLACE MACRO feedback_items(day_mode, agencies, as_of_day, since_day) AS TABLE
SELECT *,
       CASE WHEN day_mode = 'working' THEN days_working ELSE days_calendar END AS days,
       CASE WHEN day_mode = 'working' THEN class_working ELSE class_calendar END AS judged
FROM core_feedback
WHERE list_contains(agencies, agency) AND posted_on <= as_of_day
  AND (CAST(since_day AS DATE) IS NULL OR posted_on > since_day);

CREATE OR REPLACE MACRO feedback_summary(day_mode, agencies, as_of_day, since_day) AS TABLE
SELECT agency,
       count(*) AS total,
       count(*) FILTER (WHERE judged = 'on_time') AS on_time,
       count(*) FILTER (WHERE judged = 'late') AS late,
       count(*) FILTER (WHERE judged = 'pending') AS pending,
       count(*) FILTER (WHERE judged = 'overdue') AS overdue,
       avg(days) FILTER (WHERE replied_on IS NOT NULL) AS mean_days,
       count(*) FILTER (WHERE replied_on IS NOT NULL AND days <= 3) AS within_3_days
FROM feedback_items(day_mode, agencies, as_of_day, since_day) GROUP BY agency;

-- Per agency: opinions first answered within `threshold` days (the plan's reply bonus).
CREATE OR REPLACE MACRO fast_replies(day_mode, agencies, as_of_day, since_day, threshold) AS TABLE
SELECT agency, count(*) AS n FROM feedback_items(day_mode, agencies, as_of_day, since_day)
WHERE replied_on IS NOT NULL AND days <= threshold
GROUP BY agency;

-- ── Period coverage (SPEC §1, §7; kpi/metrics/coverage.py) ─────────────────────────────────────────
-- Every dated item by kind, with the date that decides its period.
CREATE OR REPLACE VIEW dated_item AS
SELECT 'feedback' AS item_kind, agency, CAST(posted_on AS DATE) AS d FROM core_feedback
UNION ALL SELECT 'requests', agency, CAST(posted_on AS DATE) FROM core_request
UNION ALL SELECT 'meetings', agency, CAST(held_on AS DATE) FROM core_meeting
UNION ALL SELECT 'catalogue', agency, CAST(snapshot_date AS DATE) FROM core_catalogue;

-- Items of one kind: in (since_day, as_of_day] for the agencies, anywhere for them, their first and
-- last dates, the last on or before the newest snapshot, and the kind's items of every agency.
CREATE OR REPLACE MACRO item_coverage(kind_name, as_of_day, since_day, last_day, agencies) AS TABLE
WITH mine AS (
    SELECT d FROM dated_item
    WHERE item_kind = kind_name AND d IS NOT NULL AND list_contains(agencies, agency)
)
SELECT count(*) FILTER (WHERE d <= as_of_day AND (CAST(since_day AS DATE) IS NULL OR d > since_day))
           AS in_period,
       count(*) AS everywhere, min(d) AS first, max(d) AS last,
       max(d) FILTER (WHERE d <= last_day) AS last_seen,
       (SELECT count(*) FROM dated_item WHERE item_kind = kind_name) AS total
FROM mine;

-- ── Awards (附件五; kpi/metrics/awards.py) ──────────────────────────────────────────────────────────
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

-- ── Quality and API coverage (kpi/metrics/quality.py, api_coverage.py) ──────────────────────────────
-- The newest catalogue on or before the day, limited to the agencies.
CREATE OR REPLACE MACRO latest_catalogue(as_of_day, agencies) AS TABLE
WITH pick AS (
    SELECT max(snapshot_date) AS d FROM core_catalogue WHERE snapshot_date <= as_of_day
)
SELECT c.* FROM core_catalogue c, pick WHERE c.snapshot_date = pick.d AND list_contains(agencies, c.agency);

-- The newest quality-check result per dataset key on or before the day.
CREATE OR REPLACE MACRO latest_qc(as_of_day) AS TABLE
WITH qc_pick AS (
    SELECT max(snapshot_date) AS d FROM core_qc WHERE snapshot_date <= as_of_day
)
SELECT qc.* FROM core_qc qc, qc_pick WHERE qc.snapshot_date = qc_pick.d;

-- One row per catalogue dataset: star level, badge and the three correctness parts; an update is
-- late past its frequency plus greatest(grace_days, grace_share × frequency).
CREATE OR REPLACE MACRO dataset_quality(as_of_day, agencies, grace_days, grace_share) AS TABLE
WITH cat AS (
    FROM latest_catalogue(as_of_day, agencies)
), res AS (
    SELECT dataset_key, unnest(formats) AS file_format FROM cat
), best AS (
    SELECT c.dataset_key,
           coalesce(max(coalesce(s.stars, 1)) FILTER (WHERE r.file_format IS NOT NULL), 0) AS stars,
           list(DISTINCT r.file_format) FILTER (WHERE s.stars IS NULL AND r.file_format IS NOT NULL)
               AS unknown_formats
    FROM cat c
    LEFT JOIN res r USING (dataset_key)
    LEFT JOIN core_format_star s ON s.file_format = r.file_format
    GROUP BY c.dataset_key
), urls AS (
    SELECT dataset_key, unnest(urls) AS url FROM cat
), checks AS (
    SELECT url, broken, reason, checked_at,
           row_number() OVER (PARTITION BY url ORDER BY checked_at DESC) AS nth
    FROM core_link_check
), link AS (
    SELECT u.dataset_key,
           count(*) AS resources,
           count(c1.url) AS checked,
           count(*) FILTER (WHERE c1.broken) AS broken_now,
           count(*) FILTER (WHERE c1.broken AND c2.broken) AS broken_twice,
           string_agg(c1.reason, '；') FILTER (WHERE c1.broken) AS broken_reasons
    FROM urls u
    LEFT JOIN checks c1 ON c1.url = u.url AND c1.nth = 1
    LEFT JOIN checks c2 ON c2.url = u.url AND c2.nth = 2
    GROUP BY u.dataset_key
), q AS (
    FROM latest_qc(as_of_day)
)
SELECT c.agency, c.dataset_key, c.dataset_name, c.badge, c.update_frequency, c.update_days,
       c.metadata_updated_at, c.snapshot_date AS catalogue_date, c.contact_name, c.contact_phone,
       b.stars, b.unknown_formats,
       c.update_days IS NOT NULL
         AND date_diff('day', CAST(c.metadata_updated_at AS DATE), c.snapshot_date)
             > c.update_days + greatest(grace_days, grace_share * c.update_days) AS late_update,
       coalesce(q.linkable = false OR q.downloadable = false, false)
         OR coalesce(l.broken_now > 0, false) AS broken_link,
       coalesce(l.broken_twice > 0, false) AS broken_twice,
       l.broken_reasons,
       (trim(coalesce(c.contact_name, '')) = '' OR trim(coalesce(c.contact_phone, '')) = ''
         OR coalesce(q.encoding_match = false, false) OR coalesce(q.desc_match = false, false))
         AS wrong_info,
       q.dataset_key IS NOT NULL OR coalesce(l.checked = l.resources AND l.resources > 0, false)
         AS link_checked
FROM cat c JOIN best b USING (dataset_key)
LEFT JOIN q USING (dataset_key)
LEFT JOIN link l USING (dataset_key)
ORDER BY c.agency, c.dataset_name;

CREATE OR REPLACE MACRO agency_quality(as_of_day, agencies, grace_days, grace_share) AS TABLE
SELECT agency,
       count(*) AS datasets,
       count(*) FILTER (WHERE stars >= 3) AS three_star,
       count(*) FILTER (WHERE stars >= 4) AS four_five_star,
       count(*) FILTER (WHERE late_update) AS late_updates,
       count(*) FILTER (WHERE broken_link) AS broken_links,
       count(*) FILTER (WHERE broken_twice) AS broken_twice,
       count(*) FILTER (WHERE wrong_info) AS wrong_info,
       count(*) FILTER (WHERE link_checked) AS link_checked,
       count(*) FILTER (WHERE badge IN ('gold', 'platinum')) AS gold,
       count(*) FILTER (WHERE badge = 'silver') AS silver,
       count(*) FILTER (WHERE badge = 'bronze') AS bronze
FROM dataset_quality(as_of_day, agencies, grace_days, grace_share) GROUP BY agency;

-- Every 資料下載網址 of the newest catalogue of the agencies, with its declared format.
CREATE OR REPLACE MACRO link_targets(as_of_day, agencies) AS TABLE
SELECT dataset_key, agency, unnest(urls) AS url, unnest(formats) AS declared_format
FROM latest_catalogue(as_of_day, agencies);

-- Per catalogue dataset: formats, stars, structured, has an API (a declared API format in
-- api_formats, or a download URL matching api_path).
CREATE OR REPLACE MACRO dataset_api(as_of_day, agencies, api_formats, api_path) AS TABLE
WITH cat AS (
    FROM latest_catalogue(as_of_day, agencies)
), res AS (
    SELECT dataset_key, unnest(formats) AS file_format, unnest(urls) AS url FROM cat
), per AS (
    SELECT c.dataset_key,
           coalesce(max(coalesce(s.stars, 1)) FILTER (WHERE r.file_format IS NOT NULL), 0) AS stars,
           coalesce(bool_or(list_contains(api_formats, upper(trim(r.file_format)))
                            OR regexp_matches(coalesce(r.url, ''), api_path)), false) AS has_api
    FROM cat c
    LEFT JOIN res r USING (dataset_key)
    LEFT JOIN core_format_star s ON s.file_format = r.file_format
    GROUP BY c.dataset_key
), q AS (
    SELECT dataset_key, structure FROM latest_qc(as_of_day)
)
SELECT c.agency, c.dataset_key, c.dataset_name, array_to_string(c.formats, ';') AS formats,
       p.stars, p.has_api, q.structure AS qc_structure,
       p.stars >= 3 AND coalesce(q.structure, true) AS structured
FROM cat c JOIN per p USING (dataset_key) LEFT JOIN q USING (dataset_key)
ORDER BY c.agency, c.dataset_key;

-- ── National comparison (kpi/metrics/national.py) ────────────────────────────────────────────────
-- Read from the per-snapshot pre-aggregate (kpi/build/totals.py), not the counter's rows.
CREATE OR REPLACE MACRO agency_totals(as_of_day) AS TABLE
SELECT agency, short_name, is_ministry, sum(t.datasets)::BIGINT AS datasets, sum(t.views) AS views,
       sum(t.downloads) AS downloads
FROM core_counter_total t JOIN core_agency a USING (agency) WHERE t.snapshot_date = as_of_day
GROUP BY agency, short_name, is_ministry ORDER BY downloads DESC, agency;

-- An agency missing from the parent map (a later export) is its own group, flagged, not dropped.
CREATE OR REPLACE MACRO group_totals(as_of_day) AS TABLE
SELECT coalesce(p.parent, t.agency) AS parent, count(DISTINCT t.agency)::BIGINT AS members,
       bool_or(p.parent IS NULL) AS unplaced, sum(t.datasets)::BIGINT AS datasets,
       sum(t.views)::BIGINT AS views, sum(t.downloads)::BIGINT AS downloads
FROM core_counter_total t LEFT JOIN core_agency_parent p USING (agency) WHERE t.snapshot_date = as_of_day
GROUP BY 1;

CREATE OR REPLACE MACRO unplaced_agencies(as_of_day) AS TABLE
SELECT DISTINCT t.agency FROM core_counter_total t ANTI JOIN core_agency_parent p USING (agency)
WHERE t.snapshot_date = as_of_day ORDER BY t.agency;

CREATE OR REPLACE VIEW parent_map AS
SELECT agency, parent, how AS placed_by, basis,
       count(*) OVER (PARTITION BY parent)::BIGINT AS names_in_group
FROM core_agency_parent ORDER BY parent, agency;

-- ── Recount events and match candidates (kpi/metrics/recounts.py, matches.py) ──────────────────────
-- Recount events inside [since_day, as_of_day] with their members among the agencies, and how many
-- of those fell; events with no member among the agencies are left out.
CREATE OR REPLACE MACRO recount_events(agencies, since_day, as_of_day) AS TABLE
SELECT e.event_id, e.kind, e.since_date, e.as_of_date, e.listed_from, e.listed_to, e.agency,
       e.datasets AS cohort_datasets, e.fell AS cohort_fell, e.share, e.share_outside, e.status,
       e.note, e.decided_by, e.decided_at,
       count(c.dataset_id) AS datasets,
       count(c.dataset_id) FILTER (WHERE c.views < p.views OR c.downloads < p.downloads) AS fell
FROM core_recount_event e
JOIN core_recount_event_member m USING (event_id)
LEFT JOIN core_counter c ON c.dataset_id = m.dataset_id AND c.snapshot_date = m.as_of_date
     AND list_contains(agencies, c.agency)
LEFT JOIN core_counter p ON p.dataset_id = m.dataset_id AND p.snapshot_date = m.since_date
WHERE e.since_date >= since_day AND e.as_of_date <= as_of_day
GROUP BY ALL
HAVING count(c.dataset_id) > 0
ORDER BY e.since_date, e.event_id;

-- Candidate and rejected pairs the office sees on 比對確認, with both snapshots' counts.
CREATE OR REPLACE MACRO match_candidates(as_of_day, since_day, agencies) AS TABLE
SELECT m.agency, m.dataset_id, m.candidate_name AS old_name, m.dataset_name AS new_name,
       m.status AS how, o.listed_on AS old_listed_on, n.listed_on AS new_listed_on,
       o.views AS views_before, o.downloads AS downloads_before, n.views, n.downloads,
       m.score, m.reason
FROM core_match_candidate m
JOIN core_counter n ON n.dataset_id = m.dataset_id AND n.snapshot_date = as_of_day  -- one file read
LEFT JOIN core_counter o ON o.dataset_id = m.candidate_id AND o.snapshot_date = since_day
WHERE m.snapshot_date = as_of_day AND list_contains(agencies, m.agency);
