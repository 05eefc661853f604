"""Build a store version from the committed seeds, the default imports and the import archive.

Layers (as in jaffle_shop): raw inputs (seed CSVs, archived files) → the tidy tables written here
(agency, snapshot, counter, dataset, feedback, …) → core views in kpi/sql → marts in kpi/metrics.
Only kpi.service calls ``rebuild`` (under the write lock); readers call ``ensure_store``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi.build import quality_tables, recounts, tables, totals
from kpi.build.batches import UsageBatch, merge_batches, seed_batch, snapshot_frame
from kpi.build.cache import parsed_imports, parser_version
from kpi.build.checks import check_version
from kpi.build.identity import assign_identities
from kpi.config.settings import load_oas, oas_table
from kpi.cycle.resolutions import resolution_table
from kpi.identity.matches import decision_table
from kpi.importing import archive
from kpi.reference.agencies import agency_frame
from kpi.reference.dates import calendar_frame
from kpi.reference.stars import star_table
from kpi.store import StoreMissing, Version, current_version_id, fingerprint, read_manifest, write_version

BUILD_FORMAT = 14  # bump when the table layout changes, so old stores are rebuilt (13: recount events; 14: committee calendar, resolutions)


def usage_batches(imports: tables.Imports) -> list[UsageBatch]:
    batches = [seed_batch()]
    for entry, parsed in imports:
        if parsed.kind == "usage":
            batches.append(UsageBatch(parsed.as_of, "匯入" if not entry.default else "內建預設",
                                      parsed.file_name, parsed.sha256, parsed.frame))
    return merge_batches(batches)


def build_tables() -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], list[dict]]:
    """Every table from scratch; the counter comes back as one frame per snapshot."""
    imports = parsed_imports()
    batches = usage_batches(imports)
    counters, state, candidates = assign_identities(batches)
    by_date = {b.as_of: c for b, c in zip(batches, counters, strict=True)}
    catalogue = quality_tables.catalogue(imports)
    targets, action_plan = tables.targets(imports)
    names = set()
    for c in counters:
        names |= set(c["publisher"]) | set(c["agency"])
    built = {
        "agency": agency_frame(sorted(names)),
        "snapshot": snapshot_frame(batches),
        "counter_total": totals.counter_totals(by_date),
        "dataset": tables.service_categories(state.dataset_frame(), catalogue),
        "match_candidate": candidates,
        "match_decision": decision_table(),
        "feedback": tables.feedback(imports, tables.names_at(by_date)),
        "request": tables.requests(imports),
        "target": targets,
        "action_plan": action_plan,
        "plan_count": tables.seed_table("plan_counts.csv"),
        "portal_total": tables.portal_totals(),
        "award_rule": tables.seed_table("award_rules.csv"),
        "new_dataset_list": tables.seed_table("new_datasets_106_2.csv"),
        "agency_parent": tables.seed_table("agency_parents.csv"),  # kpi/build/parents.py
        "calendar": calendar_frame(dt.date(2012, 1, 1), dt.date(2031, 12, 31)),
        "agency_usage": tables.of_kind(imports, "usage_summary",
                                       ["publisher", "agency", "datasets", "views", "downloads"]),
        "meeting": tables.of_kind(imports, "meetings", ["agency", "held_on", "note"]),
        "committee_meeting": tables.of_kind(imports, "committee_meetings", ["held_on", "title", "place", "chair"]),
        "resolution": resolution_table(imports),
        "format_star": star_table(),
        "qc": quality_tables.qc(imports),
        "link_check": quality_tables.link_checks(),
        "oas_api": oas_table(),
        **recounts.tables(by_date),
    }
    if catalogue is not None:
        built["catalogue"] = catalogue
    partitions = {d.isoformat(): c for d, c in by_date.items()}
    return built, partitions, [input_row(e) for e, _ in imports]


def input_row(e: archive.Entry) -> dict:
    return {"kind": e.kind, "file": e.file_name, "sha256": e.sha256, "as_of": e.as_of,
            "default": e.default}


def _seed_fingerprint() -> list[str]:
    from kpi.config.paths import seed_dir
    from kpi.importing.kinds import sha256_of

    return [f"{p.name}:{sha256_of(p)}" for p in sorted(seed_dir().glob("*.csv"))]


def fingerprint_parts() -> dict:
    """Everything a version depends on; equal parts → equal version id → nothing to rebuild."""
    from kpi.build.recount_decisions import office_records as recount_records
    from kpi.identity.matches import office_records, seed_records
    from kpi.net.linkcheck import run_files

    return {
        "format": BUILD_FORMAT,
        "parser": parser_version(),
        "seeds": _seed_fingerprint(),
        "entries": [[e.kind, e.sha256, e.as_of, e.agency] for e in archive.active_entries()],
        "runs": [[p.name, p.stat().st_size] for p in run_files()],
        "oas": load_oas(),
        # pairing decisions: the shipped ones (data/seed) and the office's (data/settings)
        "decisions": [seed_records(), office_records()],
        "recount_decisions": recount_records(),
    }


def version_id_for_inputs() -> str:
    return fingerprint([fingerprint_parts()])


def rebuild(force: bool = False) -> tuple[Version | None, bool]:
    """Publish a new version if the inputs changed; returns (version, changed).

    A usage file dated after every snapshot so far is appended (one new counter file, earlier
    ones hard-linked); anything else rebuilds every table from the seeds and the archive.
    Every version passes kpi.build.checks before it is published.
    """
    from kpi.build.append import append

    parts = fingerprint_parts()
    version_id = fingerprint([parts])
    if not force and current_version_id() == version_id:
        return read_manifest(), False
    built_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if not force:
        try:
            prev = read_manifest()
        except StoreMissing:
            prev = None
        if prev is not None and (appended := append(prev, parts, version_id, built_at)):
            return appended, True
    built, partitions, inputs = build_tables()
    meta = {"parts": parts, "snapshots": sorted(partitions)}
    return write_version(built, version_id, built_at, inputs, replace=force,
                         partitions={"counter": partitions}, meta=meta, check=check_version), True


def ensure_store() -> Version:
    """Build the store on first use (a fresh clone has none) and return the current version."""
    try:
        return read_manifest()
    except StoreMissing:
        version, _ = rebuild()
        assert version is not None
        return version
