"""Engine fixtures: the real-layout catalogue and quality-check fixtures imported into a fresh copy."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers.store import FIXTURES, built_copy


@pytest.fixture(scope="session")
def catalogue_template(store_template, tmp_path_factory):
    """基金局's 6 and 勞研所's 4 catalogue rows of 2018-07-20, and 基金局's link checks
    (qc_fund.json), imported once per test process into a copy of the template."""
    from kpi.service import commit, preview

    path = built_copy(store_template, tmp_path_factory.mktemp("catalogue") / "data")
    day = dt.date(2018, 7, 20)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KPI_DATA_DIR", str(path))
        commit(preview("catalogue", FIXTURES / "catalogue_real_layout.csv", day), "test")
        commit(preview("qc", FIXTURES / "qc_fund.json", day), "test")
    return path


@pytest.fixture
def with_catalogue(catalogue_template, tmp_path, monkeypatch):
    """A private copy of the catalogue store (a test may write in it), as the gateway."""
    from kpi.store import gateway

    path = built_copy(catalogue_template, tmp_path / "data")
    monkeypatch.setenv("KPI_DATA_DIR", str(path))
    return gateway()
