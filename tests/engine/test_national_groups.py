"""Issue 22 item 4: like with like on 全國比較 — single agencies among single agencies, 「勞動部及所屬」
only among groups formed by the committed parent map (data/seed/agency_parents.csv).

Hand-worked on the 2018-07-20 national export (628 publishers, 35,955 rows), pandas only:
- groups: every publisher mapped to its parent and summed → 96 groups, 58 of one agency.
  勞動部及所屬 = 565 datasets, 966,025 views, 150,859 downloads. By downloads: 財政部 179,650 is 11th,
  勞動部及所屬 12th, 新北市政府 148,977 13th. By views: 行政院環境保護署 973,284 is 9th, 勞動部及所屬 10th,
  行政院主計總處 926,090 11th.
- single agencies: 技能檢定中心 rolled into 勞發署 (SPEC: sub-units count under their parent) → 627
  agencies; 勞動部 37th/47th, 職安署 39/37, 勞保局 41/33, 勞發署 51/50, 基金局 70/118, 勞研所 145/135
  (downloads/views).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kpi.build.parents import derive, parent_map, read_overrides
from kpi.config.paths import REPO_ROOT
from tests.helpers.apptest import app

D2018 = dt.date(2018, 7, 20)
RAW = REPO_ROOT / "data" / "raw" / "16-22_data_gov_download.csv"
SEED = REPO_ROOT / "data" / "seed"
SIX = {"勞動部": (37, 47), "勞動部職業安全衛生署": (39, 37), "勞動部勞工保險局": (41, 33),
       "勞動部勞動力發展署": (51, 50), "勞動部勞動基金運用局": (70, 118),
       "勞動部勞動及職業安全衛生研究所": (145, 135)}


def _raw() -> pd.DataFrame:
    frame = pd.read_csv(RAW, thousands=",", encoding="utf-8")
    return frame.rename(columns={"提供機關名稱": "agency", "瀏覽人次": "views", "下載次數": "downloads"})


def _ranks(frame: pd.DataFrame) -> pd.DataFrame:
    for by in ("downloads", "views"):
        frame[f"rank_{by}"] = frame[by].rank(ascending=False, method="min").astype(int)
    return frame


def _page(page: str) -> AppTest:
    """A page on the data folder of this test (the data version is cached for 3 s across tests)."""
    import streamlit as st

    st.cache_data.clear()
    return app(page)


def test_every_export_agency_has_a_parent_and_the_committed_map_is_the_rule_plus_overrides():
    committed = pd.read_csv(SEED / "agency_parents.csv", dtype=str)
    names = set(_raw()["agency"])
    assert len(names) == 628 and set(committed["agency"]) == names
    assert committed["parent"].notna().all() and (committed["parent"].str.strip() != "").all()
    assert committed["agency"].is_unique
    pd.testing.assert_frame_equal(committed, parent_map().astype(str))
    counts = committed["how"].value_counts().to_dict()
    assert counts == {"derived": 555, "override": 73}
    # every override names an agency of the built-in export (a misspelt name would add a stray row)
    assert set(read_overrides()["agency"]) <= names


@pytest.mark.parametrize("name,parent", [
    ("勞動部勞工保險局", "勞動部"), ("勞動部", "勞動部"), ("勞動部勞動力發展署技能檢定中心", "勞動部"),
    ("內政部營建署", "內政部"),  # 內政部 itself publishes nothing: a group from the ministry list
    ("臺北市政府工務局大地工程處", "臺北市政府"), ("臺北市中山區公所", "臺北市政府"),  # by the area
    ("臺北大眾捷運股份有限公司", "臺北大眾捷運股份有限公司"),  # 「臺北」 is not 「臺北市」
    ("行政院環境保護署", "行政院環境保護署"),  # the longest beginning, not 行政院
    ("法務部矯正署臺北看守所", "法務部"), ("臺灣臺北地方法院", "司法院"), ("臺灣高等檢察署", "法務部"),
    ("台灣中油股份有限公司石化事業部", "台灣中油股份有限公司"), ("國家災害防救科技中心", "國家災害防救科技中心"),
])
def test_the_rule_alone(name, parent):
    from kpi.build.parents import _prefixes

    prefixes = _prefixes(["台灣中油股份有限公司", "臺北大眾捷運股份有限公司"])
    assert derive(name, prefixes)[0] == parent


def test_an_override_changes_the_map(tmp_path):
    names = ["國家災害防救科技中心", "科技部", "地政司"]
    empty = pd.DataFrame(columns=["agency", "parent", "reason"])
    plain = parent_map(names, empty).set_index("agency")
    assert plain.loc["國家災害防救科技中心", "parent"] == "國家災害防救科技中心"
    assert plain.loc["地政司", "parent"] == "地政司" and set(plain["how"]) == {"derived"}
    path = tmp_path / "override.csv"
    path.write_text("agency,parent,reason\n國家災害防救科技中心,科技部,監督機關\n", encoding="utf-8")
    fixed = parent_map(names, read_overrides(path)).set_index("agency")
    assert tuple(fixed.loc["國家災害防救科技中心", ["parent", "how", "basis"]]) == ("科技部", "override", "監督機關")
    assert fixed.loc["地政司", "parent"] == "地政司" and fixed.loc["地政司", "how"] == "derived"
    # a name the export lacks (a later export's) is placed by one override line
    path.write_text("agency,parent,reason\n勞動部勞動力發展署北基宜花金馬分署,勞動部,所屬分署\n", encoding="utf-8")
    added = parent_map(names, read_overrides(path)).set_index("agency")
    assert len(added) == 4 and added.loc["勞動部勞動力發展署北基宜花金馬分署", "parent"] == "勞動部"
    path.write_text("agency,parent,reason\n地政司,內政部,理由\n地政司,經濟部,理由\n", encoding="utf-8")
    with pytest.raises(ValueError, match="重複"):
        read_overrides(path)
    path.write_text("agency,parent,reason\n地政司,內政部,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="理由"):
        read_overrides(path)


def test_ministry_ranked_among_groups_by_hand(gw):
    from kpi.metrics import national

    raw = _raw()
    parents = pd.read_csv(SEED / "agency_parents.csv").set_index("agency")["parent"]
    raw["parent"] = raw["agency"].map(parents)
    hand = _ranks(raw.groupby("parent").agg(datasets=("agency", "size"), members=("agency", "nunique"),
                                            views=("views", "sum"), downloads=("downloads", "sum")))
    assert len(hand) == 96 and int((hand["members"] == 1).sum()) == 58
    mine = hand.loc["勞動部"]
    assert (mine["datasets"], mine["views"], mine["downloads"]) == (565, 966_025, 150_859)
    assert (mine["rank_downloads"], mine["rank_views"]) == (12, 10)
    assert hand.loc["財政部", ["downloads", "rank_downloads"]].tolist() == [179_650, 11]
    assert hand.loc["新北市政府", ["downloads", "rank_downloads"]].tolist() == [148_977, 13]
    assert hand.loc["行政院環境保護署", ["views", "rank_views"]].tolist() == [973_284, 9]
    assert hand.loc["行政院主計總處", ["views", "rank_views"]].tolist() == [926_090, 11]

    engine = national.group_ranking(gw, D2018)
    assert len(engine) == 96 and not engine["unplaced"].any()
    g = engine.set_index("group").loc["勞動部及所屬"]
    assert (g["datasets"], g["views"], g["downloads"], g["members"]) == (565, 966_025, 150_859, 6)
    assert (g["rank_downloads"], g["rank_views"]) == (12, 10)
    # the store rolls 技能檢定中心 into 勞發署: 6 agencies of the snapshot, 7 names in the map
    assert int(hand.loc["勞動部", "members"]) == 7
    by_parent = engine.set_index("parent")
    for parent, row in hand.iterrows():
        assert by_parent.loc[parent, "rank_downloads"] == row["rank_downloads"], parent
        assert by_parent.loc[parent, "rank_views"] == row["rank_views"], parent
    # no single Ministry agency stands among the groups
    assert not set(engine["group"]) & (set(SIX) - {"勞動部"}) and "勞動部" not in set(engine["group"])


def test_each_ministry_agency_ranked_among_single_agencies_by_hand(gw):
    from kpi.metrics import national

    raw = _raw()
    raw["agency"] = raw["agency"].replace({"勞動部勞動力發展署技能檢定中心": "勞動部勞動力發展署"})
    hand = _ranks(raw.groupby("agency")[["views", "downloads"]].sum())
    assert len(hand) == 627
    engine = national.agency_ranking(gw, D2018).set_index("agency")
    assert len(engine) == 627
    for agency, (by_downloads, by_views) in SIX.items():
        assert (hand.loc[agency, "rank_downloads"], hand.loc[agency, "rank_views"]) == (by_downloads, by_views)
        assert (engine.loc[agency, "rank_downloads"], engine.loc[agency, "rank_views"]) == (by_downloads, by_views)
    assert "勞動部及所屬" not in engine.index  # never ranked among single agencies
    assert (engine["rank_downloads"] == hand.loc[engine.index, "rank_downloads"]).all()


@pytest.mark.slow  # ≈4 s: the full suite runs it, the quick loop does not
def test_an_agency_missing_from_the_map_is_its_own_group_and_reported(fresh_data):
    """A later export's new name, simulated by dropping 勞保局 from the map: the Ministry's group
    falls to five agencies and 勞保局 stands alone, flagged on the page; nothing is dropped."""
    from kpi.metrics import national
    from kpi.service import build
    from kpi.store import gateway

    path = fresh_data / "seed" / "agency_parents.csv"
    frame = pd.read_csv(path)
    frame[frame["agency"] != "勞動部勞工保險局"].to_csv(path, index=False, encoding="utf-8")
    build("test")
    gw = gateway()
    assert national.unplaced(gw, D2018) == ["勞動部勞工保險局"]
    groups = national.group_ranking(gw, D2018).set_index("parent")
    singles = national.agency_ranking(gw, D2018).set_index("agency")
    alone = groups.loc["勞動部勞工保險局"]
    assert bool(alone["unplaced"]) and alone["members"] == 1
    assert alone["downloads"] == singles.loc["勞動部勞工保險局", "downloads"]
    assert groups.loc["勞動部", "downloads"] == 150_859 - alone["downloads"]
    assert int(groups["downloads"].sum()) == int(singles["downloads"].sum())  # nothing dropped
    at = _page("pages/national.py")
    warning = " ".join(w.value for w in at.warning)
    assert "機關歸屬表未列的機關 1 個" in warning and "勞動部勞工保險局" in warning


def test_page_separates_the_two_rankings(gw):
    at = _page("pages/national.py")
    metrics = {m.label: m.value for m in at.metric}
    deltas = {m.label: m.delta for m in at.metric}
    assert metrics["全國機關數"] == "627" and deltas["全國機關數"] == "96 個部會（含所屬）"
    assert deltas["勞動部及所屬下載量占全國"] == "部會間第 12 名"
    assert metrics["勞動部及所屬：下載名次"] == "第 12 名／96" and deltas["勞動部及所屬：下載名次"] == "瀏覽第 10 名"
    assert metrics["部會（含所屬）"] == "96 組" and deltas["部會（含所屬）"] == "只有一個機關者 58 組"
    assert metrics["勞動部及所屬：機關數"] == "6" and deltas["勞動部及所屬：機關數"] == "資料集 565 項"
    headers = [h.value for h in at.header]
    assert "單一機關之間：全國 627 個機關各自排名" in headers
    assert "部會（含所屬）之間：96 個部會（含所屬）合計後排名" in headers
    singles = at.dataframe[1].value
    assert "勞動部及所屬" not in set(singles["機關"])
    assert singles.set_index("機關").loc["勞動部勞工保險局", "下載量名次"] == 41
    groups = at.dataframe[2].value.set_index("部會（含所屬）")
    assert groups.loc["勞動部及所屬", "下載量名次"] == 12 and groups.loc["勞動部及所屬", "機關數"] == 6
    assert len(groups) == 15  # the first 15; the Ministry's group (12th) is among them
    captions = " ".join(c.value for c in at.caption)
    assert "同類相比" in captions and "不與單一機關並列" in captions
    assert "部會（含所屬）之間：下載第 12 名、瀏覽第 10 名／96" in captions
    assert not at.warning  # every agency of the built-in export is placed


def test_notes_show_the_map(gw):
    at = _page("pages/notes.py")
    captions = " ".join(c.value for c in at.caption)
    assert "全國匯出檔 628 個機關併為 96 個部會（含所屬），其中 58 組只有一個機關" in captions
    assert "依名稱規則歸屬 555 個，人工覆核修正 73 個" in captions
    overrides, whole = at.dataframe[-2].value, at.dataframe[-1].value
    assert len(overrides) == 73 and len(whole) == 628
    assert overrides.set_index("機關").loc["地政司", "所屬部會或群組"] == "內政部"
    at.text_input(key="parent_search").input("榮民總醫院").run()
    found = at.dataframe[-1].value
    assert sorted(found["機關"]) == ["臺中榮民總醫院", "臺北榮民總醫院", "高雄榮民總醫院"]
    assert set(found["所屬部會或群組"]) == {"國軍退除役官兵輔導委員會"}
    text = " ".join(t.value for t in at.text)
    assert "名稱含「法院」者併入司法院" in text
