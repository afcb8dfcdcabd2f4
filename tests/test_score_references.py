"""benchmarks/score_references.py: held-out labelled references pasted as pages, scored per field."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from bibkit.profile.training import corpus

# the rules engine: the scorer must work whatever the default engine is (passed only when
# parse_text takes engine=)
SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "score_references.py"


@pytest.fixture(scope="module")
def sr():
    spec = importlib.util.spec_from_file_location("score_references", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["score_references"] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def held_out():
    _train, test = corpus.split(corpus.read_corpus())
    return corpus.by_source(test)


@pytest.mark.parametrize(("segment", "families"), [
    ("Murthy, S. K., Kasif, S., Salzberg, S., & Beigel, R.", ["Murthy", "Kasif", "Salzberg", "Beigel"]),
    ("Yann LeCun, Léon Bottou, Yoshua Bengio, and Patrick Haffner.", ["LeCun", "Bottou", "Bengio", "Haffner"]),
    ("Stanger CA, Anglin C, Harwin WS, Romilly DP.", ["Stanger", "Anglin", "Harwin", "Romilly"]),
    ("Siedenburg, Kai, Ichiro Fujinaga, and Stephen McAdams.", ["Siedenburg", "Fujinaga", "McAdams"]),
    ("Urfer, D.; Huck, P.M.; Booth, S.D.J.; & Coffey, B.M.,", ["Urfer", "Huck", "Booth", "Coffey"]),
    ("Heintzman, N.D., R.K. Stuart, S. Van Calcar, and B. Ren,", ["Heintzman", "Stuart", "Van Calcar", "Ren"]),
    ("Reiser, Helmut, Meier, R., u. a. (Hrsg.", ["Reiser", "Meier"]),
    ("R. Arink et al.,", ["Arink"]),
    ("Russell Esposito E, Aldridge Whitehead JM, Wilken JM.", ["Russell Esposito", "Aldridge Whitehead", "Wilken"]),
    ("Heidegger, Martin, –7a,", ["Heidegger"]),
    ("BOZEC Yves, ROUSSEAU Stéphane et LAURIN Claude,", ["BOZEC", "ROUSSEAU", "LAURIN"]),
    ("CONAGHAN, Philip G, Mikkel ØSTERGAARD, Chunying WU", ["CONAGHAN", "ØSTERGAARD", "WU"]),
    ("Somers Heidhues, Mary F.", ["Somers Heidhues"]),
    ("James Laudon, Daniel Lenoski.", ["Laudon", "Lenoski"]),
    ("Erisman, A. Bleeker, A. Hensen, and A. Vermeulen :", ["Erisman", "Bleeker", "Hensen", "Vermeulen"]),
    ("S. Capitani, G. von Hippel, H.Wittig", ["Capitani", "von Hippel", "Wittig"]),
    ("Enslin, M.,S.,", ["Enslin"]),
    ("D. MCLENNAN.", ["MCLENNAN"]),
    ("Irmtraud Schnell und Claudia Federolf.", ["Schnell", "Federolf"]),
    ("Клепиков, С. А.", ["Клепиков"]),
])
def test_gold_name_splitter(sr, segment, families):
    assert sr.gold_families(segment) == families


def test_field_comparisons(sr):
    assert sr.container_right("In: N. Engl. J. Med.", "N Engl J Med")
    assert sr.container_right("Proceedings of the 1994 ACM Conference on Lisp",
                              "Proceedings of the ACM Conference on Lisp")
    assert not sr.container_right("", "DIKU")
    assert sr.title_right("“Monkey See, Monkey Do:” The Influence of work groups.",
                          "Monkey see, monkey do: the influence of work groups")
    assert not sr.title_right("", "Tetrahedron")
    assert sr.first_year("(1993b).") == 1993


def test_gold_fields_from_segments(sr):
    ref = corpus.Reference([("citation-number", "16."), ("author", "Welsh P,"), ("author", "Peters MJ, et al."),
                            ("title", "“Vitamin D deficiency.”"),
                            ("container-title", "In: <italic>Ann Rheum Dis.</italic>"),
                            ("volume", "2011;70:"), ("pages", "1165-7"), ("author", "A. Editor (ed.)")])
    gold = sr.gold_of(ref)
    assert gold.title == "Vitamin D deficiency"
    assert sr.norm(gold.container) == "ann rheum dis"
    assert gold.year == 2011  # no date segment: the year labelled volume
    assert [g.family for g in gold.authors] == ["Welsh", "Peters"]  # the first run of author segments


def test_merge_counts_for_first_reference_only(sr, held_out):
    refs = held_out["anystyle-core"][:3]
    page, fmt, starts = sr.layout_page([r.text for r in refs], "blank")
    assert (fmt, starts) == ("text", [1, 3, 5])
    entries = sr.parse_page(page, fmt, "rules")
    merged = entries[0].copy()
    merged.provenance = [entries[0].provenance[0].__class__("<x>", 1, 3)]  # covers references 1 and 2
    own, stray = sr.assign([merged, entries[2]], starts)
    assert own[0] is merged and own[1] is None and own[2] is entries[2] and stray == 0


@pytest.mark.parametrize("layout", ["blank", "line", "numbered"])
def test_scores_twenty_references(sr, held_out, layout):
    refs = held_out["anystyle-core"][:20]
    t = sr.score(refs, layout, "rules", batch=10, keep_failures=20)
    assert t.n == 20 and t.errors == 0
    # the rules parser gives most of these references an entry of their own, and gets years right
    assert t.found >= 16
    assert t.right["year"] >= 14
    assert t.right["all"] <= min(t.right[k] for k in ("title", "authors", "year", "container"))
    assert len(t.failures) == 20 - t.right["all"]
    line = sr.row("anystyle-core", layout, t)
    assert line.split()[:3] == ["anystyle-core", layout, "20"]


def test_command_line(sr, capsys):
    assert sr.main(["--sources", "anystyle-core", "--limit", "20", "--layouts", "line", "--engine", "rules"]) == 0
    out = capsys.readouterr().out
    assert "anystyle-core   line" in out and "ALL             line" in out
    assert sr.main(["--layouts", "zigzag"]) == 2
    assert "unknown layout zigzag" in capsys.readouterr().err
