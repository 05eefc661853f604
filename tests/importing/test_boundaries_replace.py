"""--replace is needed whenever the file's date already holds rows for its publishers, whatever the
file's size: smaller, as large, or larger than what it replaces (kpi/importing/compare.py).

The store holds 3 datasets of 勞動部 and 2 of 勞保局 on 2018-07-20; files of 2, 3 and 4 rows for 勞動部
each need --replace and say so with both counts; another date, or another publisher, does not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from kpi.importing.compare import replaced_by
from kpi.importing.kinds import Parsed
from tests.helpers.tiny_store import TinyGateway

DAY = dt.date(2018, 7, 20)
MOL, BLI = "勞動部", "勞動部勞工保險局"


def _gw() -> TinyGateway:
    return TinyGateway(counter=pd.DataFrame({
        "snapshot_date": pd.to_datetime([DAY] * 5), "publisher": [MOL] * 3 + [BLI] * 2,
        "agency": [MOL] * 3 + [BLI] * 2}))


def _file(rows: int, as_of: dt.date = DAY, publisher: str = MOL) -> Parsed:
    frame = pd.DataFrame({"publisher": [publisher] * rows, "agency": [publisher] * rows})
    return Parsed("usage", Path("f.csv"), "f.csv", "0" * 64, "utf-8", "csv", list(frame.columns), frame, as_of)


@pytest.mark.parametrize("rows", [2, 3, 4])
def test_smaller_as_large_or_larger_file_needs_replace(rows):
    assert replaced_by(_gw(), _file(rows)) == [
        f"勞動部：資料庫現有 3 項，此檔 {rows} 項（2018-07-20 的資料將整批取代）"]


def test_another_date_or_publisher_needs_nothing():
    assert replaced_by(_gw(), _file(3, DAY + dt.timedelta(days=1))) == []
    assert replaced_by(_gw(), _file(3, DAY - dt.timedelta(days=1))) == []
    assert replaced_by(_gw(), _file(3, publisher="勞動部勞動力發展署")) == []
    assert replaced_by(_gw(), _file(2, publisher=BLI)) == [
        "勞動部勞工保險局：資料庫現有 2 項，此檔 2 項（2018-07-20 的資料將整批取代）"]
