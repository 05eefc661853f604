"""Build a store version from the committed seeds, the default imports and the import archive.

Layers (as in jaffle_shop): raw inputs (seed CSVs, archived files) → the tidy tables written here
(agency, snapshot, counter, dataset, feedback, …) → core views and KPI marts in kpi/sql.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kpi.agencies import agency_frame, is_ministry, rollup
from kpi.dates import calendar_frame
from kpi.importing import archive
from kpi.importing.kinds import Parsed, parse_file
from kpi.names import fuzzy_candidates, match_names
from kpi.paths import archive_dir, seed_dir
from kpi.seeds import SNAPSHOT_106_2
from kpi.settings import load_oas, oas_table
from kpi.stars import star_table
from kpi.store import Version, current_version_id, fingerprint, partition_key, write_version

SEED_SNAPSHOT_SOURCE = "106 年第 2 次會議紀錄 附件一"


@dataclass
class UsageBatch:
    as_of: dt.date
    source: str
    file_name: str
    sha256: str
    frame: pd.DataFrame  # publisher, agency, dataset_name, views, downloads, rating, listed_on, status


def _seed_batch() -> UsageBatch:
    usage = pd.read_csv(seed_dir() / "usage_20171030.csv", encoding="utf-8")
    frame = pd.DataFrame({
        "publisher": usage["publisher"], "agency": usage["publisher"].map(rollup),
        "dataset_name": usage["dataset_name"], "views": usage["views"].astype("int64"),
        "downloads": usage["downloads"].astype("int64"), "rating": float("nan"),
        "listed_on": None, "status": "", "row_no": usage["rank"] + 1,
    })
    return UsageBatch(SNAPSHOT_106_2, SEED_SNAPSHOT_SOURCE, "usage_20171030.csv", "seed", frame)


def _cache_path(entry: archive.Entry) -> Path:
    key = fingerprint([BUILD_FORMAT, entry.kind, entry.sha256, entry.as_of, entry.agency])
    return archive_dir() / "parsed" / f"{key}.pkl"


def parsed_entry(entry: archive.Entry) -> Parsed:
    """Parse an archived file once; later builds read the cached result (same bytes, same code)."""
    cache = _cache_path(entry)
    if cache.exists():
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    as_of = dt.date.fromisoformat(entry.as_of) if entry.as_of else None
    parsed = parse_file(entry.kind, entry.path(), as_of, entry.agency, entry.file_name)
    store_parsed(entry, parsed)
    return parsed


def store_parsed(entry: archive.Entry, parsed: Parsed) -> None:
    cache = _cache_path(entry)
    parsed = copy.copy(parsed)
    parsed.warnings = []
    cache.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache.parent)
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(parsed, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, cache)


def _parsed_imports() -> list[tuple[archive.Entry, Parsed]]:
    return [(entry, parsed_entry(entry)) for entry in archive.active_entries()]


def _merge_batches(batches: list[UsageBatch]) -> list[UsageBatch]:
    """Files of the same date are one snapshot; a later file replaces the publishers it covers."""
    by_date: dict[dt.date, UsageBatch] = {}
    for batch in batches:
        prev = by_date.get(batch.as_of)
        if prev is None:
            by_date[batch.as_of] = batch
            continue
        keep = prev.frame[~prev.frame["publisher"].isin(set(batch.frame["publisher"]))]
        by_date[batch.as_of] = UsageBatch(batch.as_of, prev.source + "；" + batch.source,
                                          prev.file_name + "；" + batch.file_name,
                                          prev.sha256 + "；" + batch.sha256,
                                          pd.concat([keep, batch.frame], ignore_index=True))
    return [by_date[d] for d in sorted(by_date)]


@dataclass
class IdentityState:
    """What identity assignment knows after some snapshots; enough to append the next one."""

    known: dict[str, dict[int, str]] = field(default_factory=dict)  # agency → {id: latest name}
    first_seen: dict[int, dt.date] = field(default_factory=dict)
    last_seen: dict[int, dt.date] = field(default_factory=dict)
    agency_of: dict[int, str] = field(default_factory=dict)
    next_id: int = 1

    @classmethod
    def from_dataset(cls, dataset: pd.DataFrame) -> IdentityState:
        state = cls()
        for r in dataset.itertuples(index=False):
            did = int(r.dataset_id)
            state.known.setdefault(r.agency, {})[did] = r.dataset_name
            state.first_seen[did] = _as_date(r.first_seen)
            state.last_seen[did] = _as_date(r.last_seen)
            state.agency_of[did] = r.agency
        state.next_id = max(state.first_seen, default=0) + 1
        return state

    def dataset_frame(self) -> pd.DataFrame:
        ids = sorted(self.first_seen)
        names = {i: n for pool in self.known.values() for i, n in pool.items()}
        return pd.DataFrame({
            "dataset_id": pd.Series(ids, dtype="int64"),
            "agency": [self.agency_of[i] for i in ids],
            "dataset_name": [names[i] for i in ids],
            "first_seen": [self.first_seen[i] for i in ids],
            "last_seen": [self.last_seen[i] for i in ids],
        })


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def assign_identities(batches: list[UsageBatch], state: IdentityState | None = None
                      ) -> tuple[list[pd.DataFrame], IdentityState, pd.DataFrame]:
    """Give every counter row a dataset id that persists across snapshots (see kpi.names).

    Batches must come in date order after whatever ``state`` has already seen.
    """
    state = state or IdentityState()
    counters, candidates = [], []
    for batch in batches:
        frame = batch.frame.reset_index(drop=True)
        ids = [0] * len(frame)
        kinds = [""] * len(frame)
        for agency, group in frame.groupby("agency", sort=False):
            pool = state.known.setdefault(agency, {})
            seen_before = bool(pool)
            names = group["dataset_name"].tolist()
            matches = match_names(dict(pool), names)
            new_rows: dict[int, str] = {}
            claimed = set()
            for m, idx in zip(matches, group.index, strict=True):
                if m.old_id is None:
                    ids[idx] = state.next_id
                    state.first_seen[state.next_id] = batch.as_of
                    new_rows[state.next_id] = names[m.new_index]
                    state.next_id += 1
                    kinds[idx] = "new" if seen_before else "first"
                else:
                    ids[idx] = m.old_id
                    kinds[idx] = m.kind
                    claimed.add(m.old_id)
                pool[ids[idx]] = names[m.new_index]
                state.last_seen[ids[idx]] = batch.as_of
                state.agency_of[ids[idx]] = agency
            gone = {oid: n for oid, n in pool.items() if oid not in claimed and oid not in new_rows}
            for nid, oid, score in fuzzy_candidates(new_rows, gone):
                candidates.append({"snapshot_date": batch.as_of, "agency": agency,
                                   "dataset_id": nid, "candidate_id": oid, "score": score,
                                   "dataset_name": new_rows[nid], "candidate_name": gone[oid]})
        frame["dataset_id"] = ids
        frame["match_kind"] = kinds
        frame["snapshot_date"] = batch.as_of
        counters.append(_counter_table(frame))
    cand = pd.DataFrame(candidates, columns=["snapshot_date", "agency", "dataset_id",
                                             "candidate_id", "score", "dataset_name",
                                             "candidate_name"])
    return counters, state, cand


def _counter_table(counter: pd.DataFrame) -> pd.DataFrame:
    out = counter[["snapshot_date", "dataset_id", "agency", "publisher", "dataset_name", "views",
                   "downloads", "rating", "listed_on", "status", "match_kind", "row_no"]].copy()
    out["snapshot_date"] = pd.to_datetime(out["snapshot_date"]).dt.date
    out["listed_on"] = pd.to_datetime(out["listed_on"], errors="coerce").dt.date
    out["rating"] = pd.to_numeric(out["rating"], errors="coerce").astype("float64")
    out["status"] = out["status"].fillna("").astype(str)
    out["row_no"] = out["row_no"].astype("int64")
    return out


def _service_categories(dataset: pd.DataFrame) -> pd.DataFrame:
    """服務分類 from 附件二 (the only place the 2017 documents give it), by name within agency."""
    from kpi.names import normalize_name

    new = pd.read_csv(seed_dir() / "new_datasets_106_2.csv", encoding="utf-8")
    key = dict(zip(zip(new["publisher"].map(rollup), new["dataset_name"].map(normalize_name),
                       strict=True), new["service_category"], strict=True))
    dataset["service_category"] = [
        key.get((a, normalize_name(n))) for a, n in zip(dataset["agency"], dataset["dataset_name"],
                                                         strict=True)]
    return dataset


def _categories_from_catalogue(dataset: pd.DataFrame, catalogue: pd.DataFrame) -> None:
    """Fill 服務分類 from the newest catalogue where 附件二 did not give one (name within agency)."""
    from kpi.names import normalize_name

    newest = catalogue.sort_values("snapshot_date").drop_duplicates(
        ["agency", "dataset_name"], keep="last")
    key = {(a, normalize_name(n)): c for a, n, c in
           zip(newest["agency"], newest["dataset_name"], newest["service_category"], strict=True) if c}
    found = [key.get((a, normalize_name(n))) for a, n in
             zip(dataset["agency"], dataset["dataset_name"], strict=True)]
    dataset["service_category"] = dataset["service_category"].where(
        dataset["service_category"].notna(), pd.Series(found, index=dataset.index))


def _feedback(imports: list[tuple[archive.Entry, Parsed]],
              names_at: NamesAt) -> pd.DataFrame:
    seed = pd.read_csv(seed_dir() / "feedback_106_2.csv", encoding="utf-8")
    frame = pd.DataFrame({
        "feedback_id": seed["feedback_id"], "agency": seed["agency"],
        "dataset_name": seed["dataset_name"], "title": seed["title"], "status": seed["status"],
        "posted_at": pd.to_datetime(seed["posted_at"]),
        "first_reply_at": pd.to_datetime(seed["first_reply_on"]),
        "source_as_of": pd.to_datetime(seed["source_as_of"]).dt.date,
        "content": seed["content"].fillna(""), "reply_content": seed["reply_content"].fillna(""),
        "source": "106 年第 2 次會議紀錄 附件三",
    })
    extra = [p.frame.assign(source=p.file_name) for _, p in imports if p.kind == "feedback"]
    if extra:
        frame = pd.concat([frame, *extra], ignore_index=True)
        frame = frame.drop_duplicates("feedback_id", keep="last").reset_index(drop=True)
        frame["agency"] = _agency_by_dataset_name(frame, names_at)
    return frame


NamesAt = "Callable[[dt.date], pd.DataFrame]"  # snapshot date → (agency, dataset_name)


def _agency_by_dataset_name(frame: pd.DataFrame, names_at) -> pd.Series:
    """Where a file gives no agency, find it through the dataset name in the newest snapshot on or
    before the file's date (unique name within that snapshot), as 附件三 was read by hand."""
    from kpi.names import normalize_name

    agency = frame["agency"].fillna("").astype(str)
    out = agency.copy()
    blank = agency == ""
    for day, rows in frame[blank].groupby("source_as_of"):
        names = names_at(day)
        owners = names.assign(key=names["dataset_name"].map(normalize_name)) \
            .groupby("key")["agency"].agg(lambda s: sorted(set(s)))
        for idx, name in rows["dataset_name"].items():
            found = owners.get(normalize_name(name), [])
            out[idx] = found[0] if len(found) == 1 else "（未能對應機關）"
    return out


