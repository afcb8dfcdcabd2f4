"""A small sample of the round-trip corpus (``benchmarks/bench_parse.py`` runs the whole).

20 real items (``../shared/data/csl/items.json``) rendered through 3 CSL styles x 2
wrappers (Markdown bullets, HTML ``<li>``) and the 5 home-page layouts, parsed back with
``bibkit.parse_profile`` and scored per field.  Skips while the parser is missing; the
corpus generator itself is checked regardless.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from . import roundtrip_corpus as rc

pytestmark = pytest.mark.usefixtures("profile_engine")  # each test with both parser engines (conftest.py)

#: Regression floors: accuracy averaged over the sample's style pages and over its layout pages, about
#: 0.1 under what the parser measured (profile2 branch: styles title .88 authors .85 year .90;
#: layouts title .92 authors .76 year .91).  Raise them as the parser improves.
MIN_STYLE = {"title": 0.78, "authors": 0.75, "year": 0.8}
MIN_LAYOUT = {"title": 0.82, "authors": 0.66, "year": 0.81}
#: The goal (issue 3: >= 0.9 title and author accuracy averaged over styles), asserted since it was met.
TARGET = {"title": 0.9, "authors": 0.9, "year": 0.9}


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    got = rc.load_items("csl", n=20, seed=1)
    if not got:
        pytest.skip("../shared/data/csl/items.json not present")
    return got


@pytest.fixture(scope="module")
def pages(items: list[dict[str, Any]]) -> list[rc.Page]:
    return rc.build_corpus(items, rc.SAMPLE_STYLES, ("md", "html"), rc.LAYOUTS)


def test_corpus_pages_show_what_they_expect(pages: list[rc.Page]) -> None:
    assert len(pages) == 3 * 2 + 5
    for page in pages:
        assert len(page.expected) == 20
        flat = rc.fold(rc.plain(page.text))
        for e in page.expected:
            assert e.title
            if page.suffix != ".tex":  # LaTeX pages show accents as macros
                assert rc.norm_title(e.title).split()[0] in rc.norm_title(flat), (page.name, e.title)
        assert sum(bool(e.authors) for e in page.expected) >= 15, page.name
        assert sum(e.year is not None for e in page.expected) >= 15, page.name


@pytest.mark.parametrize("layout", rc.LAYOUTS)
def test_layout_scores_perfectly_on_its_own_items(items: list[dict[str, Any]], layout: str) -> None:
    page = rc.render_layout(items, layout)
    r = rc.score_page(page, items)
    assert r["matched"] == r["n"] == len(items)
    acc = rc.accuracy(r)
    if layout == "venue-tags":  # a derived tag (e.g. "ANIPS") is in no field of the item itself
        acc.pop("venue")
    assert acc == {k: 1.0 for k in acc}, r["misses"][:3]


def test_synthetic_pages_are_distinct_and_sized() -> None:
    page = rc.synthetic_page(300, "venue-tags")
    assert len(page.expected) == 300
    assert len({rc.norm_title(e.title) for e in page.expected}) == 300
    assert page.text.count("\n- ") == 300


# -- the parser ---------------------------------------------------------------------------
_SCORED: dict[str, dict[str, dict[str, Any]]] = {}


@pytest.fixture
def scored(pages: list[rc.Page], tmp_path_factory: pytest.TempPathFactory,
           profile_engine: str) -> dict[str, dict[str, Any]]:
    """Each page parsed and scored once per parser engine."""
    if profile_engine not in _SCORED:
        _SCORED[profile_engine] = _score_all(pages, tmp_path_factory)
    return _SCORED[profile_engine]


def _score_all(pages: list[rc.Page], tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    profile = pytest.importorskip("bibkit.profile")
    if not hasattr(profile, "parse_profile"):
        pytest.skip("bibkit.profile.parse_profile not there yet")
    import bibkit

    tmp: Path = tmp_path_factory.mktemp("roundtrip")
    out = {}
    for k, page in enumerate(pages):
        path = tmp / f"page{k}{page.suffix}"
        path.write_text(page.text, encoding="utf-8")
        out[page.name] = rc.score_page(page, bibkit.to_csl_json(profile.parse_profile(path)))
    return out


def _average(scored: dict[str, dict[str, Any]], prefix: str) -> dict[str, float]:
    accs = [rc.accuracy(r) for name, r in scored.items() if name.startswith(prefix)]
    keys = {k for a in accs for k in a}
    return {k: sum(a[k] for a in accs if k in a) / sum(1 for a in accs if k in a) for k in keys}


def _explain(scored: dict[str, dict[str, Any]], prefix: str) -> str:
    lines = []
    for name, r in scored.items():
        if name.startswith(prefix):
            lines += [f"{name} wrong {k} [{i}]: {got} << {raw[:100]}" for k, i, raw, got in r["misses"][:4]]
    return "\n".join(lines)


@pytest.mark.parametrize(("prefix", "floor"), [("style:", MIN_STYLE), ("layout:", MIN_LAYOUT)])
def test_roundtrip_accuracy(scored: dict[str, dict[str, Any]], prefix: str, floor: dict[str, float]) -> None:
    avg = _average(scored, prefix)
    low = {k: round(avg.get(k, 0.0), 3) for k, v in floor.items() if avg.get(k, 0.0) < v}
    assert not low, f"below {floor}: {low}\n{_explain(scored, prefix)}"


@pytest.mark.parametrize("prefix", ["style:", "layout:"])
def test_roundtrip_reaches_target(scored: dict[str, dict[str, Any]], prefix: str) -> None:
    avg = _average(scored, prefix)
    low = {k: round(avg.get(k, 0.0), 3) for k, v in TARGET.items() if avg.get(k, 0.0) < v}
    assert not low, f"below {TARGET}: {low}\n{_explain(scored, prefix)}"
