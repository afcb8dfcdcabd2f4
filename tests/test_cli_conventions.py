"""Conventions users know from bibtex-tidy, betterbib, JabRef and pandoc: -i/--in-place, --cite/--aux,
--key-pattern/--rekey, --sort, and page ranges written with -- in BibTeX."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import bibkit
from bibkit.cli import cli
from bibkit.keys import PLACEHOLDERS, pattern_key

BIB = """@article{lamport1994,
  author = {Leslie Lamport},
  title = {LaTeX: A Document Preparation System},
  journal = {Addison-Wesley},
  year = {1994}
}

@book{knuth1984,
  author = {Donald E. Knuth},
  title = {The TeXbook},
  publisher = {Addison-Wesley},
  year = {1984}
}

@inproceedings{vaswani2017,
  author = {Ashish Vaswani and Noam Shazeer and Niki Parmar},
  title = {Attention Is All You Need},
  booktitle = {Advances in Neural Information Processing Systems},
  year = {2017},
  volume = {30},
  pages = {5998-6008}
}
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _error_line(result) -> str:
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("bibkit: error: "), result.output
    return lines[0]


@pytest.fixture
def refs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    return path


# -- -i/--in-place ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", [["convert"], ["dedupe"], ["enrich", "--offline", "--no-cache"]])
def test_in_place_rewrites_the_input_and_keeps_a_backup(refs: Path, command: list[str]) -> None:
    result = run(command[0], str(refs), "-i", "--sort", "key", "-q", *command[1:])
    assert result.exit_code in (0, 1), result.output
    assert "@" not in result.output  # nothing on stdout
    assert (refs.parent / "refs.bib.bak").read_text(encoding="utf-8") == BIB
    keys = [e.key for e in bibkit.load(refs).entries]
    assert keys == ["knuth1984", "lamport1994", "vaswani2017"]


def test_in_place_refuses_what_it_cannot_rewrite(refs: Path, tmp_path: Path) -> None:
    page = tmp_path / "cv.md"
    page.write_text("## Publications\n\n- J. Doe. A title. In Proc. X, 2020.\n", encoding="utf-8")
    assert "cv.md" in _error_line(run("convert", str(page), "-i"))
    assert "one input file" in _error_line(run("dedupe", str(refs), str(refs), "-i"))
    assert "refs.bib" in _error_line(run("convert", str(refs), "-i", "--to", "csl-json"))
    assert refs.read_text(encoding="utf-8") == BIB and not (tmp_path / "refs.bib.bak").exists()


def test_stdout_by_default_and_o_as_before(refs: Path, tmp_path: Path) -> None:
    result = run("convert", str(refs), "-q")
    assert result.exit_code == 0 and result.output.count("@") == 3
    assert "--in-place" in _error_line(run("convert", str(refs), "-o", str(refs)))
    assert run("convert", str(refs), "-o", str(refs), "--in-place", "-q").exit_code == 0
    assert (tmp_path / "refs.bib.bak").read_text(encoding="utf-8") == BIB


# -- --cite and --aux ---------------------------------------------------------------------------------------
def _rendered(result) -> list[str]:
    assert result.exit_code in (0, 1), result.output
    return [ln for ln in result.output.splitlines() if ln.startswith("[")]


def test_cite_renders_the_chosen_keys_in_citation_order(refs: Path) -> None:
    lines = _rendered(run("format", str(refs), "--style", "ieee", "--no-cache", "--cite", "vaswani2017,knuth1984"))
    assert len(lines) == 2 and "Vaswani" in lines[0] and "Knuth" in lines[1]
    result = run("format", str(refs), "--style", "ieee", "--no-cache", "--cite", "knuth1984,nokey", "--strict")
    assert result.exit_code == 1 and "--cite: warning: no entry has the citation key 'nokey'" in result.output
    assert len(_rendered(run("format", str(refs), "--style", "ieee", "--no-cache", "--cite", "*"))) == 3


def test_aux_renders_what_the_paper_cites(refs: Path, tmp_path: Path) -> None:
    (tmp_path / "chapter.aux").write_text("\\relax\n\\citation{knuth1984}\n", encoding="utf-8")
    aux = tmp_path / "paper.aux"
    aux.write_text("\\relax\n\\citation{lamport1994,knuth1984}\n\\@input{chapter.aux}\n\\bibstyle{plain}\n"
                   "\\bibdata{refs}\n", encoding="utf-8")
    lines = _rendered(run("format", str(refs), "--style", "ieee", "--no-cache", "--aux", str(aux)))
    assert len(lines) == 2 and "Lamport" in lines[0] and "Knuth" in lines[1]
    json_refs = tmp_path / "refs.json"  # CSL-JSON items are cited by id
    assert run("convert", str(refs), "-o", str(json_refs), "-q").exit_code == 0
    assert _rendered(run("format", str(json_refs), "--style", "ieee", "--no-cache", "--aux", str(aux))) == lines
    aux.write_text("\\relax\n\\citation{*}\n", encoding="utf-8")
    assert len(_rendered(run("format", str(refs), "--style", "ieee", "--no-cache", "--aux", str(aux)))) == 3
    assert "missing.aux" in _error_line(run("format", str(refs), "--aux", str(tmp_path / "missing.aux")))
    aux.write_text("\\relax\n", encoding="utf-8")
    assert "paper.aux" in _error_line(run("format", str(refs), "--aux", str(aux)))


