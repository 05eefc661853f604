-- ── Feedback (SPEC §4.5; kpi/metrics/feedback.py)
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
