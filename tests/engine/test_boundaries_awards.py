"""人氣獎 at each edge of its rules, on a hand-built store (tests/engine/tiny_store.py).

Data date 2018-07-20, comparison date 2017-10-30, rule points 30 / 40 / 30 and 365 days open:
- listed 2017-07-20 is 365 days before: open a year; 2017-07-21 (364 days): 開放未滿一年;
- views and downloads differ per dataset, so scoring views with the download points, taking the
  smallest count for the largest, or a fall of only one counter each change a figure below;
- period maxima: views 300 (滿一年), downloads 60 (老資料集). A recounted dataset (cohort starting
  on the comparison date) and one listed on the comparison date but absent before both have an
  unknown period count; were either counted, it would be the maximum.
滿一年 = 30×300/300 + 40×20/60 + 30×4/5 = 67.3333; 老資料集 = 30×200/300 + 40×60/60 + 0 = 60.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kpi.metrics.awards import popularity
from kpi.metrics.scope import Scope
from tests.helpers.tiny_store import TinyGateway

AS_OF, SINCE = dt.date(2018, 7, 20), dt.date(2017, 10, 30)
AGENCY = "勞動部"
OLD = dt.date(2014, 1, 2)
# name: (listed_on, (views, downloads) before or None, (views, downloads) now, rating)
ROWS = {
    "滿一年": (dt.date(2017, 7, 20), (100, 10), (400, 30), 4.0),
    "差一天": (dt.date(2017, 7, 21), (50, 5), (150, 45), None),
    "無上架日": (None, (0, 0), (10, 1), None),
    "下載下降": (OLD, (10, 20), (20, 15), None),
    "瀏覽下降": (OLD, (30, 5), (20, 9), None),
    "重新計數": (OLD, (10, 10), (500, 500), None),
    "老資料集": (OLD, (1000, 100), (1200, 160), None),
    "比較日上架": (SINCE, None, (5000, 5000), None),
    "比較日後上架": (SINCE + dt.timedelta(days=1), None, (30, 2), None),
}
RULES = {"popularity_views_points": 30.0, "popularity_downloads_points": 40.0,
         "popularity_rating_points": 30.0, "popularity_min_days_open": 365.0}


def _store(catalogue: pd.DataFrame | None = None) -> TinyGateway:
    rows = []
    for i, (name, (listed, before, now, rating)) in enumerate(ROWS.items()):
        for day, counts in ((SINCE, before), (AS_OF, now)):
            if counts is not None:
                rows.append({"dataset_id": f"D{i}", "agency": AGENCY, "short_name": "部本部",
                             "is_ministry": True, "dataset_name": name, "views": counts[0],
                             "downloads": counts[1], "rating": rating, "listed_on": listed,
                             "snapshot_date": day})
    counter = pd.DataFrame(rows)
    counter["listed_on"] = pd.to_datetime(counter["listed_on"])
    counter["snapshot_date"] = pd.to_datetime(counter["snapshot_date"])
    recount_id = f"D{list(ROWS).index('重新計數')}"
    tables = {
        "counter": counter, "core_counter": counter,
        "counter_total": pd.DataFrame({"agency": [AGENCY, AGENCY], "snapshot_date": pd.to_datetime([SINCE, AS_OF])}),
        "award_rule": pd.DataFrame({"rule": list(RULES), "value": list(RULES.values())}),
        "core_recount_member": pd.DataFrame({"dataset_id": [recount_id], "since_date": pd.to_datetime([SINCE]),
                                             "as_of_date": pd.to_datetime([AS_OF])}),
    }
    if catalogue is not None:
        tables["catalogue"] = catalogue
    return TinyGateway(**tables)


def _scored(gw: TinyGateway) -> pd.DataFrame:
    frame = popularity(gw, Scope(AS_OF, SINCE, (AGENCY,)), limit=50, same_period=True)
    return frame.set_index("dataset_name")


def test_open_a_year_is_365_days_both_sides():
    frame = _scored(_store())
    assert (AS_OF - ROWS["滿一年"][0]).days == 365 and (AS_OF - ROWS["差一天"][0]).days == 364
    assert frame.loc["滿一年", "eligibility_code"] == "eligible"
    assert bool(frame.loc["滿一年", "open_one_year"]) is True
    assert frame.loc["差一天", "eligibility_code"] == "young"
    assert bool(frame.loc["差一天", "open_one_year"]) is False
    assert frame.loc["無上架日", "eligibility_code"] == "undated"


def test_either_counter_falling_is_a_reset_and_a_recount_from_the_comparison_date_is_unknown():
    frame = _scored(_store())
    assert frame.loc["下載下降", "eligibility_code"] == "reset"  # views rose, downloads fell
    assert frame.loc["瀏覽下降", "eligibility_code"] == "reset"  # downloads rose, views fell
    assert frame.loc["重新計數", "eligibility_code"] == "recount"
    assert pd.isna(frame.loc["重新計數", "period_views"])


def test_listed_on_the_comparison_date_but_absent_before_has_no_known_period_count():
    frame = _scored(_store())
    assert pd.isna(frame.loc["比較日上架", "period_views"])  # on the since date: should have been there
    assert frame.loc["比較日後上架", "period_views"] == 30  # after it: the whole counter is in the period
    assert frame.loc["比較日後上架", "period_downloads"] == 2


def test_scores_by_hand_views_and_downloads_not_interchangeable():
    frame = _scored(_store())
    assert frame.loc["滿一年", "period_views"] == 300 and frame.loc["滿一年", "period_downloads"] == 20
    assert frame.loc["滿一年", "popularity_score"] == pytest.approx(30 + 40 * 20 / 60 + 24)
    assert frame.loc["老資料集", "popularity_score"] == pytest.approx(20 + 40)
    assert frame.loc["差一天", "popularity_score"] == pytest.approx(30 * 100 / 300 + 40 * 40 / 60)
    assert list(frame.index[:2]) == ["滿一年", "老資料集"]


def _catalogue(*rows: tuple[dt.date, str]) -> pd.DataFrame:
    return pd.DataFrame({"agency": AGENCY, "dataset_name": "滿一年", "badge": [b for _, b in rows],
                         "snapshot_date": pd.to_datetime([d for d, _ in rows])})


def test_badge_comes_from_the_catalogue_of_the_data_date_not_the_one_before_or_after():
    day = dt.timedelta(days=1)
    on_the_day = _scored(_store(_catalogue((AS_OF - day, "silver"), (AS_OF, "gold"), (AS_OF + day, "bronze"))))
    assert on_the_day.loc["滿一年", "eligibility_code"] == "eligible"
    assert bool(on_the_day.loc["滿一年", "gold_badge"]) is True
    before = _scored(_store(_catalogue((AS_OF - day, "gold"), (AS_OF, "silver"))))
    assert before.loc["滿一年", "eligibility_code"] == "no_gold"
