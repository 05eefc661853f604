"""Dataset identity across snapshots: every counter row gets an id that persists when the name
stays the same or changes in ways kpi.identity.names recognises (width, dashes, cut-off names), or when the
office confirmed the pair (kpi.identity.matches). How each pair was made is kept in ``match_kind``:
identical (byte-identical name), normalised, confirmed; new / first for unpaired rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kpi.build.batches import UsageBatch
from kpi.identity.matches import Decision, active_decisions
from kpi.identity.names import listed_after, match_names, normalize_name, similarity


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
        columns = [dataset[c].tolist() for c in  # one pass per column, not per row (import time)
                   ("dataset_id", "agency", "dataset_name", "first_seen", "last_seen")]
        for did, agency, name, first, last in zip(*columns, strict=True):
            did = int(did)
            state.known.setdefault(agency, {})[did] = name
            state.first_seen[did] = _as_date(first)
            state.last_seen[did] = _as_date(last)
            state.agency_of[did] = agency
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


AUTO_KIND = {"exact": "identical", "normalized": "normalised", "prefix": "normalised"}
CANDIDATE_MIN = 70.0  # names this similar (0..100) are shown to the office as possible renames
BESIDE_TOP = 3  # a new dataset listed before the earlier snapshot: its closest removed ones
CANDIDATE_COLUMNS = ["snapshot_date", "agency", "dataset_id", "candidate_id", "score", "dataset_name",
                     "candidate_name", "status", "reason", "since", "listed_on"]


def assign_identities(batches: list[UsageBatch], state: IdentityState | None = None,
                      decisions: dict[tuple, Decision] | None = None
                      ) -> tuple[list[pd.DataFrame], IdentityState, pd.DataFrame]:
    """Give every counter row a dataset id that persists across snapshots (see kpi.identity.names).

    Per agency: the office's confirmed pairs first, then identical and normalised names, never a
    pair the listing-date guard or the office forbids; what stays unpaired is new (or removed),
    and the plausible pairs among those are recorded as candidates. Batches must come in date
    order after whatever ``state`` has already seen.
    """
    state = state or IdentityState()
    decisions = active_decisions() if decisions is None else decisions
    counters, candidates = [], []
    for batch in batches:
        frame = batch.frame.reset_index(drop=True)
        ids, kinds = [0] * len(frame), [""] * len(frame)
        earlier = max(state.last_seen.values(), default=None)
        listed = [_as_date(v) if pd.notna(v) else None
                  for v in pd.to_datetime(frame["listed_on"], errors="coerce")]
        for agency, group in frame.groupby("agency", sort=False):
            pool = state.known.setdefault(agency, {})
            seen_before = bool(pool)
            rows = list(group.index)
            names = group["dataset_name"].tolist()
            mine = [d for d in decisions.values() if d.as_of == batch.as_of and d.agency == agency]
            rejected = {(d.old_name, d.new_name) for d in mine if d.decision == "reject"}
            paired = _confirmed(pool, names, [d for d in mine if d.decision == "confirm"])
            rest = [i for i in range(len(names)) if i not in paired]
            free = {oid: n for oid, n in pool.items() if oid not in paired.values()}

            auto = match_names(free, [names[i] for i in rest],
                               _allow([(names[i], listed[rows[i]]) for i in rest], pool,
                                      state.last_seen, rejected))
            how = dict.fromkeys(paired, "confirmed")
            for m in auto:
                if m.old_id is not None:
                    paired[rest[m.new_index]] = m.old_id
                    how[rest[m.new_index]] = AUTO_KIND[m.kind]
            gone = {oid: n for oid, n in pool.items() if oid not in paired.values()}
            new_rows: dict[int, int] = {}
            for i, idx in enumerate(rows):
                if i in paired:
                    ids[idx], kinds[idx] = paired[i], how[i]
                else:
                    ids[idx], kinds[idx] = state.next_id, "new" if seen_before else "first"
                    state.first_seen[state.next_id] = batch.as_of
                    new_rows[state.next_id] = i
                    state.next_id += 1
            if seen_before:
                by_name = {n: oid for oid, n in pool.items()}
                candidates += [_row(batch.as_of, agency, ids[rows[i]], by_name[d.old_name], d.new_name,
                                    d.old_name, state, listed[rows[i]], "rejected")
                               for d in mine if d.decision == "reject" and d.old_name in by_name
                               for i, n in enumerate(names) if n == d.new_name]
                candidates += _candidates(state, batch.as_of, agency, earlier, gone,
                                          {nid: (names[i], listed[rows[i]]) for nid, i in new_rows.items()},
                                          rejected)
            for i, idx in enumerate(rows):
                pool[ids[idx]] = names[i]
                state.last_seen[ids[idx]] = batch.as_of
                state.agency_of[ids[idx]] = agency
        frame["dataset_id"] = ids
        frame["match_kind"] = kinds
        frame["snapshot_date"] = batch.as_of
        counters.append(counter_table(frame))
    return counters, state, pd.DataFrame(candidates, columns=CANDIDATE_COLUMNS)


def _allow(new: list[tuple[str, dt.date | None]], pool: dict[int, str], last_seen: dict[int, dt.date],
           rejected: set[tuple[str, str]]):
    """The automatic pairs allowed: never against the listing-date guard or the office's no."""
    def allow(j: int, oid: int) -> bool:
        name, listed = new[j]
        return not listed_after(listed, last_seen.get(oid)) and (pool[oid], name) not in rejected
    return allow


