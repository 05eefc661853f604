"""Engine fixtures: the real-layout catalogue and quality-check fixtures imported into a fresh copy."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers.store import FIXTURES


@pytest.fixture
def with_catalogue(fresh_data):
    """基金局's 6 and 勞研所's 4 catalogue rows of 2018-07-20, and 基金局's link checks (qc_fund.json)."""
    from kpi.service import commit, preview
    from kpi.store import gateway

    day = dt.date(2018, 7, 20)
    commit(preview("catalogue", FIXTURES / "catalogue_real_layout.csv", day), "test")
    commit(preview("qc", FIXTURES / "qc_fund.json", day), "test")
    return gateway()
