"""Dataset identity across snapshots: every counter row gets an id that persists when the name
stays the same or changes in ways kpi.names recognises (width, dashes, cut-off names)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kpi.build.batches import UsageBatch
from kpi.names import fuzzy_candidates, match_names


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
        counters.append(counter_table(frame))
    cand = pd.DataFrame(candidates, columns=["snapshot_date", "agency", "dataset_id",
                                             "candidate_id", "score", "dataset_name",
                                             "candidate_name"])
    return counters, state, cand


def counter_table(counter: pd.DataFrame) -> pd.DataFrame:
    """The stored counter layout: one row per dataset per snapshot."""
    out = counter[["snapshot_date", "dataset_id", "agency", "publisher", "dataset_name", "views",
                   "downloads", "rating", "listed_on", "status", "match_kind", "row_no"]].copy()
    out["snapshot_date"] = pd.to_datetime(out["snapshot_date"]).dt.date
    out["listed_on"] = pd.to_datetime(out["listed_on"], errors="coerce").dt.date
    out["rating"] = pd.to_numeric(out["rating"], errors="coerce").astype("float64")
    out["status"] = out["status"].fillna("").astype(str)
    out["row_no"] = out["row_no"].astype("int64")
    return out

