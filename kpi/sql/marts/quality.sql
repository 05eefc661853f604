-- ── Quality and API coverage (kpi/metrics/quality.py, api_coverage.py)
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
