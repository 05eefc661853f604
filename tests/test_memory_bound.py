"""Bytes held, not only cells counted: a file within the size limit whose cells are long (the
issue's 189 MB of 10,000-character names) stays under 1 GiB and is refused in zh-TW."""

from __future__ import annotations

import os
import resource
import subprocess
import sys

from kpi.paths import REPO_ROOT

HEADER = "提供機關名稱,資料集名稱,瀏覽人次,下載次數,資料集評分,上架日\n"
LIMIT = 1 << 30


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def test_long_names_within_the_size_limit_stay_under_one_gigabyte(fresh_data, tmp_path):
    path = tmp_path / "long_names.csv"
    name = ("職業訓練" * 2500)[:9_990]  # with the row number: at most 10,000 characters, 30 KB
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for i in range(6_300):  # 189 MB
            fh.write(f"勞動部,{name}{i},{i},1,,2015/01/01\n")
    assert 185e6 < path.stat().st_size < 200 * 1024 * 1024
    env = {**os.environ, "KPI_DATA_DIR": str(fresh_data), "MALLOC_ARENA_MAX": "2"}
    out = subprocess.run([sys.executable, "-m", "kpi", "import", "usage", str(path), "--as-of", "2019-01-31"],
                         cwd=REPO_ROOT, env=env, preexec_fn=_cap, capture_output=True, text=True, timeout=120)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert out.returncode == 2, out.stderr[-2000:]
    assert "文字總量超過上限" in out.stderr and "Traceback" not in out.stderr
    assert peak < LIMIT, peak
