-- ── Usage (SPEC §5; kpi/metrics/usage.py)
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
