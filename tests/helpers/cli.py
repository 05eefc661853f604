"""The command line in tests: as a user runs it (a subprocess on a data folder) or in-process
(typer's runner, for the many calls of one test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from kpi.config.paths import REPO_ROOT

# `python -m kpi` with the page figures left out of the publish step, as the tests' own commits
# leave them out (tests/conftest.py: 95 % of a small import's time is computing them)
_NO_FIGURES = ("from kpi.build import figures; figures.publish = lambda version: {}; "
               "from kpi.cli import main; main()")


def command(*args: str, figures: bool = True) -> list[str]:
    """The argv of `python -m kpi ARGS`; ``figures=False`` publishes the version without its
    page figures (they are then computed on demand, as for a store from before they existed)."""
    if figures:
        return [sys.executable, "-m", "kpi", *args]
    return [sys.executable, "-c", _NO_FIGURES, *args]


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

