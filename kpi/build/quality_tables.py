"""Quality inputs folded into tables: quality-check results, link-check runs, the catalogue."""

from __future__ import annotations

import pandas as pd

from kpi.build.tables import Imports, of_kind


def latest_per_key(frame: pd.DataFrame) -> pd.DataFrame:
    """Two files of the same date: the later import wins per dataset key."""
    return frame.drop_duplicates(["snapshot_date", "dataset_key"], keep="last").reset_index(drop=True)


def catalogue(imports: Imports) -> pd.DataFrame | None:
    """The catalogue table, or None when none was imported (quality figures then stay null)."""
    if not any(p.kind == "catalogue" for _, p in imports):
        return None
    return latest_per_key(of_kind(imports, "catalogue", []))


def link_checks() -> pd.DataFrame:
    """Every link-check run kept on disk (history: a link broken twice in a row is not a blip)."""
    from kpi.net.linkcheck import FIELDS, run_files

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


def qc(imports: Imports) -> pd.DataFrame:
    from kpi.importing.qc import FLAGS, TIMES

    frame = of_kind(imports, "qc", [])
    if frame.empty:
        return pd.DataFrame({"dataset_key": pd.Series(dtype="string"),
                             "title": pd.Series(dtype="string"),
                             **{f: pd.Series(dtype="boolean") for f in FLAGS},
                             **{t: pd.Series(dtype="datetime64[us]") for t in TIMES},
                             "snapshot_date": pd.Series(dtype="datetime64[us]"),
                             "source": pd.Series(dtype="string")})
    for f in FLAGS:
        frame[f] = frame[f].astype("boolean")
    frame["snapshot_date"] = pd.to_datetime(frame["snapshot_date"])
    return latest_per_key(frame)
