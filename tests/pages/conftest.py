"""Page fixtures (in-process, Streamlit's AppTest through tests/helpers/apptest.py): the office's
password set for the app. The built data (gw, fresh_data) comes from tests/conftest.py."""

from __future__ import annotations

import pytest

from tests.helpers.office import allow_office


@pytest.fixture
def office_env(monkeypatch):
    allow_office(monkeypatch)
