"""The command line in tests: as a user runs it (a subprocess on a data folder) or in-process
(typer's runner, for the many calls of one test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from kpi.config.paths import REPO_ROOT


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m kpi ARGS` on `data_dir`, as a user types it."""
    env = {**os.environ, "KPI_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "kpi", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def cli(*args: str):
    """The CLI in this process, on the KPI_DATA_DIR already set."""
    from kpi.cli import app

    return CliRunner().invoke(app, list(args))


def report() -> str:
    out = cli("report", "--json")
    assert out.exit_code == 0, out.output
    return out.stdout

