"""The single-point mutants of scripts/mutation_check.py: (id, file, exact old text, new text, tests).

Each is a slip a person could make in the rule: a comparison moved by one (< for <=), min for max,
swapped arguments, a dropped filter or condition, a date moved by a day.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str
    old: str
    new: str
    what: str
    tests: tuple[str, ...]


E = "tests/engine/"
AWARDS = (E + "test_awards.py", E + "test_boundaries_awards.py")
RANKS = (E + "test_scorecard.py", E + "test_boundaries_ranks.py")
USAGE_RANKS = (E + "test_kpi_usage.py", E + "test_boundaries_ranks.py")
PERIODS = (E + "test_period_coverage.py", E + "test_boundaries_periods.py")
SINCE = (E + "test_since_meeting.py", E + "test_boundaries_since.py")
DECLINE = (E + "test_reconciliation.py", E + "test_boundaries_decline.py")
RECOUNTS = (E + "test_reconciliation.py", E + "test_boundaries_recounts.py")
GROWTH = (E + "test_plan_growth_readings.py", E + "test_boundaries_plan_growth.py")
NATIONAL = (E + "test_national_groups.py", E + "test_boundaries_ranks.py")
PARSE = ("tests/importing/test_imports.py", "tests/importing/test_hostile_text.py", E + "test_names_dates.py",
         "tests/importing/test_boundaries_cells.py")
REPLACE = ("tests/importing/test_imports.py", "tests/store/test_service.py",
           "tests/importing/test_boundaries_replace.py")
TOTALS = ("tests/exports/test_excel.py", "tests/exports/test_exports.py", "tests/exports/test_boundaries_totals.py")
FETCH = ("tests/net/test_fetch.py", "tests/net/test_fetch_faults.py", "tests/net/test_boundaries_redirects.py")
CYCLE = ("tests/cycle/test_delivery.py", "tests/cycle/test_notices.py", "tests/cycle/test_boundaries_schedule.py")
OPS = ("tests/ops/test_health.py", "tests/ops/test_backup.py", "tests/ops/test_boundaries_ops.py")

AW, SC, NA, PE, CO = ("kpi/metrics/awards.py", "kpi/metrics/scorecard.py", "kpi/metrics/national.py",
                      "kpi/metrics/periods.py", "kpi/metrics/coverage.py")
RC, DE, PG, CL, DA = ("kpi/build/recounts.py", "kpi/metrics/decline.py", "kpi/metrics/plan_growth.py",
                      "kpi/importing/columns.py", "kpi/reference/dates.py")
M = Mutant
MUTANTS: list[Mutant] = [
    # --- awards: one-year window, resets, maxima, badges ---------------------------------------------
    M("aw-year-open", AW, "s.snapshot_date) >= rules.min_days AS open_one_year",
      "s.snapshot_date) > rules.min_days AS open_one_year", "open_one_year >= → >", AWARDS),
    M("aw-year-young", AW, "s.snapshot_date) < rules.min_days THEN 'young'",
      "s.snapshot_date) <= rules.min_days THEN 'young'", "young < → <=", AWARDS),
    M("aw-year-day", AW, "s.snapshot_date) < rules.min_days THEN 'young'",
      "s.snapshot_date) < rules.min_days - 1 THEN 'young'", "young window a day short", AWARDS),
    M("aw-reset-or", AW, "WHEN c.views < p.views OR c.downloads < p.downloads THEN 'reset'",
      "WHEN c.views < p.views AND c.downloads < p.downloads THEN 'reset'", "reset needs both counters", AWARDS),
    M("aw-max-min", AW, "SELECT max(period_views) AS max_views",
      "SELECT min(period_views) AS max_views", "max views → min", AWARDS),
    M("aw-swap-points", AW, "rules.pv * s.period_views / nullif(top.max_views, 0)",
      "rules.pd * s.period_views / nullif(top.max_views, 0)", "views scored with download points", AWARDS),
    M("aw-badge-date", AW, "WHERE snapshot_date <= ?)\n    GROUP BY", "WHERE snapshot_date < ?)\n    GROUP BY",
      "catalogue on the as-of date not used", AWARDS),
    M("aw-recount-since", AW, "since_date >= ? AND as_of_date <= ?", "since_date > ? AND as_of_date <= ?",
      "recount starting on the since date ignored", AWARDS),
    M("aw-listed-after", AW, "coalesce(c.listed_on > ?, false) THEN NULL",
      "coalesce(c.listed_on >= ?, false) THEN NULL", "listed on the since date treated as new", AWARDS),
    # --- ranks and ties ----------------------------------------------------------------------------------
    M("sc-tie-max", SC, 'known.rank(ascending=not higher_is_better, method="min")',
      'known.rank(ascending=not higher_is_better, method="max")', "ties take the worse place", RANKS),
    M("sc-tie-first", SC, 'known.rank(ascending=not higher_is_better, method="min")',
      'known.rank(ascending=not higher_is_better, method="first")', "ties broken by order", RANKS),
    M("sc-year-start", SC, "dt.date(year - 1, 12, 31), scope.agencies)", "dt.date(year, 1, 1), scope.agencies)",
      "plan-year feedback window starts a day late", RANKS),
    M("sc-year-min", SC, "Scope(min(scope.as_of, dt.date(year, 12, 31))", "Scope(max(scope.as_of, dt.date(year, 12, 31))",
      "plan-year end min → max", RANKS),
    M("us-rank-filtered", "kpi/metrics/usage.py",
      "whole = ranking(gw, dataclasses.replace(scope, agencies=MINISTRY_OFFICIAL), by)",
      "whole = ranking(gw, scope, by)", "ranks computed after filtering", USAGE_RANKS),
    M("na-tie-dense", NA, 'frame[by].rank(ascending=False, method="min")',
      'frame[by].rank(ascending=False, method="dense")', "ties 1,2,2,3 instead of 1,2,2,4", NATIONAL),
    M("na-unplaced", NA, "bool_or(p.parent IS NULL) AS unplaced", "bool_and(p.parent IS NULL) AS unplaced",
      "group unplaced only if all are", NATIONAL),
    # --- year periods and coverage -----------------------------------------------------------------------
    M("pe-since-tie", PE, "since = min(dates, key=lambda d: (abs((d - start).days), d))",
      "since = min(dates, key=lambda d: (abs((d - start).days), -d.toordinal()))", "since tie goes later", PERIODS),
    M("pe-asof-tie", PE, "as_of = min(later, key=lambda d: (abs((d - end).days), -d.toordinal()))",
      "as_of = min(later, key=lambda d: (abs((d - end).days), d))", "as-of tie goes earlier", PERIODS),
    M("pe-outside", PE, "if as_of < start or since > end:", "if as_of <= start or since > end:",
      "a pair ending on 1/1 refused", PERIODS),
    M("pe-missing-start", PE, "missing.append((start, min(since - ONE_DAY, end)))",
      "missing.append((start, min(since, end)))", "missing gap includes the since day", PERIODS),
    M("pe-missing-end", PE, "missing.append((max(as_of + ONE_DAY, start), end))",
      "missing.append((max(as_of, start), end))", "missing gap includes the as-of day", PERIODS),
    M("pe-extra-end", PE, "extra.append((end + ONE_DAY, as_of))", "extra.append((end, as_of))",
      "outside-year span includes 12/31", PERIODS),
    M("pe-two-dates", PE, "if len(dates) < 2:\n        return []", "if len(dates) <= 2:\n        return []",
      "two snapshots give no year", PERIODS),
    M("co-since-open", CO, "(CAST(? AS DATE) IS NULL OR d > ?)) AS in_period",
      "(CAST(? AS DATE) IS NULL OR d >= ?)) AS in_period", "item on the since date in the period", PERIODS),
    M("co-latest-early", CO, "as_of = min(d for d in dates if d >= last)", "as_of = min(d for d in dates if d > last)",
      "feedback period one snapshot late", PERIODS),
    M("co-latest-prev", CO, "earlier = [d for d in dates if d < as_of]", "earlier = [d for d in dates if d <= as_of]",
      "latest period's since = its as-of", PERIODS),
    M("co-last-seen", CO, "max(d) FILTER (WHERE d <= ?) AS last_seen", "max(d) FILTER (WHERE d < ?) AS last_seen",
      "item on the newest snapshot in no period", PERIODS),
    # --- since the meeting ---------------------------------------------------------------------------
    M("sm-since", "kpi/metrics/since_meeting.py", 'pd.to_datetime(items["posted_on"]) > since)',
      'pd.to_datetime(items["posted_on"]) >= since)', "opinion on the comparison date counted", SINCE),
    # --- decline -----------------------------------------------------------------------------------------
    M("de-earlier", DE, "earlier = [d for d in snapshot_dates(gw) if d < scope.since]",
      "earlier = [d for d in snapshot_dates(gw) if d <= scope.since]", "previous period may start at since", DECLINE),
    M("de-tie", DE, "key=lambda d: (abs((d - ideal).days), d)), ideal",
      "key=lambda d: (abs((d - ideal).days), -d.toordinal())), ideal", "previous-start tie goes later", DECLINE),
    M("de-scale", DE, '.astype("float64") * days_now / days_before)', '.astype("float64") * days_before / days_now)',
      "scaling inverted", DECLINE),
    M("de-flat", DE, 'rows["direction"] = rows["difference"].map(lambda d: "成長" if d > 0',
      'rows["direction"] = rows["difference"].map(lambda d: "成長" if d >= 0', "no change counted as growth", DECLINE),
    M("de-ratio-zero", DE, 'rows["usage_previous"].where(rows["usage_previous"] > 0)',
      'rows["usage_previous"].where(rows["usage_previous"] >= 0)', "ratio over zero previous usage", DECLINE),
    # --- recount detection thresholds (RULE) ---------------------------------------------------------------
    M("rc-cohort", RC, "if n_in < rule.min_cohort or", "if n_in <= rule.min_cohort or", "cohort of 20 refused", RECOUNTS),
    M("rc-falls", RC, "or k_in < rule.min_falls or", "or k_in <= rule.min_falls or", "10 falls refused", RECOUNTS),
    M("rc-share", RC, "k_in / n_in < rule.min_share:", "k_in / n_in <= rule.min_share:", "half falling refused",
      RECOUNTS),
    M("rc-times", RC, "k_in / n_in >= rule.times_usual * base", "k_in / n_in > rule.times_usual * base",
      "exactly 5× usual refused", RECOUNTS),
    M("rc-round-falls", RC, 'if rows["fell"].sum() < rule.min_falls:', 'if rows["fell"].sum() <= rule.min_falls:',
      "round stops at 10 falls", RECOUNTS),
    M("rc-portal-size", RC, "if len(rows) >= rule.min_cohort and", "if len(rows) > rule.min_cohort and",
      "portal of 20 refused", RECOUNTS),
    M("rc-fell-views", RC, 'both["fell"] = (both["views_change"] < 0) | (both["downloads_change"] < 0)',
      'both["fell"] = (both["views_change"] < 0)', "downloads falling ignored", RECOUNTS),
    M("rc-llr-equal", RC, "k_in / n_in <= k_out / n_out)", "k_in / n_in < k_out / n_out)",
      "equal rates scored", RECOUNTS),
    M("rc-max-events", RC, "max_events: int = 3", "max_events: int = 2", "third cohort not named", RECOUNTS),
    # --- plan growth readings ---------------------------------------------------------------------------
    M("pg-before", PG, "max(snapshot_date) FILTER (WHERE snapshot_date <= ?) AS before_on",
      "max(snapshot_date) FILTER (WHERE snapshot_date < ?) AS before_on", "1/1 snapshot not a year start", GROWTH),
    M("pg-after", PG, "min(snapshot_date) FILTER (WHERE snapshot_date >= ?) AS after_on",
      "min(snapshot_date) FILTER (WHERE snapshot_date > ?) AS after_on", "12/31 snapshot not a year end", GROWTH),
    M("pg-after-max", PG, "min(snapshot_date) FILTER (WHERE snapshot_date >= ?) AS after_on",
      "max(snapshot_date) FILTER (WHERE snapshot_date >= ?) AS after_on", "year end min → max", GROWTH),
    M("pg-swap", PG, "bool_or(snapshot_date = ?) AS was, bool_or(snapshot_date = ?) AS now",
      "bool_or(snapshot_date = ?) AS now, bool_or(snapshot_date = ?) AS was", "added/removed swapped", GROWTH),
    # --- date and count cells -------------------------------------------------------------------------------
    M("cl-tomorrow", CL, "return today() + dt.timedelta(days=1)", "return today() + dt.timedelta(days=2)",
      "the day after tomorrow accepted", PARSE),
    M("cl-first", CL, "if day is not None and not first <= day <= last:",
      "if day is not None and not first < day <= last:", "2012-01-01 refused", PARSE),
    M("cl-asof", CL, "if as_of is not None and not EARLIEST <= as_of <= latest():",
      "if as_of is not None and not EARLIEST <= as_of < latest():", "as-of tomorrow refused", PARSE),
    M("cl-grouped", CL, r'GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+$")', r'GROUPED = re.compile(r"^\d{1,3}(?:,\d{1,3})+$")',
      "「1,2,3」 taken as 123", PARSE),
    M("cl-max", CL, "if why is None and value is not None and value > MAX_COUNT:",
      "if why is None and value is not None and value > MAX_COUNT + 1:", "10^12+1 accepted", PARSE),
    M("da-year0", DA, "if year == 0:\n", "if year == -1:\n", "ROC year 0 read as 1911", PARSE),
    # --- replace, totals, redirects ---------------------------------------------------------------------------
    M("im-replace-size", "kpi/importing/compare.py", "for r in held.itertuples()]",
      "for r in held.itertuples() if incoming.get(r.agency, 0) < r.n]",
      "--replace not asked when the file is as large", REPLACE),
    M("ex-total-col", "kpi/exports/tables.py", '"downloads": int(frame["downloads"].sum())}',
      '"downloads": int(frame["views"].sum())}', "合計 downloads sums views", TOTALS),
    M("ex-total-before", "kpi/exports/tables.py", '"downloads_before": int(frame["downloads_before"].sum())}',
      '"downloads_before": int(frame["views_before"].sum())}', "合計 downloads before sums views", TOTALS),
    M("nf-hop", "kpi/net/fetch.py", "await check_url(current)  # every hop", "await check_url(url)  # every hop",
      "netguard skipped on a redirect", FETCH),
    M("nf-hops", "kpi/net/fetch.py", "for _ in range(MAX_REDIRECTS + 1):", "for _ in range(MAX_REDIRECTS + 2):",
      "one redirect too many followed", FETCH),
    # --- delivery and notice schedules -------------------------------------------------------------------
    M("cy-due-today", "kpi/cycle/meetings.py", "[today <= d <= last for d", "[today < d <= last for d",
      "a meeting today not due", CYCLE),
    M("cy-due-lead", "kpi/cycle/meetings.py", "last = today + dt.timedelta(days=lead_days)",
      "last = today + dt.timedelta(days=lead_days - 1)", "lead window a day short", CYCLE),
    M("cy-lead-max", "kpi/cycle/delivery.py", "if not 0 <= lead <= MAX_LEAD_DAYS:",
      "if not 0 <= lead < MAX_LEAD_DAYS:", "60-day lead refused", CYCLE),
    M("cy-every", "kpi/cycle/notices.py", '.days < conf["every_days"]:', '.days <= conf["every_days"]:',
      "digest on its day skipped", CYCLE),
    M("cy-every-max", "kpi/cycle/notices.py", "if not 1 <= int(every_days) <= 90:",
      "if not 1 <= int(every_days) < 90:", "90-day interval refused", CYCLE),
    M("cy-late-window", "kpi/cycle/notices.py", "> pd.Timestamp(scope.as_of - LATE_WINDOW)",
      ">= pd.Timestamp(scope.as_of - LATE_WINDOW)", "answered-late a year ago still news", CYCLE),
    M("cy-last-min", "kpi/cycle/notices.py", "last = max((key[len(prefix):]", "last = min((key[len(prefix):]",
      "first digest taken as the last", CYCLE),
    # --- health and backups -------------------------------------------------------------------------------
    M("op-age", "kpi/ops/health.py", "if age > limit else []", "if age >= limit else []",
      "data exactly at the age limit flagged", OPS),
    M("op-disk", "kpi/ops/health.py", "if free_mb < limit else []", "if free_mb <= limit else []",
      "disk exactly at the limit flagged", OPS),
    M("op-last-run", "kpi/ops/health.py", 'last_at = log[-1].get("at")', 'last_at = log[0].get("at")',
      "first fetch run read as the last", OPS),
    M("op-prune", "kpi/ops/backup.py", "found = sorted(folder.glob(NAME_PATTERN), reverse=True)",
      "found = sorted(folder.glob(NAME_PATTERN))", "prune keeps the oldest", OPS),
]
