"""The learned parser (finder + tagger) on real references it was not trained on.

The references come from the held-out side of the training corpora in ``training/``
(:func:`bibkit.profile.training.corpus.split`), so these tests run on a fresh clone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bibkit.profile.finder import default_model_path as finder_path
from bibkit.profile.parser import parse_text
from bibkit.profile.tagger import default_model_path as tagger_path
from bibkit.profile.training import corpus

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def held_out() -> list[corpus.Reference]:
    refs = corpus.read_xml(ROOT / "training" / "anystyle" / "core.xml")
    _train, test = corpus.split(corpus.dedupe(refs))
    return [r for r in test if "\n" not in r.text and len(r.text) > 40][:40]


def test_models_ship_small() -> None:
    for path in (finder_path(), tagger_path()):
        assert path.is_file(), path
        assert path.stat().st_size < 12_000_000


@pytest.mark.parametrize("layout", ["line", "blank", "numbered"])
def test_pasted_references_each_become_one_entry(held_out: list[corpus.Reference], layout: str) -> None:
    texts = [r.text for r in held_out]
    if layout == "line":
        page, fmt = "\n".join(texts), "text"
    elif layout == "blank":
        page, fmt = "\n\n".join(texts), "text"
    else:
        page, fmt = "\n".join(f"{k}. {t}" for k, t in enumerate(texts, 1)), "markdown"
    res = parse_text(page, fmt=fmt)
    starts = {e.provenance[0].line_start for e in res.entries}
    expected = {page.split("\n").index(line) + 1 for line in page.split("\n") if line.strip()}
    # one entry per reference: at most one reference in 40 missed or merged
    assert len(starts & expected) >= len(texts) - 1
    assert all(e.provenance[0].line_start == e.provenance[0].line_end for e in res.entries)
    with_title = [e for e in res.entries if e.title]
    assert len(with_title) >= 0.9 * len(texts)


def test_numbered_list_past_item_999_and_items_with_their_own_number(held_out: list[corpus.Reference]) -> None:
    texts = [r.text for r in held_out[:12]]
    page = "\n".join(f"{n}. {t}" for n, t in zip(range(994, 1006), texts, strict=True))
    page += f"\n1006. 54. {held_out[12].text}"
    res = parse_text(page, fmt="markdown")
    assert len(res.entries) >= 12
    assert {e.provenance[0].line_start for e in res.entries} >= set(range(2, 14))
    last = max(res.entries, key=lambda e: e.provenance[0].line_start)
    assert last.provenance[0].line_start == 13
    assert not (last.title or "").startswith("54")


def test_confidence_from_the_models(held_out: list[corpus.Reference]) -> None:
    res = parse_text("\n".join(r.text for r in held_out[:10]), fmt="text")
    for e in res.entries:
        assert e.confidence is not None and 0 < e.confidence <= 1
        assert set(e.origin["fields"]) <= set(corpus.FIELD_LABELS)
        assert all(0 <= p <= 1 for p in e.origin["fields"].values())


def test_page_with_sections_news_and_a_list() -> None:
    page = """# Jane Roe

I study soil microbes. I teach Ecology 101 every spring.

## News

- 2024: Our paper "Nitrogen cycling in alpine meadows" was accepted to Ecology Letters!

## Publications

1. J. Roe, P. Smith. Nitrogen cycling in alpine meadows. *Ecology Letters*, 27(3):101-110, 2024.
2. P. Smith, **J. Roe**, K. Lee. Fungal networks under drought. *New Phytologist*, 2022.

## Teaching

- Ecology 101 (2019-2024)
"""
    res = parse_text(page, fmt="markdown")
    titles = [e.title for e in res.entries]
    assert titles == ["Nitrogen cycling in alpine meadows", "Fungal networks under drought"]
    first = res.entries[0]
    assert [a.family for a in first.author] == ["Roe", "Smith"]
    assert first.year == 2024 and first.container_title == "Ecology Letters"
    assert len(first.provenance) == 2  # the news item folded into the listed work


def test_rules_engine_is_still_available() -> None:
    res = parse_text("- A. Bee. A Study of Stuff. Journal of Stuff, 2021.", fmt="markdown", engine="rules")
    assert [e.title for e in res.entries] == ["A Study of Stuff"]


def test_crfsuite_is_the_pinned_version_and_reads_the_shipped_models() -> None:
    """The model files are crfsuite's binary format: an upgrade of python-crfsuite is a reviewed
    change (pyproject.toml pins it), and this test is where it shows."""
    from importlib.metadata import version

    from bibkit.profile.tagger import tag_texts

    assert version("python-crfsuite") == "0.9.12"
    tagged = tag_texts(["Bee, A., & Dee, C. (2021). Learning things from data. Journal of Stuff, 12(3), 4-9."])
    assert [(s.label, s.text) for s in tagged.spans] == [
        ("author", "Bee, A., & Dee, C."), ("date", "(2021)."), ("title", "Learning things from data."),
        ("container-title", "Journal of Stuff,"), ("volume", "12(3),"), ("pages", "4-9.")]


def test_training_tokens_are_the_tokens_the_parser_sees(held_out: list[corpus.Reference]) -> None:
    """A reference's training tokens carry the same features as when the parser reads it from one
    line: no feature may tell the tagger where a labelled field begins."""
    from bibkit.profile.features import rule_token_tags, token_features
    from bibkit.profile.lines import Line
    from bibkit.profile.tokens import tokenize_lines
    from bibkit.profile.training.train import ref_tokens

    for ref in held_out[:20]:
        toks, _labels, lines = ref_tokens(ref)
        assert len(ref.segments) > 2
        assert [t.line_start for t in toks] == [k == 0 for k in range(len(toks))]
        seen = tokenize_lines([ref.text])
        assert token_features(toks, rule_token_tags(lines, toks)) == \
            token_features(seen, rule_token_tags([Line(1, ref.text)], seen))


def test_cut_and_wrapped_training_tokens_are_those_of_their_lines(held_out: list[corpus.Reference]) -> None:
    """A reference cut into lines (at field boundaries, or hard-wrapped at a width) trains on
    the tokens the parser sees when it reads those lines: the same line numbers and line starts."""
    import random

    from bibkit.profile.tokens import tokenize_lines
    from bibkit.profile.training.train import ref_tokens

    rng = random.Random(5)
    several = 0
    for ref in held_out:
        toks, labels, lines = ref_tokens(ref, rng)
        seen = tokenize_lines([ln.text for ln in lines])
        assert [(t.text, t.line, t.line_start) for t in toks] == [(t.text, t.line, t.line_start) for t in seen]
        assert len(labels) == len(toks)
        several += len(lines) > 1
    assert several >= len(held_out) // 4  # cuts are common enough to teach the tagger
