"""One settings table (kpi/config/tunables.py): every KPI_* variable and tunable is in it, and
each entry is documented, so a setting cannot be added in a module and forgotten in the docs."""

from __future__ import annotations

import re

from kpi.config.paths import REPO_ROOT
from kpi.config.tunables import TUNABLES, default, env_names

READ = sorted([*REPO_ROOT.glob("kpi/**/*.py"), *REPO_ROOT.glob("pages/**/*.py"), REPO_ROOT / "dashboard.py",
               *REPO_ROOT.glob("deploy/**/*"), *REPO_ROOT.glob("scripts/*")])
DOCS = (REPO_ROOT / "README.md").read_text(encoding="utf-8") + "".join(
    p.read_text(encoding="utf-8") for p in sorted(REPO_ROOT.glob("docs/*.md")))


def _kpi_variables() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in READ:
        if path.is_file() and path.suffix not in (".png", ".gz"):
            for name in re.findall(r"\bKPI_[A-Z][A-Z_]*[A-Z]\b", path.read_text(encoding="utf-8")):
                found.setdefault(name, str(path.relative_to(REPO_ROOT)))
    return found


def test_every_kpi_variable_read_or_set_is_in_the_table():
    missing = {name: where for name, where in _kpi_variables().items() if name not in env_names()}
    assert missing == {}


def test_every_entry_is_documented_with_a_help_text():
    assert [t.name for t in TUNABLES if t.name not in DOCS] == []
    assert [t.env for t in TUNABLES if t.env and t.env not in (REPO_ROOT / "README.md").read_text(encoding="utf-8")
            and t.env not in DOCS] == []
    assert [t.name for t in TUNABLES if not re.search(r"[\u4e00-\u9fff]", t.help)] == []


def test_settings_page_shows_each_default():
    page = (REPO_ROOT / "docs/SETTINGS.md").read_text(encoding="utf-8")
    for t in TUNABLES:
        row = next(line for line in page.splitlines() if line.startswith(f"| `{t.name}` |"))
        shown = "（未設定）" if t.default is None else f"{t.default:,}" if isinstance(t.default, int) else str(t.default)
        assert shown in row, (t.name, row)


def test_timing_is_in_the_readme_and_the_removed_warm_up_is_gone():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "KPI_TIMING_LOG" in readme and "KPI_WARM" not in readme + DOCS


def test_modules_take_their_defaults_from_the_table():
    import kpi.net.fetch as fetch
    import kpi.net.linkcheck as linkcheck
    import kpi.store as store
    from kpi.build import identity
    from kpi.store import query_cache

    assert (store.KEEP_VERSIONS, store.MEMORY_LIMIT, store.MATERIALIZE_MAX_ROWS) == (4, "512MB", 1_000_000)
    assert query_cache.MAX_BYTES == default("QUERY_CACHE_BYTES") == 64 * 1024 * 1024
    assert fetch.MAX_REDIRECTS == linkcheck.MAX_REDIRECTS == default("MAX_REDIRECTS") == 5
    assert identity.CANDIDATE_MIN == default("CANDIDATE_MIN") == 70.0
    literal = re.compile(r"^(KEEP_VERSIONS|MEMORY_LIMIT|MATERIALIZE_MAX_ROWS|PRUNE_AFTER_S|APPEND_HOT_ROWS|"
                         r"MAX_FIGURES|TREND_SNAPSHOTS|MAX_IMPORT_BYTES|MAX_REDIRECTS|CANDIDATE_MIN) = (?!default\()",
                         re.M)
    code = [p for p in READ if p.suffix == ".py"]
    assert [str(p) for p in code if literal.search(p.read_text(encoding="utf-8"))] == []
