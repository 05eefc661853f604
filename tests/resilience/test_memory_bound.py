"""Bytes held, not only cells counted: a file within the size limit whose cells are long (the
issue's 189 MB of 10,000-character names) stays under 1 GiB and is refused in zh-TW."""

from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest

from kpi.config.paths import REPO_ROOT
from tests.helpers.store import USAGE_HEADER as HEADER

LIMIT = 1 << 30


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


@pytest.mark.serial  # writes 120–190 MB files and imports each under a 1 GiB cap
@pytest.mark.parametrize("name,rows", [
    (("職業訓練" * 2500)[:9_990], 6_300),  # the file: 189 MB of 10,000-character names
    (("職業訓練" * 200)[:494], 75_000),  # 120 MB of 500-character names (the longest allowed)
])
def test_long_names_within_the_size_limit_stay_under_one_gigabyte(fresh_data, tmp_path, name, rows):
    path = tmp_path / "long_names.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for i in range(rows):
            fh.write(f"勞動部,{name}{i},{i},1,,2015/01/01\n")
    assert 100e6 < path.stat().st_size < 200 * 1024 * 1024
    env = {**os.environ, "KPI_DATA_DIR": str(fresh_data), "MALLOC_ARENA_MAX": "2"}
    # the peak of this process image (VmHWM, reset at exec): ru_maxrss would also count the
    # forked copy of a pytest process that has grown over the suite
    code = ("import runpy, sys; sys.argv = ['kpi', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('kpi', run_name='__main__')\n"
            "finally:\n    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
            "    print('PEAK', hwm.split()[1], file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code, "import", "usage", str(path), "--as-of", "2019-01-31"],
                         cwd=REPO_ROOT, env=env, preexec_fn=_cap, capture_output=True, text=True, timeout=120)
    peak = int(out.stderr.rsplit("PEAK", 1)[1]) * 1024
    assert out.returncode == 2, out.stderr[-2000:]
    assert "文字總量超過上限" in out.stderr and "Traceback" not in out.stderr
    assert peak < LIMIT, peak


def test_names_under_every_limit_but_many_are_refused_by_their_total(fresh_data, tmp_path):
    """12,500 names of 500 characters: within the text limit, but their 6.3 million characters
    would take the build past 1 GB (6 million import in 0.87 GB), so the file is refused."""
    from kpi.importing.errors import ImportRefused
    from kpi.importing.kinds import parse_file

    path = tmp_path / "many_names.csv"
    name = ("職業訓練" * 200)[:494]
    path.write_text(HEADER + "".join(f"勞動部,{name}{i:06d},{i},1,,2015/01/01\n" for i in range(12_500)),
                    encoding="utf-8")
    with pytest.raises(ImportRefused) as err:
        parse_file("usage", path, __import__("datetime").date(2019, 1, 31))
    assert "名稱合計 6,250,000 字元，超過上限 6,000,000" in err.value.text()
    ok = tmp_path / "fewer.csv"
    ok.write_text(HEADER + "".join(f"勞動部,{name}{i:06d},{i},1,,2015/01/01\n" for i in range(12_000)),
                  encoding="utf-8")
    assert parse_file("usage", ok, __import__("datetime").date(2019, 1, 31)).rows == 12_000
