"""Line-labelled pages: bibkit's .ttx format, AnyStyle's finder files, synthetic pages."""

from __future__ import annotations

import collections
import random
from pathlib import Path

import pytest

from bibkit.errors import InputError
from bibkit.profile.detect import detect_format
from bibkit.profile.lines import B_OFF, B_ON, I_OFF, I_ON, L_OFF, L_ON, Line
from bibkit.profile.training.corpus import Reference, read_corpus
from bibkit.profile.training.pages import (
    LINE_LABELS,
    LabelledPage,
    dump_line,
    dumps_ttx,
    loads_ttx,
    page_lines,
    parse_line,
    read_anystyle_ttx,
    read_ttx,
    split_refs,
    write_ttx,
)
from bibkit.profile.training.synth_pages import FORMATS, synth_page, synth_pages

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").iterdir())
FINDER = ROOT / "training" / "finder"


def _page(path: Path, fmt: str) -> LabelledPage:
    lines = page_lines(path.read_text(encoding="utf-8"), fmt)
    return LabelledPage(lines, ["blank" if ln.blank else "other" for ln in lines], f"{path.name}:{fmt}")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_ttx_round_trip_on_example_pages(path: Path, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    # the page's own format, and every other converter too (more shapes of Line)
    pages = [_page(path, fmt) for fmt in dict.fromkeys([detect_format(text, str(path)), "markdown", "html",
                                                        "latex", "text"])]
    out = tmp_path / "p.ttx"
    write_ttx(pages, out)
    back = read_ttx(out)
    assert [p.source for p in back] == [p.source for p in pages]
    for a, b in zip(pages, back, strict=True):
        assert b.labels == a.labels
        assert b.lines == a.lines


def test_ttx_line_forms() -> None:
    line = Line(3, f"{B_ON}A. Bee{B_OFF}, {L_ON}Title{L_OFF} 2020*", 2, "-", 0, ["https://x.org"])
    assert dump_line(line) == "  - **A. Bee**, [Title](https://x.org) 2020\\*"
    # hard cases: unbalanced and nested markers, a text that looks like a bullet, brackets, URL tails
    hard = [
        Line(1, f"{I_ON} starts italic{I_OFF}"),
        Line(2, f"{B_ON}{B_ON}x{B_OFF}{B_OFF} [3](not a link) \\ \\u{{1}}", 0, "bibitem"),
        Line(3, "12. not a list item ", 4, None, 2, ["http://a.org/x y", "http://b.org"]),
        Line(4, f"{L_ON}[video]{L_OFF} {L_ON}pdf{L_OFF} see http://c.org/p_1", 0, "[12]",
             urls=["http://c.org/p_1"]),
        Line(5, "odd bullet", 0, "(iv)"),
        Line(6, "", 3),
    ]
    for ln in hard:
        assert parse_line(dump_line(ln), ln.no) == ln


def test_ttx_label_column() -> None:
    text = ("#page a.md\n"
            "heading       | ## Papers\n"
            "ref-start     | - A. Bee. Title.\n"
            "              |   Abstract line.\n"
            "ref-start @9  | - C. Dee. Other.\n"
            "blank         |\n"
            "other         | Teaching\n"
            "              | More prose\n")
    (page,) = loads_ttx(text)
    assert page.labels == ["heading", "ref-start", "ref-continue", "ref-start", "blank", "other", "other"]
    assert [ln.no for ln in page.lines] == [1, 2, 3, 9, 10, 11, 12]
    assert [len(e) for e in page.entries()] == [2, 1]
    assert loads_ttx(dumps_ttx([page])) == [page]
    with pytest.raises(InputError, match=r"x.ttx:2: unknown line label 'ref'"):
        loads_ttx("#page a\nref  | x\n", "x.ttx")


def test_anystyle_finder_label_counts() -> None:
    totals: collections.Counter[str] = collections.Counter()
    for path in sorted(FINDER.glob("*.ttx")):
        (page,) = read_anystyle_ttx(path)
        assert len(page.lines) == len(page.labels)
        assert set(page.labels) <= set(LINE_LABELS)
        # blank lines are labelled blank (AnyStyle also labels some lines of PDF control characters blank)
        assert all(lab == "blank" for ln, lab in zip(page.lines, page.labels, strict=True) if ln.blank)
        totals.update(page.labels)
    # the figures documented in read_anystyle_ttx
    assert dict(totals) == {"heading": 1575, "blank": 34716, "other": 69910, "ref-start": 2794,
                            "ref-continue": 4501}


def test_anystyle_ref_split() -> None:
    (page,) = read_anystyle_ttx(FINDER / "bb132pr2055.ttx")
    firsts = [e[0].plain.split(".")[0] for e in page.entries()[:6]]
    assert firsts == ["Abrams, Burton A and Plamen Iossifov", "Acemoglu, Daron, Simon Johnson, Amir Kermani, "
                      "James Kwak and Todd Mitton", "Achen, Christopher H and Larry M Bartels",
                      "Adolph, Christopher", "Alesina, Alberto", "Alesina, Alberto"]
    # the styles the heuristic knows
    numbered = ["[1] A. Bee, Title,", "    continued 1999.", "[2] C. Dee, Other.", "[3] E. Eff. More"]
    assert split_refs(numbered) == [True, False, True, True]
    tagged = ["[Bee 99] A. Bee. Title", "    2. Journal, 1999.", "[Dee 01] C. Dee. Other."]
    assert split_refs(tagged) == [True, False, True]
    hanging = ["Bee, A. 1999. A title", "   that wraps. Journal.", "Dee, C. 2001. Other.", "   Press."]
    assert split_refs(hanging) == [True, False, True, False]
    flat = ["Bee, A. 1999. A title that", "wraps. Journal 3.", "Dee, C. 2001. Other. Press.",
            "van Eck, D. 2002. Third."]
    assert split_refs(flat) == [True, False, True, True]


@pytest.fixture(scope="module")
def refs() -> list[Reference]:
    return read_corpus()[:3000]


@pytest.mark.parametrize("fmt", FORMATS)
def test_synthetic_page_labels_line_up(refs: list[Reference], fmt: str) -> None:
    rng = random.Random(7)
    for _ in range(25):
        picked = [refs[rng.randrange(len(refs))] for _ in range(rng.randrange(1, 30))]
        page, n = synth_page(picked, rng, fmt)
        assert len(page.labels) == len(page.lines)
        assert page.labels.count("ref-start") == n == len(picked)
        assert all((lab == "blank") == ln.blank for ln, lab in zip(page.lines, page.labels, strict=True))
        # every entry's lines carry the words of its reference, in order
        for entry, ref in zip(page.entries(), picked, strict=True):
            words = " ".join(ln.plain for ln in entry).split()
            assert ref.text.split()[-1].rstrip(".,;)")[-3:] in " ".join(words)
        assert loads_ttx(dumps_ttx([page])) == [page]


def test_synthetic_pages_deterministic_and_varied(refs: list[Reference]) -> None:
    a = synth_pages(refs, seed=3, n=40)
    b = synth_pages(refs, seed=3, n=40)
    assert [p.labels for p in a] == [p.labels for p in b]
    assert [[ln.text for ln in p.lines] for p in a] == [[ln.text for ln in p.lines] for p in b]
    assert [p.labels for p in synth_pages(refs, seed=4, n=40)] != [p.labels for p in a]
    counts = collections.Counter(lab for p in a for lab in p.labels)
    assert set(counts) == set(LINE_LABELS)
    assert {p.source.rsplit(":", 1)[1] for p in a} == set(FORMATS)


def test_synthetic_long_numbered_list(refs: list[Reference]) -> None:
    # lists numbered past 999 and items carrying their own number still give one entry per reference
    rng = random.Random(11)
    seen_big = False
    for _ in range(60):
        picked = refs[:rng.randrange(5, 15)]
        page, n = synth_page(picked, rng, "markdown")
        assert page.labels.count("ref-start") == n
        seen_big |= any((ln.plain[:5].rstrip(".").isdigit() and len(ln.plain.split(".")[0]) == 4)
                        or ((ln.bullet or "").rstrip(".").isdigit() and int((ln.bullet or "0").rstrip(".")) >= 990)
                        for ln in page.lines)
    assert seen_big