def _requests(imports: list[tuple[archive.Entry, Parsed]]) -> pd.DataFrame:
    seed = pd.read_csv(seed_dir() / "requests_106_2.csv", encoding="utf-8")
    seed["posted_at"] = pd.to_datetime(seed["posted_at"]).dt.date
    seed["replied_on"] = pd.to_datetime(seed["replied_on"]).dt.date
    seed["source_as_of"] = pd.to_datetime(seed["source_as_of"]).dt.date
    seed["source"] = "106 年第 2 次會議紀錄 附件四"
    extra = [p.frame.assign(source=p.file_name) for _, p in imports if p.kind == "requests"]
    for e in extra:
        for col in ("posted_at", "replied_on"):
            e[col] = pd.to_datetime(e[col]).dt.date
    frame = pd.concat([seed, *extra], ignore_index=True) if extra else seed
    return frame.drop_duplicates("request_id", keep="last")


def _of_kind(imports: list[tuple[archive.Entry, Parsed]], kind: str,
             columns: list[str]) -> pd.DataFrame:
    frames = [p.frame.assign(snapshot_date=p.as_of, source=p.file_name)
              for _, p in imports if p.kind == kind]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in [*columns, "snapshot_date", "source"]})
    return pd.concat(frames, ignore_index=True)


