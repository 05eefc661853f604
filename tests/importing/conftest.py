"""Importing fixtures: the hostile corpus (tests/hostile: committed files plus the large ones made
here, never committed), once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.corpus import CASES, FILES, Case
from tests.hostile.large import make_large


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[tuple[Case, Path]]:
    large = tmp_path_factory.mktemp("hostile-large")
    files = [(c, FILES / c.name) for c in CASES]
    files += [(c, large / c.name) for c in make_large(large)]
    missing = [c.name for c, p in files if not p.exists()]
    assert not missing, f"run `python -m tests.hostile.corpus`: {missing}"
    return files
