"""Shared by the issue-24 tests: the CLI in-process and thresholds no test folder trips."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kpi.cli import app


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def report() -> str:
    out = cli("report", "--json")
    assert out.exit_code == 0, out.output
    return out.stdout


def calm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thresholds nothing in a test folder trips (each test then sets the one it checks)."""
    monkeypatch.setenv("KPI_HEALTH_MAX_AGE_DAYS", "100000")
    monkeypatch.setenv("KPI_HEALTH_MIN_FREE_MB", "0")
    monkeypatch.delenv("KPI_BACKEND_PORTS", raising=False)
