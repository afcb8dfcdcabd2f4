"""bibkit's bibliographies compared with citeproc-js (the CSL reference processor), per curated style.

Run with ``-s`` to see the identical share per style.  Deliberate differences (citeproc-js is wrong):
* Nature, turing1937: citeproc-js prints "(1936–(1937))" for a year range; we print "(1936–1937)".
* ACM SIG Proceedings, feynman1963: citeproc-js prints "1963–Accessed: 1965"; we print "1963–1965".
* ACM (text): citeproc-js leaves a trailing space after some entries; we trim every entry.
"""

from __future__ import annotations

import json

import pytest

from .format_helpers import CURATED, SHARED_CSL, SUBSET, compare, load_shared

#: identical entries out of 70 (text, html) measured with this version: a drop is a regression
FLOORS = {
    "apa": (70, 70), "ieee": (70, 70), "chicago-author-date": (70, 70), "modern-language-association": (69, 69),
    "harvard-cite-them-right": (70, 70), "nature": (69, 69), "vancouver": (70, 70), "acm-sig-proceedings": (69, 69),
    "association-for-computing-machinery": (67, 70), "springer-lecture-notes-in-computer-science": (70, 70),
}


@pytest.mark.skipif(not (SHARED_CSL / "items.json").is_file(), reason="../shared/data/csl not available")
@pytest.mark.parametrize("style", CURATED)
def test_identical_share_full(style: str) -> None:
    text_ref, html_ref, order = load_shared(style)
    same_text, same_html, total, diffs, ours = compare(style, SHARED_CSL / "items.json", text_ref, html_ref)
    print(f"\n{style}: text {same_text}/{total} ({same_text / total:.0%}), html {same_html}/{total} "
          f"({same_html / total:.0%})")
    for d in diffs:
        print(d)
    floor_text, floor_html = FLOORS[style]
    assert same_text >= floor_text
    assert same_html >= floor_html
    assert ours == order  # bibliography order (sort keys, collation) and citation numbers


SUBSET_FLOORS = {s: 14 for s in CURATED}
SUBSET_FLOORS.update({"nature": 13, "harvard-cite-them-right": 13, "acm-sig-proceedings": 13})


@pytest.mark.parametrize("style", CURATED)
def test_identical_share_subset(style: str) -> None:
    """Always runs: 14 items copied into tests/data (labels ignored: they depend on the whole bibliography)."""
    refs = json.loads((SUBSET / "citeproc-js.json").read_text(encoding="utf-8"))[style]
    same_text, same_html, total, diffs, _ = compare(style, SUBSET / "items.json", refs["text"], refs["html"],
                                                    labels=False)
    assert total == 14
    assert same_text >= SUBSET_FLOORS[style], "\n".join(diffs)
    assert same_html >= SUBSET_FLOORS[style] - 1
