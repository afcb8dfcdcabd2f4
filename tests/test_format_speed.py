"""The speed-only patches of bibkit.format.compat change nothing: same output with and without them."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest

from bibkit.format import compat
from bibkit.format.render import CSLRecord, Formatter

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "csl"


def _random_part(r: random.Random, depth: int = 0):
    from citeproc.string import MixedString, NoCase, String

    text = "".join(r.choice([" ", ".", ",", ";", "a", "B", "\ue010", "\ue011"]) for _ in range(r.randint(0, 3)))
    kind = r.randint(0, 3 if depth < 2 else 2)
    if kind == 0:
        return String(text)
    if kind == 1:
        return NoCase(text)
    if kind == 2:
        return text
    return MixedString([_random_part(r, depth + 1) for _ in range(r.randint(0, 3))])


def _structure(value):
    if isinstance(value, list):
        return type(value).__name__, [_structure(v) for v in value]
    return type(value).__name__, str(value)


def test_fast_join_is_citeproc_join() -> None:
    """Segment for segment (types included) on random nested strings, delimiters and seams."""
    compat.install()
    r = random.Random(5)
    for _ in range(3000):
        parts = [_random_part(r) for _ in range(r.randint(0, 5))]
        delimiter = r.choice(["", " ", ", ", ". ", ".", " .", ";"])
        expected = compat._ORIGINAL_JOIN(copy.deepcopy(parts), delimiter)
        before = _structure(parts)
        assert _structure(compat.fast_join(parts, delimiter)) == _structure(expected)
        assert _structure(parts) == before  # the caller's parts are not modified


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/csl not available")
@pytest.mark.parametrize("style", ["apa", "ieee", "modern-language-association", "nature"])
def test_speed_patches_change_nothing(style: str) -> None:
    items = json.loads((SHARED / "items.json").read_text(encoding="utf-8"))

    def render(fmt: str) -> list[str]:
        records = [CSLRecord(item, "items.json", n) for n, item in enumerate(items)]
        return Formatter(style, cache=False, workers=1).bibliography(records, fmt)

    fast = render("html")
    with compat.speed_patches_off():
        plain = render("html")
    assert fast == plain
