-- Core layer: typed, joined relations over the raw tables of one store version.
-- Marts (kpi/sql/marts/*.sql: views and table macros; the small queries left in kpi/metrics/*.py, all
-- with bound parameters) read only these core_* names, never a raw table (tests/store/test_sql_layers.py).
-- Loaded by kpi/store/layers.py one statement at a time; `-- needs:` / `-- unless:` there.

-- Tables newer than some stores still serving: a version written by the previous release (kept
-- serving while the new format is built in the background) reads them as empty, not as an error.
CREATE TABLE IF NOT EXISTS counter_pair (since_date DATE, as_of_date DATE, continuing BIGINT, fell BIGINT);
CREATE TABLE IF NOT EXISTS recount_event (
    event_id VARCHAR, since_date DATE, as_of_date DATE, kind VARCHAR, listed_from DATE, listed_to DATE,
    agency VARCHAR, datasets BIGINT, fell BIGINT, share DOUBLE, share_outside DOUBLE, views_change BIGINT,
    downloads_change BIGINT, status VARCHAR, note VARCHAR, decided_by VARCHAR, decided_at VARCHAR);
CREATE TABLE IF NOT EXISTS recount_member (event_id VARCHAR, dataset_id BIGINT, since_date DATE, as_of_date DATE);
CREATE TABLE IF NOT EXISTS agency_parent (agency VARCHAR, parent VARCHAR, how VARCHAR, basis VARCHAR);
CREATE TABLE IF NOT EXISTS committee_meeting (
    held_on DATE, title VARCHAR, place VARCHAR, chair VARCHAR, snapshot_date DATE, source VARCHAR);
CREATE TABLE IF NOT EXISTS resolution (
    meeting_on DATE, subject VARCHAR, decision VARCHAR, agency VARCHAR, due_on DATE, progress VARCHAR,
    status VARCHAR, source VARCHAR);

CREATE OR REPLACE VIEW core_counter AS
SELECT c.*, a.short_name, a.is_ministry, a.sort_order
FROM counter c JOIN agency a ON a.agency = c.agency;

-- Working days as a running index, so "working days between two dates" is one subtraction.
CREATE OR REPLACE TABLE core_calendar AS
SELECT day, is_workday, holiday,
       sum(CASE WHEN is_workday THEN 1 ELSE 0 END) OVER (ORDER BY day) AS workday_index
FROM calendar;

-- One row per public opinion, with reply days counted two ways, judged at the date of the export
-- it came from: an unanswered opinion is pending within 6 days of that date, overdue after.
-- Materialised once per store version (the dashboard reads it on every feedback page).
CREATE OR REPLACE TABLE core_feedback AS
WITH f AS (
    SELECT feedback_id, agency, dataset_name, title, status, source, content, reply_content,
           CAST(posted_at AS DATE) AS posted_on,
           CAST(first_reply_at AS DATE) AS replied_on,
           CAST(source_as_of AS DATE) AS judged_on
    FROM feedback
), d AS (
    SELECT f.*,
           date_diff('day', posted_on, coalesce(replied_on, judged_on)) AS days_calendar,
           e.workday_index - s.workday_index AS days_working
    FROM f
    LEFT JOIN core_calendar s ON s.day = f.posted_on
    LEFT JOIN core_calendar e ON e.day = coalesce(f.replied_on, f.judged_on)
)
SELECT d.*,
       CASE WHEN replied_on IS NOT NULL AND days_calendar <= 6 THEN 'on_time'
            WHEN replied_on IS NOT NULL THEN 'late'
            WHEN days_calendar <= 6 THEN 'pending' ELSE 'overdue' END AS class_calendar,
       CASE WHEN replied_on IS NOT NULL AND days_working <= 6 THEN 'on_time'
            WHEN replied_on IS NOT NULL THEN 'late'
            WHEN days_working <= 6 THEN 'pending' ELSE 'overdue' END AS class_working
FROM d;

-- Datasets whose growth is unknown: members of recount events the office has not rejected
-- (kpi/build/recounts.py; one row per dataset and consecutive pair of snapshots).
CREATE OR REPLACE VIEW core_recount_member AS
SELECT m.event_id, m.dataset_id, m.since_date, m.as_of_date
FROM recount_member m JOIN recount_event e USING (event_id)
WHERE e.status <> 'rejected';

-- One view per raw table the marts (and kpi/exports, kpi/cycle) read, under a core_ name: the one place a raw table's name or
-- layout meets the marts. Views are inlined by DuckDB: no copy, no cost.
CREATE OR REPLACE VIEW core_action_plan AS SELECT * FROM action_plan;
CREATE OR REPLACE VIEW core_agency AS SELECT * FROM agency;
CREATE OR REPLACE VIEW core_agency_parent AS SELECT * FROM agency_parent;
CREATE OR REPLACE VIEW core_award_rule AS SELECT * FROM award_rule;
CREATE OR REPLACE VIEW core_committee_meeting AS SELECT * FROM committee_meeting;
-- The counter without the agency columns (core_counter adds them): counts that need no agency name.
CREATE OR REPLACE VIEW core_counter_row AS SELECT * FROM counter;
CREATE OR REPLACE VIEW core_counter_total AS SELECT * FROM counter_total;
CREATE OR REPLACE VIEW core_dataset AS SELECT * FROM dataset;
CREATE OR REPLACE VIEW core_format_star AS SELECT * FROM format_star;
CREATE OR REPLACE VIEW core_link_check AS SELECT * FROM link_check;
CREATE OR REPLACE VIEW core_match_candidate AS SELECT * FROM match_candidate;
CREATE OR REPLACE VIEW core_match_decision AS SELECT * FROM match_decision;
CREATE OR REPLACE VIEW core_meeting AS SELECT * FROM meeting;
CREATE OR REPLACE VIEW core_new_dataset_list AS SELECT * FROM new_dataset_list;
CREATE OR REPLACE VIEW core_oas_api AS SELECT * FROM oas_api;
CREATE OR REPLACE VIEW core_plan_count AS SELECT * FROM plan_count;
CREATE OR REPLACE VIEW core_portal_total AS SELECT * FROM portal_total;
CREATE OR REPLACE VIEW core_qc AS SELECT * FROM qc;
CREATE OR REPLACE VIEW core_recount_event AS SELECT * FROM recount_event;
-- Every member of every recount event, rejected ones included (the 重新計數事件 list shows them all).
CREATE OR REPLACE VIEW core_recount_event_member AS SELECT * FROM recount_member;
CREATE OR REPLACE VIEW core_request AS SELECT * FROM request;
CREATE OR REPLACE VIEW core_resolution AS SELECT * FROM resolution;
CREATE OR REPLACE VIEW core_snapshot AS SELECT * FROM snapshot;
CREATE OR REPLACE VIEW core_target AS SELECT * FROM target;

-- The dataset catalogue is imported by the office, so a store may have none: then core_catalogue
-- is empty with the columns kpi/importing/catalogue.py writes (the marts bind either way; "was it
-- imported?" still asks for the raw table).
-- needs: catalogue
CREATE OR REPLACE VIEW core_catalogue AS SELECT * FROM catalogue;
-- unless: catalogue
CREATE OR REPLACE VIEW core_catalogue AS
SELECT NULL::VARCHAR AS dataset_key, NULL::VARCHAR AS dataset_name, NULL::VARCHAR AS provision,
       NULL::VARCHAR AS service_category, NULL::VARCHAR AS badge, NULL::VARCHAR[] AS formats,
       NULL::VARCHAR[] AS urls, NULL::VARCHAR[] AS encodings, NULL::VARCHAR AS listing_method,
       NULL::VARCHAR AS description, NULL::VARCHAR AS field_notes, NULL::VARCHAR AS publisher,
       NULL::VARCHAR AS update_frequency, NULL::VARCHAR AS licence, NULL::VARCHAR AS related_url,
       NULL::VARCHAR AS fee, NULL::VARCHAR AS contact_name, NULL::VARCHAR AS contact_phone,
       NULL::DATE AS listed_on, NULL::TIMESTAMP AS metadata_updated_at, NULL::VARCHAR AS note,
       NULL::VARCHAR[] AS sizes, NULL::DOUBLE AS update_days, NULL::VARCHAR AS agency,
       NULL::BIGINT AS row_no, NULL::DATE AS snapshot_date, NULL::VARCHAR AS source
WHERE false;
