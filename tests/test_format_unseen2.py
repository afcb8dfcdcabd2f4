"""bibkit on 25 further real items nobody tuned it to (issue 16, second round), against citeproc-js: a patent, a
standard, a map, an interview, a broadcast, a poster, multi-volume works, original dates, an editor-only book, a
container-author, collection numbers, a translated work with its original title, particles (van der, von, De la),
"Jr.", CJK names, nested quotes, <sub> in a title, a magazine, a newspaper, a letter, a film, legislation.  The items
and citeproc-js's renderings are in tests/data/csl_unseen2 (``python benchmarks/bench_format_unseen.py --items
csl_unseen2 --refresh`` renders them again; no node needed here).

Per style, entries identical to citeproc-js's (citation numbers aside) may not drop below the floor measured with
this version: 25 of 25 in text and HTML unless listed.  Measured before any fix for these items: 97.3 % of the 750
entries (text and HTML), worst styles 88 % (Chicago author-date and notes, MLA, Taylor & Francis); after the
fixes 99.5 %, the four entries left being citeproc-js's own errors.
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

ITEMS = DATA.parent / "csl_unseen2"
REFS = json.loads((ITEMS / "citeproc-js.json").read_text(encoding="utf-8"))
#: style -> entries identical in text and in HTML, where not all 25.  Left as they are: citeproc-js's date-range
#: errors on a work issued over years (Nature "1776–(1789)", ACM SIG "1776–Accessed: 1789", Cell, PNAS)
FLOORS = {"nature": 24, "acm-sig-proceedings": 24, "cell": 24, "pnas": 24}


@pytest.mark.parametrize("style", CURATED + OTHER)
def test_unseen_items_identical_to_citeproc_js(style: str) -> None:
    same_text, same_html, _, total, diffs = score(style, REFS[style], {}, ITEMS)
    assert total == 25
    floor = FLOORS.get(style, 25)
    assert same_text >= floor, "\n".join(diffs)
    assert same_html >= floor, "\n".join(diffs)