def _snapshot_frame(batches: list[UsageBatch]) -> pd.DataFrame:
    return pd.DataFrame([{
        "snapshot_date": b.as_of, "source": b.source, "file_name": b.file_name,
        "sha256": b.sha256, "rows": len(b.frame),
        "listed_rows": int(pd.Series(b.frame["listed_on"]).notna().sum()),
        "scope": "ministry" if b.frame["agency"].map(is_ministry).all() else "national",
    } for b in batches])


def _names_at(frames: dict[dt.date, pd.DataFrame | Path]):
    """Look-up of (agency, dataset_name) in the newest snapshot on or before a date."""
    dates = sorted(frames)

    def names_at(day: dt.date) -> pd.DataFrame:
        earlier = [d for d in dates if d <= day]
        source = frames[earlier[-1] if earlier else dates[0]]
        if isinstance(source, Path):
            return pd.read_parquet(source, columns=["agency", "dataset_name"])
        return source[["agency", "dataset_name"]]
    return names_at


def _usage_batches(imports: list[tuple[archive.Entry, Parsed]]) -> list[UsageBatch]:
    batches = [_seed_batch()]
    for entry, parsed in imports:
        if parsed.kind == "usage":
            batches.append(UsageBatch(parsed.as_of, "匯入" if not entry.default else "內建預設",
                                      parsed.file_name, parsed.sha256, parsed.frame))
    return _merge_batches(batches)


