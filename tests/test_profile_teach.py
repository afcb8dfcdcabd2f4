"""Users teach the parser (issue 13, items 6-8): ``bibkit convert --emit-training`` writes the
parse as labelled data, ``bibkit train`` learns from the corrected files, ``bibkit convert
--model`` parses with the result, and ``--report`` lists the least sure entries first.

The models here are tiny (``train.build(quick=True)``: a few seconds), not the shipped ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibkit.cli.main import cli
from bibkit.profile.lines import B_OFF, B_ON, I_OFF, I_ON
from bibkit.profile.pipeline import trace
from bibkit.profile.tokens import tokenize
from bibkit.profile.training.corpus import Reference, read_xml, write_xml
from bibkit.profile.training.pages import read_ttx, write_ttx

PAGE = """# Jane Roe

I study how rivers carry sediment.

## Publications

- **J. Roe**, P. Quist and A. Marsh. Sediment pulses in braided rivers. *Water Resources Research* 58(3):
  e2021WR031, 2022.
- K. Lind and **J. Roe**. A flume study of bedload sorting. *Journal of Hydraulic Research* 59:101-115, 2021.
- **J. Roe**. Gravel and its discontents. In *Proceedings of the River Flow Conference*, pages 12-19, 2020.
- M. Osei, **J. Roe** and T. Brandt. Remote sensing of channel migration. *Earth Surface Processes
  and Landforms* 44(2):455-470, 2019.

## Teaching

