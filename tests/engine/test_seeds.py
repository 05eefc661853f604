"""The seed parser against the figures the documents themselves state."""

import filecmp

import pandas as pd

from kpi.build.seeds import parse_usage_106_2, write_seeds
from kpi.config.paths import REPO_ROOT

SEED = REPO_ROOT / "data" / "seed"


def test_usage_106_2_totals_and_agencies():
    usage, stated = parse_usage_106_2()
    assert len(usage) == 562
    assert stated == {"views": 884_091, "downloads": 144_897}
    assert int(usage["views"].sum()) == 884_091
    assert int(usage["downloads"].sum()) == 144_897
    counts = usage["publisher"].value_counts().to_dict()
    assert counts == {"勞動部勞工保險局": 194, "勞動部": 115, "勞動部勞動力發展署": 86,
                      "勞動部職業安全衛生署": 83, "勞動部勞動基金運用局": 54,
                      "勞動部勞動及職業安全衛生研究所": 28, "勞動部勞動力發展署技能檢定中心": 2}


def test_cut_off_name_kept_as_printed():
    usage, _ = parse_usage_106_2()
    row49 = usage.loc[usage["rank"] == 49].iloc[0]
    assert row49["dataset_name"].endswith("被看者醫療機")
    assert (row49["views"], row49["downloads"]) == (3384, 282)


def test_committed_seed_tables_are_what_the_parser_writes(tmp_path):
    write_seeds(tmp_path)
    written = {p.name for p in tmp_path.glob("*.csv")}
    # the one committed CSV the parser reads rather than writes: the reviewed parent-map corrections
    assert {p.name for p in SEED.glob("*.csv")} - written == {"agency_parents_override.csv"}
    for name in written:
        assert filecmp.cmp(SEED / name, tmp_path / name, shallow=False), name


def test_feedback_requests_new_datasets():
    fb = pd.read_csv(SEED / "feedback_106_2.csv")
    assert len(fb) == 35
    assert fb["posted_at"].min() == "2017-04-20" and fb["posted_at"].max() == "2017-10-26"
    assert fb["first_reply_on"].isna().sum() == 1  # item 1 was still unanswered
    assert fb["agency"].value_counts().to_dict() == {
        "勞動部勞動力發展署": 16, "勞動部": 10, "勞動部勞工保險局": 5, "勞動部職業安全衛生署": 3,
        "勞動部勞動基金運用局": 1}
    req = pd.read_csv(SEED / "requests_106_2.csv")
    assert req["posted_at"].tolist() == ["2017-07-08", "2017-05-24"]
    assert req["agency"].unique().tolist() == ["勞動部勞動力發展署"]
    new = pd.read_csv(SEED / "new_datasets_106_2.csv")
    assert len(new) == 44
    assert set(new["service_category"]) == {"求職及就業", "公共資訊", "投資理財"}


def test_action_plan():
    plan = pd.read_csv(SEED / "plan_counts.csv")
    assert plan.groupby("roc_year")["planned_total"].sum().tolist() == [255, 385, 515]
    row = plan[(plan["agency"] == "勞動部勞工保險局") & (plan["roc_year"] == 106)]
    assert row["planned_total"].item() == 196
    targets = pd.read_csv(SEED / "targets.csv").set_index(["agency", "roc_year"])
    assert targets.loc[("勞動部勞工保險局", 105), "new_datasets"] == 45
    assert targets.loc[("勞動部勞動及職業安全衛生研究所", 106), "new_datasets"] == 9
    assert set(targets["reply_6day_ratio"]) == {0.95}
    assert set(targets["three_star_ratio"]) == {0.5}


def test_portal_totals():
    totals = pd.read_csv(SEED / "portal_totals.csv")
    assert totals["datasets"].tolist() == [255, 562, 598]
    assert totals["gold_datasets"].dropna().tolist() == [516]
