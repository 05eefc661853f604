-- ── Recount events (kpi/metrics/recounts.py)
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
