"""The official CSL processor test-suite, bibliography mode, against a pass list that only grows.

``tests/data/csl_pass_bibliography.txt`` lists the fixtures bibkit renders exactly as citeproc-js (the
reference processor).  A listed fixture that fails is a regression and fails here; a fixture that passes but is
not listed fails too, asking for it to be added (so the list grows with every fix, as hayagriva's does).
Skipped when ``../shared`` (the fixtures, not redistributed with bibkit) is absent.  See ``tests/csl_suite.py``
(``python -m tests.csl_suite [NAME...]`` prints the differences).
"""

from __future__ import annotations

import pytest

from .csl_suite import PASS_LIST, bibliography_fixtures, outcome, pass_list

FIXTURES = bibliography_fixtures()
LISTED = pass_list()
pytestmark = pytest.mark.skipif(not FIXTURES, reason="../shared/data/csl-test-suite not available")


def test_pass_list_names_existing_fixtures() -> None:
    assert not LISTED - {p.stem for p in FIXTURES}, "the pass list names fixtures that do not exist"


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture(path) -> None:
    passed, ours, expected = outcome(path)
    if path.stem in LISTED:
        assert passed, f"{path.stem} is in the pass list but fails:\n  bibkit:   {ours}\n  expected: {expected}"
    elif passed:
        pytest.fail(f"{path.stem} passes now: add it to {PASS_LIST.name}")
    else:
        pytest.xfail("not in the pass list")
