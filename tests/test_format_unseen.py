"""bibkit on 40 real items of kinds the dev items lack, against citeproc-js (always runs: the items and citeproc-js's
renderings are in tests/data/csl_unseen; ``benchmarks/bench_format_unseen.py --refresh`` renders them again).

Per style, entries identical to citeproc-js's (citation numbers aside) may not drop below the floor measured with
this version: 40 of 40 in text and HTML in every one of the 30 styles (HTML strictly, two spaces written as
citeproc-js writes them).  Plain citeproc-py gets 43.9 % of these entries; bibkit got 79.9 % before issue 16.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_format_unseen import DATA, OTHER, score  # noqa: E402

from .format_helpers import CURATED  # noqa: E402

REFS = json.loads((DATA / "citeproc-js.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("style", CURATED + OTHER)
def test_unseen_items_identical_to_citeproc_js(style: str) -> None:
    same_text, same_html, _, total, diffs = score(style, REFS[style], {})
    assert total == 40
    assert same_text == 40, "\n".join(diffs)
    assert same_html == 40, "\n".join(diffs)