# -- --key-pattern, --rekey, --sort ---------------------------------------------------------------------------
def test_key_pattern_and_rekey(refs: Path, tmp_path: Path) -> None:
    result = run("convert", str(refs), "--rekey", "--key-pattern", "{auth}{year}{shorttitle}", "-q")
    assert result.exit_code == 0, result.output
    keys = [e.key for e in bibkit.loads(result.output).entries]
    assert keys == ["Lamport1994LaTeXDocumentPreparation", "Knuth1984TeXbook", "Vaswani2017AttentionAllYou"]
    result = run("convert", str(refs), "--rekey", "--key-pattern", "{authors2:lower}{shortyear}", "-q",
                 "--to", "csl-json")
    ids = [item["id"] for item in json.loads(result.output)]  # the CSL-JSON ids are the keys
    assert ids == ["lamport94", "knuth84", "vaswanishazeeretal17"]
    twice = tmp_path / "twice.bib"
    twice.write_text(BIB + BIB.replace("{lamport1994,", "{other,"), encoding="utf-8")
    result = run("convert", str(twice), "--rekey", "--key-pattern", "{auth:lower}", "--no-dedupe", "-q")
    keys = [e.key for e in bibkit.loads(result.output).entries]
    assert keys[:3] == ["lamport", "knuth", "vaswani"] and keys[3] == "lamporta"
    result = run("convert", str(refs), "--key-pattern", "{auth:lower}", "-q")  # keys kept without --rekey
    assert [e.key for e in bibkit.loads(result.output).entries] == ["lamport1994", "knuth1984", "vaswani2017"]
    assert "{nope}" in _error_line(run("convert", str(refs), "--key-pattern", "{nope}"))


def test_every_documented_placeholder_gives_a_key() -> None:
    entry = bibkit.loads(BIB).entries[2]
    for name in PLACEHOLDERS:
        pattern = "{" + name.replace("N", "2") + "}"
        assert pattern_key(entry, pattern) not in ("", "anon"), pattern


@pytest.mark.parametrize(("sort", "expected"), [
    ("key", ["knuth1984", "lamport1994", "vaswani2017"]),
    ("year", ["knuth1984", "lamport1994", "vaswani2017"]),
    ("-year", ["vaswani2017", "lamport1994", "knuth1984"]),
    ("author", ["knuth1984", "lamport1994", "vaswani2017"]),
])
def test_sort(refs: Path, sort: str, expected: list[str]) -> None:
    result = run("convert", str(refs), "--sort", sort, "-q")
    assert [e.key for e in bibkit.loads(result.output).entries] == expected
    result = run("format", str(refs), "--style", "ieee", "--sort", "key", "--no-cache", "-q")
    assert ["Knuth" in ln for ln in _rendered(result)] == [True, False, False]


# -- page ranges ------------------------------------------------------------------------------------------
def test_merged_pages_written_with_two_dashes(refs: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps([{"id": "v", "type": "paper-conference", "title": "Attention is all you need",
                                  "author": [{"family": "Vaswani", "given": "Ashish"}],
                                  "container-title": "NeurIPS", "issued": {"date-parts": [[2017]]},
                                  "page": "5998-6008", "DOI": "10.5555/3295222.3295349"}]), encoding="utf-8")
    result = run("dedupe", str(other), str(refs), "-q")
    assert result.exit_code == 0, result.output
    assert "pages = {5998--6008}" in result.output and "5998-6008" not in result.output


# -- --help --------------------------------------------------------------------------------------------------
NEW_OPTIONS = {"convert": ["-i", "--sort", "--rekey", "--key-pattern", "--progress", "-v"],
               "dedupe": ["-i", "--sort", "--rekey", "--key-pattern", "--progress", "-v"],
               "enrich": ["-i", "--sort", "--rekey", "--key-pattern", "--progress", "-q", "-v"],
               "format": ["--cite", "--aux", "--sort", "--to markdown", "--to html", "--progress", "-v"]}


@pytest.mark.parametrize("command", sorted(NEW_OPTIONS))
def test_help_has_an_example_of_each_new_option(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    examples = result.output.split("Examples:", 1)[1].split("Options:", 1)[0]
    lines = [ln.split("#")[0] + " " for ln in examples.splitlines() if ln.strip().startswith("bibkit ")]
    for option in NEW_OPTIONS[command]:
        assert any(f" {option} " in ln for ln in lines), (command, option)