- Fluvial geomorphology, spring 2023
"""


def run(*args: str):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bibkit.profile.training.train import build

    out = tmp_path_factory.mktemp("tiny")
    build(out, quick=True, report=False)
    return out


@pytest.fixture()
def page(tmp_path: Path) -> Path:
    p = tmp_path / "roe.md"
    p.write_text(PAGE, encoding="utf-8")
    return p


def test_emit_correct_train_and_use(tiny: Path, page: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.bib"
    res = run("convert", page, "-o", out, "--model", tiny, "--emit-training", tmp_path / "mine.ttx")
    assert res.exit_code == 0, res.output
    ttx, xml = tmp_path / "mine.ttx", tmp_path / "mine.xml"
    [labelled] = read_ttx(ttx)
    assert labelled.source == str(page)
    assert len(labelled.lines) == len(labelled.labels) >= PAGE.count("\n")
    assert "blank" in labelled.labels
    refs = read_xml(xml, strict=True)
    assert refs and all(r.segments for r in refs)
    # what the user sees is what the parser read: every entry's text is in the XML
    assert any("Sediment pulses" in r.text for r in refs)
    # the bold owner is written as <b>, no private-use marker is left in the XML
    text = xml.read_text(encoding="utf-8")
    assert "<b>J. Roe" in text and not re.search("[\ue000-\uf8ff]", text)
    assert f"<!-- {page}:" in text  # where each entry came from

    # the user corrects one line (the Teaching item becomes a reference) and one field label
    k = next(i for i, ln in enumerate(labelled.lines) if "geomorphology" in ln.text)
    labelled.labels[k] = "ref-start"
    write_ttx([labelled], ttx)
    refs[0].segments[0] = ("note", refs[0].segments[0][1])
    write_xml(refs, xml)
    assert read_ttx(ttx)[0].labels[k] == "ref-start"

    model = tmp_path / "my.model"
    res = run("train", ttx, xml, "--quick", "-o", model)
    assert res.exit_code == 0, res.output
    assert (model / "finder.crfsuite").is_file() and (model / "tagger.crfsuite").is_file()
    assert "1 pages of yours" in res.stderr and f"{len(refs)} entries of yours" in res.stderr
    assert "entry-F1=" in res.stderr  # held-out scores are printed

    # the corrected line label is learnt (the user's pages count several times over the corpora)
    relabelled, _ = trace(PAGE, "markdown", str(page), model)
    assert relabelled.labels[k] == "ref-start"

    out2 = tmp_path / "out2.bib"
    res = run("convert", page, "-o", out2, "--model", model)
    assert res.exit_code == 0, res.output
    assert "Sediment pulses" in out2.read_text(encoding="utf-8")
    # the model read is the one named: a broken model file is an error, not a silent fallback
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "finder.crfsuite").write_bytes(b"not a model")
    assert run("convert", page, "-o", tmp_path / "x.bib", "--model", broken).exit_code != 0


def test_emit_training_name_convention(tiny: Path, page: Path, tmp_path: Path) -> None:
    res = run("convert", page, "-o", tmp_path / "o.bib", "--model", tiny, "--emit-training", tmp_path / "t")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "t.ttx").is_file() and (tmp_path / "t.xml").is_file()
    assert "labelled entries" in res.stderr
    res = run("convert", page, "--parser", "rules", "--emit-training", tmp_path / "r")
    assert res.exit_code == 2 and res.stderr.startswith("bibkit: error: --emit-training")


def test_xml_round_trip_keeps_emphasis(tmp_path: Path) -> None:
    ref = Reference([("author", f"{B_ON}A. Bee{B_OFF} and C. Dee."),
                     ("title", f"{I_ON}Rivers{I_OFF} & {B_ON}{I_ON}sediment{I_OFF}{B_OFF} <again>."),
                     ("container-title", f"{I_ON}Water{I_OFF} {I_ON}Research{I_OFF}")])
    path = tmp_path / "r.xml"
    write_xml([ref], path)
    text = path.read_text(encoding="utf-8")
    assert "<author><b>A. Bee</b> and C. Dee.</author>" in text
    assert "<title><i>Rivers</i> &amp; <b><i>sediment</i></b> &lt;again&gt;.</title>" in text
    assert "<container-title><i>Water Research</i></container-title>" in text  # one element for the run
    [back] = read_xml(path)
    for (label, seg), (label2, seg2) in zip(ref.segments, back.segments, strict=True):
        assert label == label2
        assert [(t.text, t.bold, t.italic) for t in tokenize(seg)] == \
            [(t.text, t.bold, t.italic) for t in tokenize(seg2)]
    # a user's hand-written emphasis, nested the other way, reads the same
    path.write_text("<dataset><sequence><title><b>Big <i>bold</i></b> plain</title></sequence></dataset>",
                    encoding="utf-8")
    [mine] = read_xml(path)
    assert [(t.text, t.bold, t.italic) for t in tokenize(mine.segments[0][1])] == \
        [("Big", True, False), ("bold", True, True), ("plain", False, False)]


def test_report_least_sure_first(tiny: Path, page: Path, tmp_path: Path) -> None:
    res = run("convert", page, "-o", tmp_path / "o.bib", "--model", tiny, "--report")
    assert res.exit_code == 0, res.output
    rows = [ln for ln in res.stderr.splitlines() if re.match(r"\S+roe\.md:\d+(?:-\d+)?  \d\.\d\d  ", ln)]
    assert len(rows) >= 3
    confs = [float(r.split("  ")[1]) for r in rows]
    assert confs == sorted(confs)
    # the reasons come from the parser's doubts: any entry below 0.8 that has doubts names them
    assert any("(doubts: " in r for r in rows) or min(confs) >= 0.8
    # entries first, then the skipped lines
    lines = res.stderr.splitlines()
    skipped = [i for i, ln in enumerate(lines) if "  skipped  " in ln]
    assert not skipped or min(skipped) > lines.index(rows[-1])


def test_parser_choice(page: Path, tmp_path: Path, tiny: Path) -> None:
    res = run("convert", page, "-o", tmp_path / "r.bib", "--parser", "rules", "-q")
    assert res.exit_code == 0, res.output
    assert "Sediment pulses" in (tmp_path / "r.bib").read_text(encoding="utf-8")
    res = run("convert", page, "--parser", "rules", "--model", tiny)
    assert res.exit_code == 2 and "--model" in res.stderr
    res = run("convert", page, "--model", tmp_path)  # a folder without models
    assert res.exit_code == 2 and "no finder.crfsuite or tagger.crfsuite" in res.stderr


@pytest.mark.parametrize("name, content, message", [
    ("bad.ttx", "ref-start     | A. Bee. A title. 2020.\nrefstart      | C. Dee. Another. 2021.\n",
     "bad.ttx:2: unknown line label 'refstart'"),
    ("bad.xml", "<dataset>\n<sequence><titel>A title</titel></sequence></dataset>\n",
     "bad.xml:2: unknown field label <titel>"),
    ("broken.xml", "<dataset>\n<sequence>\n<title>A title</sequence></dataset>\n", "broken.xml:3: not well-formed XML"),
    ("refs.bib", "@article{x, title={A}}\n", "refs.bib: not a file of labels"),
])
def test_train_bad_file_is_one_line_error(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "m"
    res = run("train", path, "--quick", "-o", out)
    assert res.exit_code == 2
    assert res.stderr.startswith(f"bibkit: error: {tmp_path / message}") and res.stderr.count("\n") == 1
    assert not out.exists()  # checked before any training


def test_train_default_folder_is_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bibkit-model").mkdir()
    res = run("train", "--quick")
    assert res.exit_code == 2 and "bibkit-model already exists" in res.stderr