def build_tables() -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], list[dict]]:
    """Every table from scratch; the counter comes back as one frame per snapshot."""
    imports = _parsed_imports()
    batches = _usage_batches(imports)
    counters, state, candidates = assign_identities(batches)
    by_date = {b.as_of: c for b, c in zip(batches, counters, strict=True)}
    dataset = _service_categories(state.dataset_frame())
    names = set()
    for c in counters:
        names |= set(c["publisher"]) | set(c["agency"])
    tables = {
        "agency": agency_frame(sorted(names)),
        "snapshot": _snapshot_frame(batches),
        "dataset": dataset,
        "match_candidate": candidates,
        "feedback": _feedback(imports, _names_at(by_date)),
        "request": _requests(imports),
        "target": pd.read_csv(seed_dir() / "targets.csv", encoding="utf-8"),
        "plan_count": pd.read_csv(seed_dir() / "plan_counts.csv", encoding="utf-8"),
        "portal_total": _portal_totals(),
        "award_rule": pd.read_csv(seed_dir() / "award_rules.csv", encoding="utf-8"),
        "new_dataset_list": pd.read_csv(seed_dir() / "new_datasets_106_2.csv", encoding="utf-8"),
        "calendar": calendar_frame(dt.date(2012, 1, 1), dt.date(2031, 12, 31)),
        "agency_usage": _of_kind(imports, "usage_summary",
                                 ["publisher", "agency", "datasets", "views", "downloads"]),
        "meeting": _of_kind(imports, "meetings", ["agency", "held_on", "note"]),
        "format_star": star_table(),
        "qc": _qc_table(imports),
        "link_check": _link_checks(),
        "oas_api": oas_table(),
    }
    if any(p.kind == "catalogue" for _, p in imports):  # quality figures stay null without it
        tables["catalogue"] = _latest_per_key(_of_kind(imports, "catalogue", []))
        _categories_from_catalogue(dataset, tables["catalogue"])
    partitions = {d.isoformat(): c for d, c in by_date.items()}
    return tables, partitions, [_input(e) for e, _ in imports]


