"""The fast path: append one later usage snapshot to the previous version without a rebuild.

Ten years of monthly national snapshots make a full rebuild slow; a new month only adds one
counter file (earlier ones are hard-linked) and rewrites the small tables that depend on it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi.build import recounts, tables, totals
from kpi.build.batches import UsageBatch, snapshot_frame
from kpi.build.cache import parsed_entry
from kpi.build.checks import check_version
from kpi.build.identity import IdentityState, assign_identities
from kpi.importing import archive
from kpi.reference.agencies import agency_frame
from kpi.store import Version, partition_key, write_version

REWRITTEN_ON_APPEND = ("dataset", "snapshot", "match_candidate", "agency", "feedback", "counter",
                       "counter_total", "counter_pair", "recount_event", "recount_member")


def _appendable(prev: Version, parts: dict) -> archive.Entry | None:
    """The one new usage entry dated after every snapshot, if that is all that changed."""
    old = prev.meta.get("parts")
    if not old or any(old.get(k) != parts[k] for k in parts if k != "entries"):
        return None
    if parts["entries"][:-1] != old["entries"] or len(parts["entries"]) != len(old["entries"]) + 1:
        return None
    entry = archive.active_entries()[-1]
    if entry.kind != "usage" or not entry.as_of or \
            entry.as_of <= max(prev.meta.get("snapshots") or ["9999"]):
        return None
    return entry


def append(prev: Version, parts: dict, version_id: str, built_at: str) -> Version | None:
    """Append one later usage snapshot to the previous version, or None if that is not the case."""
    from kpi.build import input_row

    entry = _appendable(prev, parts)
    parsed = parsed_entry(entry) if entry else None
    if entry is None or parsed is None or parsed.kind != "usage":
        return None
    read = {name: pd.read_parquet(prev.files(name)[0]) for name in
            ("dataset", "snapshot", "match_candidate", "agency", "counter_total", "counter_pair",
             "recount_event", "recount_member")}
    state = IdentityState.from_dataset(read["dataset"])
    batch = UsageBatch(parsed.as_of, "匯入", parsed.file_name, parsed.sha256, parsed.frame)
    counters, state, cand = assign_identities([batch], state)
    catalogue = pd.read_parquet(prev.files("catalogue")) if "catalogue" in prev.tables else None
    snapshot = pd.concat([read["snapshot"].assign(
        snapshot_date=pd.to_datetime(read["snapshot"]["snapshot_date"]).dt.date),
        snapshot_frame([batch])], ignore_index=True)
    names = set(read["agency"]["agency"]) | set(counters[0]["publisher"]) | set(counters[0]["agency"])
    files: dict[dt.date, pd.DataFrame | object] = {
        dt.date.fromisoformat(partition_key(p)): p for p in prev.files("counter")}
    last = max(files)  # the newest earlier snapshot: the new pair's "since"
    previous = pd.read_parquet(files[last])
    files[parsed.as_of] = counters[0]
    feedback_imports = [(e, parsed_entry(e)) for e in archive.active_entries() if e.kind == "feedback"]
    built = {
        "dataset": tables.service_categories(state.dataset_frame(), catalogue),
        "snapshot": snapshot,
        "counter_total": totals.appended(read["counter_total"], parsed.as_of, counters[0]),
        "match_candidate": pd.concat([read["match_candidate"], cand], ignore_index=True)
        if len(read["match_candidate"]) else cand,
        "agency": agency_frame(sorted(names)),
        "feedback": tables.feedback(feedback_imports, tables.names_at(files)),
        **recounts.appended(read, previous, counters[0], last, parsed.as_of),
    }
    links = {name: prev.files(name) for name in prev.tables if name not in REWRITTEN_ON_APPEND}
    links["counter"] = prev.files("counter")
    meta = {"parts": parts, "snapshots": [*prev.meta["snapshots"], parsed.as_of.isoformat()]}
    return write_version(built, version_id, built_at, [*prev.inputs, input_row(entry)],
                         partitions={"counter": {parsed.as_of.isoformat(): counters[0]}},
                         links=links, meta=meta,
                         check=lambda v: check_version(v, dates=[parsed.as_of]))
