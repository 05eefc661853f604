"""The structure issue 13 asks for, held by tests: one place per concept, one writer, small modules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kpi.config.paths import REPO_ROOT
from kpi.metrics.definitions import INDICATORS, METRICS

CODE = sorted([*REPO_ROOT.glob("kpi/**/*.py"), *REPO_ROOT.glob("pages/**/*.py"), REPO_ROOT / "dashboard.py"])
CATALOGUE = REPO_ROOT / "kpi/metrics/definitions.py"


def test_no_module_over_300_lines():
    long = {str(p.relative_to(REPO_ROOT)): n for p in CODE
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 300}
    assert long == {}


def _labels() -> set[str]:
    """The plan's wording and the indicators' own labels ("新增資料集" is also 附件二's title, a
    common noun, so the growth indicator is held by its plan wording)."""
    labels = {METRICS[k].plan_label for k in INDICATORS}
    labels |= {METRICS[k].label for k in INDICATORS if k != "new_datasets"}
    return {x for x in labels if x}


def test_indicator_labels_and_targets_live_only_in_the_catalogue():
    """Labels come from kpi.metrics.definitions, targets from the plan's data (no 95% literals)."""
    target_literal = re.compile(r"(?<![\d.])(?:95|90|50) ?%|(?<![\d.])0\.95(?![\d])")
    found = []
    for path in CODE:
        if path == CATALOGUE:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {label}" for label in _labels() if label in text]
        found += [f"{path.name}: {m.group(0)}" for m in target_literal.finditer(text)]
    assert found == []


def test_the_catalogue_knows_every_indicator_the_plan_targets(gw):
    columns = set(gw.query("SELECT * FROM target LIMIT 0").columns) - {"agency", "roc_year"}
    assert columns == set(INDICATORS)
    assert all(METRICS[k].plan_label and METRICS[k].method for k in INDICATORS)


WRITERS = {
    "kpi.build", "kpi.build.cache", "kpi.build.append", "kpi.config.settings", "kpi.importing.archive",
    "kpi.net.linkcheck.run", "kpi.store.write_version", "kpi.importing.archive.write_entries",
    "kpi.importing.archive.store_file", "kpi.importing.archive.write_lock",
    "kpi.config.settings.write_setting",
}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


@pytest.mark.parametrize("path", [p for p in CODE if "pages" in p.parts or p.name == "dashboard.py"],
                         ids=lambda p: p.name)
def test_pages_write_only_through_the_service(path):
    assert _imports(path) & WRITERS == set()


def test_engine_never_imports_streamlit():
    offenders = [p.name for p in CODE if "kpi" in p.relative_to(REPO_ROOT).parts[:1]
                 and any(n.split(".")[0] == "streamlit" for n in _imports(p))]
    assert offenders == []


def test_only_the_service_takes_the_write_lock():
    users = [str(p.relative_to(REPO_ROOT)) for p in CODE
             if "write_lock()" in p.read_text(encoding="utf-8")]
    assert users == ["kpi/importing/archive.py", "kpi/service/__init__.py"]


def test_every_page_sets_up_the_router_first():
    """A cold deep link runs the page alone (Streamlit's legacy pages/ mode): boot() reroutes it."""
    for path in sorted((REPO_ROOT / "pages").glob("*.py")):
        body = [n for n in ast.parse(path.read_text(encoding="utf-8")).body
                if not isinstance(n, ast.Import | ast.ImportFrom)
                and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
        first = ast.unparse(body[0])
        assert "boot()" in first, f"{path.name}: first statement is {first!r}"


def test_opening_the_store_leaves_the_network_client_unloaded(built_data):
    """A cold server's first page opens the store (the build's fingerprint lists link-check runs);
    the HTTP client is loaded only where a check or a fetch runs (0.1 s of a cold start)."""
    import os
    import subprocess
    import sys

    code = ("import sys\nfrom kpi.service import ensure_store\nfrom kpi.store import gateway\n"
            "ensure_store(); gateway()\nprint('httpx' in sys.modules, 'kpi.net.linkcheck' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True,
                         env={**os.environ, "KPI_DATA_DIR": str(built_data)}, check=True)
    assert out.stdout.split() == ["False", "True"]  # linkcheck read, httpx not
