"""Each small file of the hostile corpus (tests/hostile/corpus*.py) as its own fast unit test:
`kinds.parse_file` on the bytes, in this process, with the six agencies as the known ones.

The corpus run (tests/importing/test_hostile.py) adds the memory cap, the CLI and the large files
and takes about two minutes; this one names the failing case at once (seconds), so a check such as
「1,2,3」 or 民國 0 年 is caught by the quick loop too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kpi.importing.errors import ImportRefused
from kpi.importing.kinds import parse_file
from kpi.reference.agencies import MINISTRY_OFFICIAL
from tests.helpers.refusal import check_refusal
from tests.hostile.corpus import CASES, Case

SMALL = [c for c in CASES if c.data is not None]


@pytest.mark.parametrize("case", SMALL, ids=[c.name for c in SMALL])
def test_corpus_case(case: Case):
    as_of = dt.date.fromisoformat(case.as_of) if case.as_of else None
    try:
        parsed = parse_file(case.kind, Path(case.name), as_of, case.agency, data=case.data,
                            known_agencies=set(MINISTRY_OFFICIAL))
    except ImportRefused as err:
        assert not case.accept, (case.name, err.text())
        check_refusal(case, err.text())
        return
    assert case.accept, (case.name, "accepted", parsed.rows)
    assert parsed.rows > 0
