-- ── Period coverage (SPEC §1, §7; kpi/metrics/coverage.py)
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
