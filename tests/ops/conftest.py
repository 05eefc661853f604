"""Operations fixtures: health thresholds no test folder trips, for the modules that read health
(backup, health, upgrade use it through `pytestmark = pytest.mark.usefixtures("calm_health")`)."""

from __future__ import annotations

import pytest


@pytest.fixture
def calm_health(monkeypatch):
    """Thresholds nothing in a test folder trips (each test then sets the one it checks)."""
    monkeypatch.setenv("KPI_HEALTH_MAX_AGE_DAYS", "100000")
    monkeypatch.setenv("KPI_HEALTH_MIN_FREE_MB", "0")
    monkeypatch.delenv("KPI_BACKEND_PORTS", raising=False)
