"""The command line in tests: as a user runs it (a subprocess on a data folder) or in-process
(typer's runner, for the many calls of one test)."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

from typer.testing import CliRunner

from kpi.config.paths import REPO_ROOT

# A child process's first statement when its writes leave the page figures out of the publish
# step, as the tests' own commits do (tests/conftest.py: 95 % of a small import's time)
WITHOUT_FIGURES = "from kpi.build import figures; figures.publish = lambda version: {}; "
_NO_FIGURES = WITHOUT_FIGURES + "from kpi.cli import main; main()"


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



# A process that loads the command line's modules once and forks a child per command: the child
# runs `kpi ARGS` exactly as `python -m kpi` would after its imports (1.3 s of a 2 s import).
_FORKS = r"""
import json, os, sys
from kpi.build import figures
import kpi.cli
real = figures.publish
for line in sys.stdin:
    argv, with_figures = json.loads(line)
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        figures.publish = real if with_figures else (lambda version: {})
        sys.argv = ["kpi", *argv]
        try:
            kpi.cli.main()
        except SystemExit as e:
            os._exit(e.code if isinstance(e.code, int) else 1)
        os._exit(0)
    print(pid, flush=True)
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""


class Forks:
    """`kpi ARGS` in forked children of one loaded process, each of which a test may SIGKILL at any
    moment of its work (tests/resilience/test_concurrent_writes.py: 50 killed imports)."""

    def __init__(self, data_dir: Path):
        env = {**os.environ, "KPI_DATA_DIR": str(data_dir)}
        self._proc = subprocess.Popen([sys.executable, "-c", _FORKS], cwd=REPO_ROOT, env=env, text=True,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._pid: int | None = None

    def _read(self) -> None:
        for line in self._proc.stdout:
            self._lines.put(line)

    def start(self, *args: str, figures: bool = True) -> None:
        self._proc.stdin.write(json.dumps([list(args), figures]) + "\n")
        self._proc.stdin.flush()
        self._pid = int(self._lines.get(timeout=60))

    def wait(self, timeout: float) -> int | None:
        """The child's exit code, or None when it is still running after `timeout` seconds."""
        try:
            return int(self._lines.get(timeout=timeout))
        except queue.Empty:
            return None

    def kill(self) -> int:
        """SIGKILL the running child; its exit code (-9, or 0 if it had just finished)."""
        with contextlib.suppress(ProcessLookupError):  # finished and reaped already
            os.kill(self._pid, signal.SIGKILL)
        return int(self._lines.get(timeout=60))

    def close(self) -> None:
        self._proc.stdin.close()
        self._proc.wait(timeout=60)
