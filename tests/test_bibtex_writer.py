"""BibTeX writer: keys, entries from other readers, options, malformed input, CLI."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bibkit.cli.main import cli
from bibkit.io import bibtex
from bibkit.keys import assign_keys, make_key
from bibkit.model import Date, Entry, Name


def _entry(**kw) -> Entry:
    base = {"type": "article-journal", "title": "Deep learning for everyone",
            "author": [Name(family="LeCun", given="Yann")], "issued": Date(2015)}
    base.update(kw)
    return Entry(**base)


# -- keys ----------------------------------------------------------------------------------
def test_make_key():
    assert make_key(_entry()) == "lecun2015deep"
    assert make_key(_entry(title="The Über-Paper on Ærodynamics", author=[Name(family="Ørsted")])) == \
        "orsted2015paper"
    assert make_key(_entry(author=[Name(literal="World Health Organization")], title="A report")) == \
        "world2015report"
    assert make_key(Entry(title="On things")) == "anonthings"


def test_key_collisions_get_letters_and_existing_keys_stay():
    es = [_entry(), _entry(), _entry(key="mykey"), _entry()]
    assert assign_keys(es) == ["lecun2015deep", "lecun2015deepa", "mykey", "lecun2015deepb"]
    assert assign_keys(es, rekey=True) == ["lecun2015deep", "lecun2015deepa", "lecun2015deepb", "lecun2015deepc"]
    assert assign_keys([_entry(key="has space, comma")]) == ["lecun2015deep"]
    out = bibtex.write(es, rekey=True)
    assert "@article{lecun2015deepc," in out and "mykey" not in out


# -- entries from other readers --------------------------------------------------------------
def test_entry_without_origin():
    e = _entry(container_title="Nature", volume="521", issue="7553", page="436–444", doi="10.1038/nature14539",
               status="accepted", arxiv="1234.5678", url="https://x.org/a_b", note="Invited & reviewed",
               title="FSMoE: a GPU system")
    out = bibtex.write([e])
    assert out.startswith("@article{lecun2015fsmoe,\n  author = {LeCun, Yann},\n  title = {{FSMoE}: a {GPU} system},")
    for line in ("journal = {Nature}", "number = {7553}", "pages = {436--444}", "doi = {10.1038/nature14539}",
                 "eprint = {1234.5678}", "archiveprefix = {arXiv}", "pubstate = {inpress}",
                 "url = {https://x.org/a_b}", r"note = {Invited \& reviewed}"):
        assert line in out, line
    back = bibtex.read(out).entries[0]
    assert back == Entry(**{**e.__dict__, "key": "lecun2015fsmoe"})


def test_types_written():
    kinds = {"paper-conference": "inproceedings", "chapter": "incollection", "book": "book",
             "report": "techreport", "webpage": "online", "article": "misc", "thesis": "phdthesis"}
    for csl, bib in kinds.items():
        out = bibtex.write([_entry(type=csl, container_title="X", arxiv="2101.00001" if csl == "article" else None)])
        assert out.startswith(f"@{bib}{{"), (csl, out)
        assert bibtex.read(out).entries[0].type == csl


def test_ascii_option():
    out = bibtex.write([_entry(title="Über Gödel", author=[Name(family="Müller", given="Jörg")])], ascii=True)
    assert out.isascii()
    assert r'M{\"u}ller, J{\"o}rg' in out
    assert bibtex.read(out).entries[0].title == "Über Gödel"


def test_preamble_written_first():
    res = bibtex.read('@preamble{"\\newcommand{\\x}{y}"}\n@misc{a, title={T}}\n')
    out = bibtex.write(res.entries, preamble=res.preamble)
    assert out.startswith("@preamble{")


def test_changed_entry_keeps_unchanged_fields_verbatim():
    text = '@string{j = "Journal"}\n\n@article{k,\n  author = "Doe, J.",\n  journal = j,\n  year = 2000,\n}\n'
    res = bibtex.read(text)
    assert bibtex.write(res.entries, preamble=res.preamble) == text
    res.entries[0].volume = "3"
    out = bibtex.write(res.entries, preamble=res.preamble)
    assert '  author = "Doe, J.",\n  journal = j,\n  year = 2000,\n  volume = {3}\n}' in out
    assert bibtex.write(bibtex.read(out).entries, preamble=res.preamble) == out
    # without the @string definitions the reference is expanded, so the output stands alone
    alone = bibtex.write(res.entries)
    assert "journal = {Journal}" in alone and "year = 2000" in alone


# -- malformed input ----------------------------------------------------------------------------
GOOD = "@article{good1, title = {Fine}, year = 2001}\n"


def test_unbalanced_braces_reported_and_rest_read():
    res = bibtex.read("@article{bad, title = {Broken, year = 2000}\n\n" + GOOD + "\n@misc{good2, title={B}}\n")
    keys = [e.key for e in res.entries]
    assert "good2" in keys
    assert res.problems and all(p.line is not None for p in res.problems)


def test_missing_key():
    res = bibtex.read("@article{title = {No key}, year = 2000}\n" + GOOD)
    assert [e.key for e in res.entries][-1] == "good1"
    assert res.problems and res.problems[0].line == 1
    assert any(e.title == "No key" for e in res.entries)


def test_binary_junk_and_garbage_between_entries():
    res = bibtex.read("\x00\x01\x02 garbage @@ {{ \n" + GOOD + "\x7f\x00more junk\n@misc{good2, title={B}}\n")
    assert [e.key for e in res.entries] == ["good1", "good2"]


def test_truncated_file():
    res = bibtex.read(GOOD + "@article{cut, title = {Never closed}, year = ")
    assert res.entries[0].key == "good1"
    assert any(p.severity == "error" and p.line == 2 for p in res.problems)


def test_percent_comment_inside_entry_does_not_cut_it():
    text = ("@article{c,\n  title = {T},\n  % note = {commented out},\n  %@article{old,\n"
            "  year = 2020,\n  abstract = {50% of cases\n% are kept in values}\n}\n")
    e = bibtex.read(text).entries[0]
    assert (e.title, e.year, e.note) == ("T", 2020, None)
    assert e.abstract == "50% of cases % are kept in values"


def test_unknown_macro_and_duplicate_field_warn():
    res = bibtex.read("@article{k, journal = nosuchmacro, title = {A}, title = {B}}")
    e = res.entries[0]
    assert e.container_title == "nosuchmacro" and e.title == "A" and e.extra["title-2"] == "B"
    assert {p.severity for p in res.problems} == {"warning"}


# -- CLI ------------------------------------------------------------------------------------------
def test_cli_convert_to_csl_json(tmp_path):
    src = tmp_path / "x.bib"
    src.write_text("@article{knuth84, author = {Knuth, Donald E.}, title = {Literate Programming}, "
                   "journal = {The Computer Journal}, year = 1984, pages = {97--111}}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(src), "--to", "csl-json", "-q"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert items[0]["page"] == "97–111" and items[0]["author"][0]["family"] == "Knuth"


def test_cli_bad_file_one_line_error(tmp_path):
    src = tmp_path / "bad.bib"
    src.write_bytes(b"\x00\x01\x02\x03binary\x00junk\xff\xfe")
    result = CliRunner().invoke(cli, ["convert", str(src), "--to", "csl-json"])
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and str(src) in lines[0]


def test_invalid_utf8_file_still_read(tmp_path, capsys):
    import bibkit

    src = tmp_path / "mixed.bib"
    src.write_bytes(b"@article{a, title = {Caf\xc3\xa9}}\n@article{b, title = {Bad \xff\xfe byte}}\n"
                    b"@article{c, title = {Fine}}\n")
    res = bibkit.load(str(src))
    assert [e.key for e in res.entries] == ["a", "b", "c"]


def test_sniff_and_registry():
    from bibkit.io.registry import detect_format, get_format

    assert get_format("bib").name == "bibtex" and get_format("biblatex").name == "bibtex"
    assert detect_format("% comment\n@article{x, title={T}}\n").name == "bibtex"
    assert bibtex.sniff('[{"type": "book"}]') == 0.0


def test_page_ranges_written_with_two_hyphens() -> None:
    """A range from any reader (CSL-JSON "436-444", a profile page, enrich) is written "436--444"; a hyphen
    inside a page number stays ("4-1--4-59"); a .bib entry left unchanged keeps its text (issue 15)."""
    from bibkit.io import csljson

    bt = bibtex

    items = '[{"id": "a", "type": "article-journal", "title": "T", "page": "436-444"},' \
            ' {"id": "b", "type": "chapter", "title": "U", "page": "4-1--4-59"}]'
    out = bt.write(csljson.read(items).entries)
    assert "436--444" in out and "4-1--4-59" in out
    kept = bt.read("@article{k, title = {T}, pages = {1-41}}\n", "x.bib")
    assert "pages = {1-41}" in bt.write(kept.entries)
