"""Issue 10 items 3–6 and 8 in-process (AppTest): no award on partial indicators, ranks in the whole
group, one agency filter, viewer and office roles, the whole view in the URL.

Composite 106 on the embedded default (calendar days, tests/engine/test_plan_composite.py): 職安署 102.50,
基金局 88.46, 勞保局 80.66, 勞發署 74.14, 勞動部 39.34, 勞研所 22.22 → 勞保局 is 3rd of 6. Only 成長量
and 6日內回復 have data (工作小組會議、資訊正確率、三星比率 are absent for every agency, 勞研所 has no
opinions in 2017), so the ranking is partial: 「僅依 2/5 項指標：成長量、6日內回復」 and no 建議獎勵.

With every missing indicator filled at its target (score 100; the fixture below), the composite is the
mean of five: 職安署 (5 × 100)/5 + 5 × 1/2 = 102.50; 基金局 (400 + 76.923)/5 + 0 = 95.38;
勞保局 (300 + 71.111 + 84.211)/5 + 5 × 3/5 = 94.06; 勞發署 (300 + 78.125 + 65.789)/5 + 5 × 7/16 = 90.97;
勞研所 (400 + 22.222)/5 = 84.44; 勞動部 (300 + 0 + 73.684)/5 + 2.5 = 77.24 → top three 職安署, 基金局, 勞保局.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from streamlit.testing.v1 import AppTest

from kpi.config.paths import REPO_ROOT
from kpi.metrics.definitions import INDICATORS
from kpi.ops.auth import hash_password

PASSWORD = "correct horse battery"
BLI = "勞動部勞工保險局"
HEX = re.compile(r"\b[0-9a-f]{16,64}\b")


def _app(query: dict | None = None, page: str | None = None, office: bool = False) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if office:
        at.switch_page("pages/imports.py").run()
        at.text_input[0].input(PASSWORD)
        at.button[0].click().run()
        assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def _menu(at: AppTest) -> list[str]:
    """The menu of the last run: its registered pages less those registered hidden (the registry
    for whoever is signed in: 資訊處登入 only in the viewer's)."""
    from pages.ui.router import HIDDEN_FOR_VIEWERS

    registered = [p.get("page_name") for p in at._registered_pages.values()]
    office = "資料匯入" in registered
    return [name for name in registered if office or name not in HIDDEN_FOR_VIEWERS]


def _texts(at: AppTest) -> str:
    """Every string a person can read on the run (main and sidebar), tables included."""
    parts = []
    for node in at._tree.root.children.values():
        for el in _walk(node):
            for attr in ("value", "label", "body", "help", "placeholder"):
                v = getattr(el, attr, None)
                if isinstance(v, str):
                    parts.append(v)
            proto = getattr(el, "proto", None)
            if proto is not None and hasattr(proto, "options"):
                parts.extend(str(o) for o in getattr(proto, "options", []))
    for df in at.dataframe:
        parts.append(df.value.to_string())
    return "\n".join(parts)


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


@pytest.fixture
def office_env(monkeypatch):
    monkeypatch.setenv("KPI_OFFICE_PASSWORD_HASH", hash_password(PASSWORD, iterations=1000))


# ---- item 3 and 4 at the kpi level ---------------------------------------------------------

def test_ranks_are_in_the_whole_group_and_partial_data_proposes_nothing(gw):
    from kpi.metrics import plan, plan_notes
    from kpi.metrics.scope import resolve_scope

    scope = resolve_scope(gw)
    one = plan.yearly_achievement(gw, dataclasses.replace(scope, agencies=(BLI,)), 106)
    assert one["agency"].tolist() == [BLI]
    assert (int(one.loc[0, "rank"]), int(one.loc[0, "compared"])) == (3, 6)
    assert round(one.loc[0, "composite"], 2) == 80.66  # the figure itself unchanged
    assert plan_notes.rank_text(one.loc[0, "rank"], 6) == "第 3 名／6"
    assert plan.award_proposal(plan.yearly_achievement(gw, scope, 106)).empty
    status = plan_notes.ranking_status(gw, dataclasses.replace(scope, agencies=(BLI,)), 106)
    assert status["complete"] is False and status["proposal"] == []
    assert status["headline"] == "僅依 2/5 項指標：成長量、6日內回復"
    assert status["missing"] == ["工作小組會議、資訊正確率、三星比率：各機關皆無資料", "勞研所 缺 6日內回復"]


@pytest.fixture
def all_five(monkeypatch):
    """Every indicator an agency lacks set at its target (score 100): a complete ranking."""
    import streamlit as st

    from kpi.metrics import plan

    original = plan._rows

    def filled(*args, **kwargs):
        rows = original(*args, **kwargs)
        for r in rows:
            for n in INDICATORS:
                if r[f"{n}_score"] is None:
                    r[f"{n}_actual"], r[f"{n}_met"], r[f"{n}_score"] = r[f"{n}_target"], True, 100.0
        return rows

    monkeypatch.setattr(plan, "_rows", filled)
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def test_complete_data_proposes_the_top_three(gw, all_five):
    from kpi.metrics import plan_notes
    from kpi.metrics.scope import resolve_scope

    status = plan_notes.ranking_status(gw, resolve_scope(gw), 106)
    assert status["complete"] is True and status["headline"] == ""
    assert [(a, round(c, 2)) for a, c in status["proposal"]] == [
        ("職安署", 102.5), ("基金局", 95.38), ("勞保局", 94.06)]


# ---- item 3, 4 on the page -------------------------------------------------------------------

def test_plan_page_for_one_agency_shows_its_partial_rank_and_no_award(gw):
    at = _app({"agency": "勞保局"}, "pages/plan.py")
    table = at.dataframe[0].value
    assert table["機關"].tolist() == ["勞保局"]
    assert table["部分指標名次"].tolist() == ["第 3 名／6"]
    assert "名次" not in table.columns
    assert any("僅依 2/5 項指標：成長量、6日內回復" in w.value and "勞研所 缺 6日內回復" in w.value
               for w in at.warning)
    assert not any("建議獎勵" in s.value for s in at.success)
    assert "建議獎勵前三名" not in _texts(at)


def test_plan_page_with_all_five_indicators_proposes_awards(gw, all_five):
    at = _app({"agency": "勞保局"}, "pages/plan.py")
    assert at.dataframe[0].value["名次"].tolist() == ["第 3 名／6"]
    assert not any("僅依" in w.value for w in at.warning)
    assert [s.value for s in at.success] == [
        "建議獎勵前三名（五項指標齊備，6 個機關比較）：職安署（102.50）、基金局（95.38）、勞保局（94.06）"]


def test_scores_over_100_say_where_the_bonus_comes_from(gw):
    at = _app(page="pages/plan.py")
    captions = [c.value for c in at.caption]
    assert any(c.startswith("綜合分數超過 100 分，是因為") for c in captions)
    assert any(c.startswith("職安署 102.50：超過 100：各指標以 100 分為上限，另加分 2.50") for c in captions)


# ---- item 5: the agency filter -----------------------------------------------------------------

def test_group_and_single_agencies_cannot_be_mixed(gw):
    at = _app()
    assert at.sidebar.radio[0].label == "範圍" and at.sidebar.radio[0].value == "group"
    assert not at.sidebar.multiselect  # no agency list while the group is chosen
    at.sidebar.radio[0].set_value("pick").run()
    pick = at.sidebar.multiselect[0]
    assert pick.options == ["勞動部", "勞保局", "勞發署", "基金局", "職安署", "勞研所"]
    pick.set_value(["勞保局"]).run()
    assert {m.label: m.value for m in at.metric}["開放資料集"] == "198"  # 2018-07-20 snapshot
    assert at.query_params["agency"] in ("勞保局", ["勞保局"])


def test_empty_choice_is_stated_not_replaced(gw):
    at = _app({"agency": "勞保局"})
    at.sidebar.multiselect[0].set_value([]).run()
    assert any(w.value.startswith("未選擇機關") for w in at.warning)
    assert not at.metric and not at.dataframe  # nothing that could be read as the group's figures
    again = _app({"agency": ""})  # the link of that view
    assert any(w.value.startswith("未選擇機關") for w in again.warning)


@pytest.mark.parametrize("query,mode,chosen", [
    ({}, "group", None), ({"agency": "勞動部及所屬"}, "group", None), ({"agency": "全部"}, "group", None),
    ({"agency": ["勞保局", "職安署"]}, "pick", ["勞保局", "職安署"]),
    ({"agency": "勞動部勞工保險局"}, "pick", ["勞保局"]),
    ({"agency": ["勞動部及所屬", "勞保局"]}, "group", None),  # an old mixed link showed the group
])
def test_url_agency_is_read_as_before(gw, query, mode, chosen):
    at = _app(query)
    assert at.sidebar.radio[0].value == mode
    if chosen is not None:
        assert at.sidebar.multiselect[0].value == chosen


def test_national_highlights_the_chosen_agency_among_all(gw):
    at = _app({"agency": "勞保局"}, "pages/national.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["勞保局：下載名次"] == "第 41 名／627"
    assert at.dataframe[1].value["機關"].tolist() == ["勞動部勞工保險局"]  # 單一機關之間 (issue 22)


# ---- item 6: roles -----------------------------------------------------------------------------

def test_viewer_sees_no_office_things(gw, office_env):
    at = _app()
    menu = _menu(at)
    assert "資料匯入" not in menu and "比對確認" not in menu and "資訊處登入" in menu
    for page in ("pages/overview.py", "pages/plan.py", "pages/quality.py", "pages/notes.py",
                 "pages/imports.py", "pages/national.py"):
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        text = _texts(at)
        assert "python -m kpi" not in text and "hash-password" not in text, page
        assert "secrets.toml" not in text and not HEX.search(text), (page, HEX.search(text))
        assert "資料版本" not in text, page
        if page == "pages/plan.py":
            assert not at.slider and "權重：" in text and "預設值，資訊處尚未調整" in text
    at.switch_page("pages/matches.py").run()  # by its link: says it is the office's, shows nothing
    assert not at.button and not at.text_input and not at.dataframe


def test_office_sees_them_after_signing_in(gw, office_env):
    at = _app(office=True)
    menu = _menu(at)
    assert "資料匯入" in menu and "比對確認" in menu and "資訊處登入" not in menu
    at.switch_page("pages/plan.py").run()
    assert len(at.slider) == 7  # five weights, bonus cap, bonus days
    at.switch_page("pages/notes.py").run()
    assert HEX.search(_texts(at)) and "資料版本" in _texts(at)


def test_viewer_without_sign_in_configured_sees_no_instructions(gw, monkeypatch):
    monkeypatch.delenv("KPI_OFFICE_PASSWORD_HASH", raising=False)
    at = _app(page="pages/imports.py")
    assert at.title[0].value == "資訊處登入"
    text = _texts(at)
    assert "匯入功能未啟用" in text and "python -m" not in text and "KPI_OFFICE_PASSWORD_HASH" not in text


# ---- item 8: the view in the URL ----------------------------------------------------------------

def test_cold_link_with_page_choices(gw):
    at = _app({"agency": "勞保局", "by": "views", "year": "105"}, "pages/usage.py")
    assert at.radio(key="rank_by").value == "views"
    assert at.sidebar.multiselect[0].value == ["勞保局"]
    assert at.query_params["by"] in ("views", ["views"])
    plan_at = _app({"agency": "勞保局", "by": "views", "year": "105"}, "pages/plan.py")
    assert plan_at.radio(key="plan_year").value == 105
    assert plan_at.query_params["year"] in ("105", ["105"])
    assert plan_at.header[1].value.startswith("105 年各機關指標")


def test_page_choice_is_written_to_the_url(gw):
    at = _app(page="pages/plan.py")
    at.radio(key="plan_year").set_value(105).run()
    assert at.query_params["year"] in ("105", ["105"])
    assert "since" not in at.query_params  # unchosen: it follows the meeting calendar (issue 27)


def test_bad_page_choice_in_the_url_opens_the_default(gw):
    at = _app({"year": "999", "by": "x"}, "pages/plan.py")
    assert at.radio(key="plan_year").value == 106


def test_viewer_sees_who_set_the_weights_and_when(fresh_data, office_env):
    import datetime as dt
    from zoneinfo import ZoneInfo

    import streamlit as st

    from kpi.reference.dates import roc
    from kpi.service import set_weights

    set_weights({"reply_6day_ratio": 2}, "資訊處")
    st.cache_data.clear()
    at = _app(page="pages/plan.py")
    today = roc(dt.datetime.now(ZoneInfo("Asia/Taipei")).date())
    assert any(c.value.startswith("權重：") and c.value.endswith(f"6日內回復 2（資訊處 於 {today} 設定）")
               for c in at.caption), [c.value for c in at.caption][:3]
    assert not at.slider


@pytest.mark.parametrize("given", ["none", "（不比較）"])
def test_since_none_in_the_url(gw, given):
    """SPEC §8: since=none is no comparison (the old label still reads the same way)."""
    at = _app({"since": given})
    assert at.sidebar.selectbox[1].value == "（不比較）"
    assert at.query_params["since"] in ("none", ["none"])


def test_excel_ranking_for_one_agency_is_its_place_in_the_group_and_says_partial(gw):
    import io

    import openpyxl

    from kpi.exports.standing import write_agency_ranking
    from kpi.exports.workbook import Book
    from kpi.metrics.scope import resolve_scope

    scope = resolve_scope(gw, agencies=["勞保局"])
    book = Book(scope)
    write_agency_ranking(book, gw, scope)
    rows = list(openpyxl.load_workbook(io.BytesIO(book.close())).worksheets[0].iter_rows(values_only=True))
    assert next(r for r in rows if r and r[1] == "勞保局")[0] == 3
    text = " ".join(str(c) for r in rows for c in r if c)
    assert "部分指標排名：僅依 2/5 項指標：成長量、6日內回復；名次為全部 6 個機關中的名次" in text
    assert "建議獎勵" not in text
