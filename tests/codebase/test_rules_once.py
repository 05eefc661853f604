"""Each rule issue 28 unified stays in one place: a copy written again beside the original makes
one of these fail (the unit cases are in tests/engine/test_rules_once.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kpi.config.paths import REPO_ROOT

CODE = sorted([*REPO_ROOT.glob("kpi/**/*.py"), *REPO_ROOT.glob("kpi/**/*.sql"),
               *REPO_ROOT.glob("pages/**/*.py"), REPO_ROOT / "dashboard.py"])

# (what, pattern, the one file allowed to hold it)
RULES = [
    ("the 民國 offset", r"(?<![\d.])1911(?![\d])", "kpi/reference/dates.py"),
    ("the table-exists query", r"information_schema\.tables", "kpi/store/database.py"),
    ("the plan year's window", r"Scope\(min\(", "kpi/metrics/scope.py"),
    ("the met / not-met words", r"[\"'](?:● ?)?達成[\"']|[\"'](?:✕ ?)?未達成?[\"']", "kpi/metrics/definitions.py"),
    ("the partial-ranking sentence", r"部分指標排名：|齊備前不列獎勵名單", "kpi/metrics/plan_notes.py"),
    ("what a dataset should fix", r"[\"']未依更新頻率更新[\"']|[\"']連結失效|非三星以上格式|未提供檔案格式", "kpi/metrics/fixes.py"),
    ("the redirect loop", r"headers\[[\"']location[\"']\]|is_redirect\b", "kpi/net/netguard.py"),
]


def _holders(pattern: str) -> set[str]:
    rx = re.compile(pattern)
    return {str(p.relative_to(REPO_ROOT)) for p in CODE if rx.search(p.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("what, pattern, home", RULES, ids=[r[0] for r in RULES])
def test_rule_written_once(what, pattern, home):
    assert _holders(pattern) == {home}, what


def test_the_patterns_catch_the_old_copies(tmp_path: Path):
    """Each pattern matches the copy it replaced, so a test above can fail."""
    old = {"the 民國 offset": "year = roc_year + 1911",
           "the table-exists query": 'gw.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = ?")',
           "the plan year's window": "return Scope(min(scope.as_of, dt.date(year, 12, 31)), since, agencies)",
           "the met / not-met words": "cell = f\"{'達成' if met else '未達成'} {actual}\"",
           "the partial-ranking sentence": 'st.warning(f"部分指標排名：綜合分數{h}")',
           "what a dataset should fix": 'out.append("連結失效")',
           "the redirect loop": 'current = urljoin(current, r.headers["location"])'}
    for what, pattern, _ in RULES:
        assert re.search(pattern, old[what]), what
