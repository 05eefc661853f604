"""The tidy tables besides the counter: feedback, requests, service categories, portal totals.

Seeds (the minutes' 附件) come first; imports of the same kind add to them, the later file
winning per id. Imported frames keep the importer's columns; only the store names change here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from kpi.config.paths import seed_dir
from kpi.identity.names import normalize_name
from kpi.importing import archive
from kpi.importing.kinds import Parsed

Imports = list[tuple[archive.Entry, Parsed]]
NamesAt = Callable[[dt.date], pd.DataFrame]  # snapshot date → (agency, dataset_name)
UNMATCHED_AGENCY = "（未能對應機關）"


def of_kind(imports: Imports, kind: str, columns: list[str]) -> pd.DataFrame:
    """Every import of one kind stacked, with its snapshot date and source file."""
    frames = [p.frame.assign(snapshot_date=p.as_of, source=p.file_name)
              for _, p in imports if p.kind == kind]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in [*columns, "snapshot_date", "source"]})
    return pd.concat(frames, ignore_index=True)


def feedback(imports: Imports, names_at: NamesAt) -> pd.DataFrame:
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


def _agency_by_dataset_name(frame: pd.DataFrame, names_at: NamesAt) -> pd.Series:
    """Where a file gives no agency, find it through the dataset name in the newest snapshot on or
    before the file's date (unique name within that snapshot), as 附件三 was read by hand."""
    agency = frame["agency"].fillna("").astype(str)
    out = agency.copy()
    blank = agency == ""
    for day, rows in frame[blank].groupby("source_as_of"):
        names = names_at(day)
        owners = names.assign(key=names["dataset_name"].map(normalize_name)) \
            .groupby("key")["agency"].agg(lambda s: sorted(set(s)))
        for idx, name in rows["dataset_name"].items():
            found = owners.get(normalize_name(name), [])
            out[idx] = found[0] if len(found) == 1 else UNMATCHED_AGENCY
    return out


def requests(imports: Imports) -> pd.DataFrame:
    """Data requests; a request's posting is a date, so the store calls it posted_on."""
    seed = pd.read_csv(seed_dir() / "requests_106_2.csv", encoding="utf-8")
    seed["source"] = "106 年第 2 次會議紀錄 附件四"
    extra = [p.frame.assign(source=p.file_name) for _, p in imports if p.kind == "requests"]
    frame = pd.concat([seed, *extra], ignore_index=True) if extra else seed
    for col in ("posted_at", "replied_on", "source_as_of"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    frame = frame.rename(columns={"posted_at": "posted_on"})
    return frame.drop_duplicates("request_id", keep="last").reset_index(drop=True)


def names_at(frames: dict[dt.date, pd.DataFrame | Path]) -> NamesAt:
    """Look-up of (agency, dataset_name) in the newest snapshot on or before a date."""
    dates = sorted(frames)

    def look_up(day: dt.date) -> pd.DataFrame:
        earlier = [d for d in dates if d <= day]
        source = frames[earlier[-1] if earlier else dates[0]]
        if isinstance(source, Path):
            return pd.read_parquet(source, columns=["agency", "dataset_name"])
        return source[["agency", "dataset_name"]]
    return look_up


def _category_key(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(frame["agency"], frame["dataset_name"].map(normalize_name), strict=True))


def service_categories(dataset: pd.DataFrame, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """服務分類 from 附件二 (the only place the 2017 documents give it), else from the newest
    catalogue, matched by name within agency."""
    from kpi.reference.agencies import rollup

    new = pd.read_csv(seed_dir() / "new_datasets_106_2.csv", encoding="utf-8")
    key = dict(zip(_category_key(new.assign(agency=new["publisher"].map(rollup))),
                   new["service_category"], strict=True))
    if catalogue is not None and len(catalogue):
        newest = catalogue.sort_values("snapshot_date").drop_duplicates(
            ["agency", "dataset_name"], keep="last")
        for k, c in zip(_category_key(newest), newest["service_category"], strict=True):
            if c and (k not in key or pd.isna(key[k])):
                key[k] = c
    dataset["service_category"] = [key.get(k) for k in _category_key(dataset)]
    return dataset


def portal_totals() -> pd.DataFrame:
    frame = pd.read_csv(seed_dir() / "portal_totals.csv", encoding="utf-8")
    frame["as_of"] = pd.to_datetime(frame["as_of"]).dt.date
    for col in ("gold_datasets", "views", "downloads"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    return frame


def seed_table(name: str) -> pd.DataFrame:
    return pd.read_csv(seed_dir() / name, encoding="utf-8")


def targets(imports: Imports) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The action plans' yearly targets (table ``target``: agency × year × indicator, as the seed)
    and one row per plan year (``action_plan``: name, source, weights, bonus cap). The 105–106 seed
    comes first, then each imported plan in import order, a later plan taking over the years it
    names (it was imported with --replace)."""
    frame = seed_table("targets.csv")
    years = pd.DataFrame({"roc_year": sorted(set(frame["roc_year"]))}).assign(
        plan_name="105–106 年行動方案", source="行動方案（種子資料）")
    for _, parsed in imports:
        if parsed.kind == "plan":
            plan = parsed.frame
            taken = set(plan["roc_year"])
            frame = pd.concat([frame[~frame["roc_year"].isin(taken)], plan[list(frame.columns)]],
                              ignore_index=True)
            meta = plan.drop(columns=[*frame.columns.drop("roc_year"), "row_no", "note"], errors="ignore")
            years = pd.concat([years[~years["roc_year"].isin(taken)],
                               meta.drop_duplicates("roc_year").assign(source=parsed.file_name)],
                              ignore_index=True)
    return (frame.sort_values(["roc_year", "agency"]).reset_index(drop=True),
            years.sort_values("roc_year").reset_index(drop=True))
