-- Core layer: typed, joined views over the raw tables of one store version.
-- Marts (the KPI queries, with bound parameters) live in kpi/metrics/*.py and read only these.

CREATE OR REPLACE VIEW core_counter AS
SELECT c.*, a.short_name, a.is_ministry, a.sort_order
FROM counter c JOIN agency a ON a.agency = c.agency;

-- One row per public opinion, with reply days counted two ways, judged at the date of the export
-- it came from: an unanswered opinion is pending within 6 days of that date, overdue after.
CREATE OR REPLACE VIEW core_feedback AS
WITH f AS (
    SELECT feedback_id, agency, dataset_name, title, status, source, content, reply_content,
           CAST(posted_at AS DATE) AS posted_on,
           CAST(first_reply_at AS DATE) AS replied_on,
           source_as_of AS judged_on
    FROM feedback
), d AS (
    SELECT f.*,
           date_diff('day', posted_on, coalesce(replied_on, judged_on)) AS days_calendar,
           (SELECT count(*) FROM calendar k
             WHERE k.day > f.posted_on AND k.day <= coalesce(f.replied_on, f.judged_on)
               AND k.is_workday) AS days_working
    FROM f
)
SELECT d.*,
       CASE WHEN replied_on IS NOT NULL AND days_calendar <= 6 THEN 'on_time'
            WHEN replied_on IS NOT NULL THEN 'late'
            WHEN days_calendar <= 6 THEN 'pending' ELSE 'overdue' END AS class_calendar,
       CASE WHEN replied_on IS NOT NULL AND days_working <= 6 THEN 'on_time'
            WHEN replied_on IS NOT NULL THEN 'late'
            WHEN days_working <= 6 THEN 'pending' ELSE 'overdue' END AS class_working
FROM d;