def _input(e: archive.Entry) -> dict:
    return {"kind": e.kind, "file": e.file_name, "sha256": e.sha256, "as_of": e.as_of,
            "default": e.default}


def _latest_per_key(frame: pd.DataFrame) -> pd.DataFrame:
    """Two files of the same date: the later import wins per dataset key."""
    return frame.drop_duplicates(["snapshot_date", "dataset_key"], keep="last").reset_index(drop=True)


def _link_checks() -> pd.DataFrame:
    """Every link-check run kept on disk (history: a link broken twice in a row is not a blip)."""
    from kpi.linkcheck import FIELDS, run_files

    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in run_files()]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in FIELDS}).assign(
            checked_at=pd.Series(dtype="datetime64[us, UTC]"), broken=pd.Series(dtype="boolean"),
            status=pd.Series(dtype="Int64"))
    frame = pd.concat(frames, ignore_index=True)
    frame["checked_at"] = pd.to_datetime(frame["checked_at"], utc=True)
    frame["broken"] = frame["broken"].eq("True")
    frame["status"] = pd.to_numeric(frame["status"], errors="coerce").astype("Int64")
    for col in ("bytes_read", "elapsed_ms", "redirects"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    frame["type_matches"] = frame["type_matches"].map({"True": True, "False": False}).astype("boolean")
    return frame


def _qc_table(imports: list[tuple[archive.Entry, Parsed]]) -> pd.DataFrame:
    from kpi.importing.qc import FLAGS, TIMES

    frame = _of_kind(imports, "qc", [])
    if frame.empty:
        frame = pd.DataFrame({"dataset_key": pd.Series(dtype="string"),
                              "title": pd.Series(dtype="string"),
                              **{f: pd.Series(dtype="boolean") for f in FLAGS},
                              **{t: pd.Series(dtype="datetime64[us]") for t in TIMES},
                              "snapshot_date": pd.Series(dtype="datetime64[us]"),
                              "source": pd.Series(dtype="string")})
        return frame
    for f in FLAGS:
        frame[f] = frame[f].astype("boolean")
    frame["snapshot_date"] = pd.to_datetime(frame["snapshot_date"])
    return _latest_per_key(frame)


def _portal_totals() -> pd.DataFrame:
    frame = pd.read_csv(seed_dir() / "portal_totals.csv", encoding="utf-8")
    frame["as_of"] = pd.to_datetime(frame["as_of"]).dt.date
    for col in ("gold_datasets", "views", "downloads"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    return frame


def _seed_fingerprint() -> list[str]:
    from kpi.importing.kinds import sha256_of

    return [f"{p.name}:{sha256_of(p)}" for p in sorted(seed_dir().glob("*.csv"))]


def fingerprint_parts() -> dict:
    """Everything a version depends on; equal parts → equal version id → nothing to rebuild."""
    from kpi.linkcheck import run_files

    return {
        "format": BUILD_FORMAT,
        "seeds": _seed_fingerprint(),
        "entries": [[e.kind, e.sha256, e.as_of, e.agency] for e in archive.active_entries()],
        "runs": [[p.name, p.stat().st_size] for p in run_files()],
        "oas": load_oas(),
    }


def version_id_for_inputs() -> str:
    return fingerprint([fingerprint_parts()])


BUILD_FORMAT = 8  # bump when the table layout changes, so old stores are rebuilt


def rebuild(force: bool = False) -> tuple[Version | None, bool]:
    """Publish a new version if the inputs changed; returns (version, changed).

    A usage file dated after every snapshot so far is appended (one new counter file, earlier
    ones hard-linked); anything else rebuilds every table from the seeds and the archive.
    """
    from kpi.store import StoreMissing, read_manifest

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
        if prev is not None and (appended := _append(prev, parts, version_id, built_at)):
            return appended, True
    tables, partitions, inputs = build_tables()
    meta = {"parts": parts, "snapshots": sorted(partitions)}
    return write_version(tables, version_id, built_at, inputs, replace=force,
                         partitions={"counter": partitions}, meta=meta), True


REWRITTEN_ON_APPEND = ("dataset", "snapshot", "match_candidate", "agency", "feedback", "counter")


def _append(prev: Version, parts: dict, version_id: str, built_at: str) -> Version | None:
    """Append one later usage snapshot to the previous version, or None if that is not the case."""
    old = prev.meta.get("parts")
    if not old or any(old.get(k) != parts[k] for k in parts if k != "entries"):
        return None
    if parts["entries"][:-1] != old["entries"] or len(parts["entries"]) != len(old["entries"]) + 1:
        return None
    entry = archive.active_entries()[-1]
    if entry.kind != "usage" or not entry.as_of or \
            entry.as_of <= max(prev.meta.get("snapshots") or ["9999"]):
        return None
    parsed = parsed_entry(entry)
    if parsed.kind != "usage":
        return None
    read = {name: pd.read_parquet(prev.files(name)[0]) for name in
            ("dataset", "snapshot", "match_candidate", "agency")}
    state = IdentityState.from_dataset(read["dataset"])
    batch = UsageBatch(parsed.as_of, "匯入", parsed.file_name, parsed.sha256, parsed.frame)
    counters, state, cand = assign_identities([batch], state)
    dataset = _service_categories(state.dataset_frame())
    if "catalogue" in prev.tables:
        _categories_from_catalogue(dataset, pd.read_parquet(prev.files("catalogue")))
    snapshot = pd.concat([read["snapshot"].assign(
        snapshot_date=pd.to_datetime(read["snapshot"]["snapshot_date"]).dt.date),
        _snapshot_frame([batch])], ignore_index=True)
    names = set(read["agency"]["agency"]) | set(counters[0]["publisher"]) | set(counters[0]["agency"])
    files = {dt.date.fromisoformat(partition_key(p)): p for p in prev.files("counter")}
    files[parsed.as_of] = counters[0]
    feedback_imports = [(e, parsed_entry(e)) for e in archive.active_entries() if e.kind == "feedback"]
    tables = {
        "dataset": dataset,
        "snapshot": snapshot,
        "match_candidate": pd.concat([read["match_candidate"], cand], ignore_index=True)
        if len(read["match_candidate"]) else cand,
        "agency": agency_frame(sorted(names)),
        "feedback": _feedback(feedback_imports, _names_at(files)),
    }
    links = {name: prev.files(name) for name in prev.tables if name not in REWRITTEN_ON_APPEND}
    links["counter"] = prev.files("counter")
    meta = {"parts": parts, "snapshots": [*prev.meta["snapshots"], parsed.as_of.isoformat()]}
    return write_version(tables, version_id, built_at, [*prev.inputs, _input(entry)],
                         partitions={"counter": {parsed.as_of.isoformat(): counters[0]}},
                         links=links, meta=meta)


def ensure_store() -> Version:
    """Build the store on first use (a fresh clone has none) and return the current version."""
    from kpi.store import StoreMissing, read_manifest

    try:
        version = read_manifest()
    except StoreMissing:
        version, _ = rebuild()
        assert version is not None
    return version
