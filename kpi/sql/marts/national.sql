-- ── National comparison (kpi/metrics/national.py)
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
