"""「自上次會議以來」 on 總覽 (issue 10 item 10), default scope 106/10/30 → 107/07/20, by hand.

- `python -m kpi report --json`: total new_datasets 13 (勞發署 9 + 勞保局 4), removed_datasets 10
  (勞動部 1 + 勞發署 3 + 職安署 6).
- top growth: 初任人員平均經常性薪資 (勞動部), downloads 4,239 → 7,357 = +3,118; next
  15-29歲青年勞工就業狀況 1,814 → 3,828 = +2,014.
- biggest fall (a counter reset): 101年至105年勞動部勞動力發展署自辦職前訓練班級資料 1,168 → 61 = −1,107.
- plan year 106: at 106/10/30 no snapshot carries 上架日, so 成長量 was 無資料 then and is known now
  for all six (職安署 18 ≥ 18 達成, the rest not) — "newly measured", not a crossing; the 6-day
  ratios are the same 附件三 replies at both dates → 0 crossings.
- feedback (35 opinions of 附件三, judged at the export date 106/10/30): 0 overdue, 1 pending
  (職安署, posted 106/10/26, 4 days before the export); none posted inside the period.
"""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from kpi.config.paths import REPO_ROOT
from kpi.metrics import since_meeting as sm
from kpi.metrics.definitions import plan_label
from kpi.metrics.scope import resolve_scope
from kpi.metrics.usage import dataset_changes


def test_changes_since_the_previous_snapshot(gw):
    got = sm.since_meeting(gw, resolve_scope(gw))
    assert (got["since"], got["as_of"], got["roc_year"]) == (dt.date(2017, 10, 30), dt.date(2018, 7, 20), 106)
    assert len(got["added"]) == 13 and len(got["removed"]) == 10
    assert got["added"]["agency"].value_counts().to_dict() == {"勞動部勞動力發展署": 9, "勞動部勞工保險局": 4}
    top = got["growth"].iloc[0]
    assert (top["dataset_name"], top["agency"], top["downloads_change"]) == ("初任人員平均經常性薪資", "勞動部", 3118)
    assert got["growth"]["downloads_change"].tolist()[:2] == [3118, 2014]
    # the largest fall (101年至105年勞動部勞動力發展署自辦職前訓練班級資料, −1,107) lies in the recount
    # cohort: listed with the event, not as a decline; no isolated counter fell
    assert got["decline"].empty and len(got["growth"]) == 5
    cohort = dataset_changes(gw, resolve_scope(gw)).set_index("dataset_name")
    assert cohort.loc["101年至105年勞動部勞動力發展署自辦職前訓練班級資料", ["downloads_change", "change_kind"]
                      ].tolist() == [-1107, "recount"]


def test_crossings_and_newly_measured(gw):
    got = sm.since_meeting(gw, resolve_scope(gw))
    assert got["crossed"].empty
    measured = got["measured"]
    assert set(measured["indicator"]) == {plan_label("new_datasets")}
    assert measured.set_index("agency").loc["職安署", "now"] == "18（● 達成）"
    assert len(measured) == 6


def test_overdue_feedback_judged_at_the_export(gw):
    fb = sm.since_meeting(gw, resolve_scope(gw))["feedback"]
    assert (fb["total"], fb["overdue"], fb["pending"], fb["in_period"]) == (35, 0, 1, 0)
    assert fb["judged_on"] == [dt.date(2017, 10, 30)]


def test_no_earlier_snapshot(gw):
    scope = resolve_scope(gw, dt.date(2017, 10, 30))
    assert sm.since_meeting(gw, scope) is None
    assert sm.no_comparison_line(gw, scope.as_of) == "沒有早於 106/10/30 的快照，無法列出自上次會議以來的變化。"


def _overview(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_overview_section(gw):
    at = _overview()
    headers = [h.value for h in at.header]
    assert "自上次會議以來（106/10/30 → 107/07/20）" in headers
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["新增資料集"], metrics["下架資料集"], metrics["逾期未回復意見"]) == ("13", "10", "0")
    links = [m.value for m in at.markdown if "scorecard?agency=" in m.value]
    assert len(links) == 6  # every agency card opens that agency's scorecard


def test_overview_section_without_an_earlier_snapshot(gw):
    at = _overview({"as_of": "2017-10-30"})
    assert "自上次會議以來" in [h.value for h in at.header]
    assert any("沒有早於 106/10/30 的快照" in c.value for c in at.caption)
