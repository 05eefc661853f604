"""Grow the real 2018 national export into realistic weekly histories (benchmark input).

The snapshots follow the real export (2018-07-20) a week apart, so 240 of them (10× national)
end in early 2023: every as-of date is in the past, which imports require (2012-01-01 … tomorrow),
and each is later than the last, so each import takes the append path.

Counters rise at each dataset's observed pace (cumulative count ÷ months since 上架日), with
noise; a few counters reset; datasets are added, taken down and renamed; public feedback arrives
at national volume. Files are written in the portal's real export layouts so they can go through
the real import path.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kpi.config.paths import REPO_ROOT

BASE = REPO_ROOT / "data" / "raw" / "16-22_data_gov_download.csv"
BASE_DATE = dt.date(2018, 7, 20)
RESET_RATE = 0.002
NEW_RATE = 0.004
REMOVE_RATE = 0.002
RENAME_RATE = 0.001
FEEDBACK_PER_SNAPSHOT = 1500
STEP_DAYS = 7  # one snapshot a week
MONTH_DAYS = 30.44


@dataclass
class History:
    frame: pd.DataFrame  # publisher, dataset_name, views, downloads, rating, listed, pace_v, pace_d
    rng: np.random.Generator
    next_new: int = 0


def load_base(seed: int = 42) -> History:
    raw = pd.read_csv(BASE, dtype=str, keep_default_na=False)
    frame = pd.DataFrame({
        "publisher": raw["提供機關名稱"], "dataset_name": raw["資料集名稱"],
        "views": raw["瀏覽人次"].str.replace(",", "").astype("int64"),
        "downloads": raw["下載次數"].str.replace(",", "").astype("int64"),
        "rating": raw["資料集評分"], "listed": raw["上架日"],
    })
    listed = pd.to_datetime(frame["listed"], errors="coerce")
    months = ((pd.Timestamp(BASE_DATE) - listed).dt.days / 30.44).clip(lower=1).fillna(24)
    frame["pace_v"] = frame["views"] / months
    frame["pace_d"] = frame["downloads"] / months
    return History(frame, np.random.default_rng(seed))


def step(h: History, day: dt.date) -> pd.DataFrame:
    """Advance one period (STEP_DAYS) and return that snapshot's rows."""
    f, rng = h.frame, h.rng
    n = len(f)
    months = STEP_DAYS / MONTH_DAYS  # paces are per month
    f["views"] += np.rint(f["pace_v"] * months * rng.uniform(0.6, 1.4, n)).astype("int64")
    f["downloads"] += np.rint(f["pace_d"] * months * rng.uniform(0.6, 1.4, n)).astype("int64")
    reset = rng.random(n) < RESET_RATE
    f.loc[reset, "views"] = rng.integers(0, 50, int(reset.sum()))
    f.loc[reset, "downloads"] = rng.integers(0, 10, int(reset.sum()))
    rename = rng.random(n) < RENAME_RATE
    f.loc[rename, "dataset_name"] = f.loc[rename, "dataset_name"] + "（更新）"
    keep = rng.random(n) >= REMOVE_RATE
    f = f[keep]
    k = max(1, int(n * NEW_RATE))
    donors = f.sample(k, random_state=int(rng.integers(1 << 31)))
    new = pd.DataFrame({
        "publisher": donors["publisher"].to_numpy(),
        "dataset_name": [f"新開放資料集{h.next_new + i:06d}" for i in range(k)],
        "views": 0, "downloads": 0, "rating": "", "listed": day.strftime("%Y/%m/%d"),
        "pace_v": donors["pace_v"].to_numpy(), "pace_d": donors["pace_d"].to_numpy(),
    })
    h.next_new += k
    h.frame = pd.concat([f, new], ignore_index=True)
    return h.frame


def write_usage(frame: pd.DataFrame, path: Path) -> None:
    """The 2018 export layout: thousands commas (quoted), 評分 blank or 20..100, 上架日 Y/M/D."""
    out = pd.DataFrame({
        "提供機關名稱": frame["publisher"], "資料集名稱": frame["dataset_name"],
        "瀏覽人次": frame["views"].map("{:,}".format), "下載次數": frame["downloads"].map("{:,}".format),
        "資料集評分": frame["rating"], "上架日": frame["listed"],
    })
    out.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL)


def write_feedback(frame: pd.DataFrame, day: dt.date, start_id: int, rng: np.random.Generator,
                   path: Path) -> int:
    """The portal's 我有話要說 list for the period before `day`, with the agency column."""
    k = FEEDBACK_PER_SNAPSHOT
    picks = frame.sample(k, weights=frame["pace_d"] + 1, replace=True,
                         random_state=int(rng.integers(1 << 31)))
    posted = [dt.datetime.combine(day, dt.time(9)) - dt.timedelta(days=int(d), hours=int(hh))
              for d, hh in zip(rng.integers(0, STEP_DAYS, k), rng.integers(0, 9, k), strict=True)]
    delay = rng.gamma(2.0, 2.5, k)
    replied = [p + dt.timedelta(days=float(x)) for p, x in zip(posted, delay, strict=True)]
    rows = pd.DataFrame({
        "ID": range(start_id, start_id + k),
        "發表時間": [p.strftime("%Y-%m-%d %H:%M") for p in posted],
        "標題": "資料無法下載", "資料集名稱": picks["dataset_name"].to_numpy(),
        "提供機關": picks["publisher"].to_numpy(),
        "回復狀態": ["已回復" if r.date() <= day else "未回復" for r in replied],
        "首次回復時間": [r.strftime("%Y-%m-%d %H:%M") if r.date() <= day else "" for r in replied],
    })
    rows.to_csv(path, index=False, encoding="utf-8-sig")
    return start_id + k


def snapshot_dates(start: dt.date, count: int) -> list[dt.date]:
    """`count` dates a STEP_DAYS apart after `start`; all must lie in the past."""
    out = [start + dt.timedelta(days=STEP_DAYS * (i + 1)) for i in range(count)]
    if out and out[-1] > dt.date.today():
        raise ValueError(f"{count} snapshots after {start} run into the future ({out[-1]})")
    return out