def _confirmed(pool: dict[int, str], names: list[str], confirms: list[Decision]) -> dict[int, int]:
    """New row index → old id for the office's confirmed pairs whose names are both present."""
    out: dict[int, int] = {}
    for d in confirms:
        i = next((i for i, n in enumerate(names) if n == d.new_name and i not in out), None)
        oid = next((o for o, n in pool.items() if n == d.old_name and o not in out.values()), None)
        if i is not None and oid is not None:
            out[i] = oid
    return out


def _candidates(state: IdentityState, as_of: dt.date, agency: str, earlier: dt.date | None,
                gone: dict[int, str], new: dict[int, tuple[str, dt.date | None]],
                rejected: set[tuple[str, str]]) -> list[dict]:
    """Plausible pairs among what stayed unpaired: similar names, a same name the guard refused,
    a dataset listed before the earlier snapshot beside removed ones; and the pairs rejected."""
    out = []
    for nid, (name, listed) in new.items():
        scored = sorted(((similarity(name, old), oid) for oid, old in gone.items()), reverse=True)
        beside = [oid for _, oid in scored if state.last_seen.get(oid) == earlier][:BESIDE_TOP]
        for score, oid in scored:
            old = gone[oid]
            blocked = listed_after(listed, state.last_seen.get(oid))
            same = normalize_name(old) == normalize_name(name)
            if (old, name) in rejected:
                continue  # listed once, as rejected, above
            if blocked:
                if not same:
                    continue
                reason = "guard"
            elif score >= CANDIDATE_MIN:
                reason = "similar"
            elif listed is not None and earlier is not None and listed <= earlier and oid in beside:
                reason = "listed_before"
            else:
                continue
            out.append(_row(as_of, agency, nid, oid, name, old, state, listed, reason))
    return out


def _row(as_of: dt.date, agency: str, nid: int, oid: int, name: str, old: str, state: IdentityState,
         listed: dt.date | None, reason: str) -> dict:
    return {"snapshot_date": as_of, "agency": agency, "dataset_id": nid, "candidate_id": oid,
            "score": similarity(name, old), "dataset_name": name, "candidate_name": old,
            "since": state.last_seen.get(oid), "listed_on": listed,
            "status": "rejected" if reason == "rejected" else "candidate", "reason": reason}


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

