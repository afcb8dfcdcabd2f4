"""BibTeX reader: macros, months, LaTeX, names, BibLaTeX fields, comments, provenance."""

from __future__ import annotations

import bibkit
from bibkit.io import bibtex
from bibkit.model import Name

SAMPLE = r"""% a header comment
@preamble{"\newcommand{\noop}[1]{}"}
@string{tcj = "The Computer Journal"}
@comment{kept as it is}

@article{knuth84,
  author = {Donald E. Knuth},
  title = {Literate {P}rogramming},
  journal = tcj,
  year = 1984,
  month = may,
  % note = {a commented-out field},
  pages = "97--111",
}

@online{doe2020,
  author = {Doe, Jane and {World Health Organization} and others},
  title = {A {\"u}ber \texttt{set} with \ch{MgF2} \& friends},
  date = {2020-05-17},
  journaltitle = {Journal of Tests},
  eprint = {2001.01234},
  eprinttype = {arxiv},
  url = {https://example.org/a_b~c},
  mrnumber = {12345},
}
"""


def test_read_sample():
    res = bibtex.read(SAMPLE, "sample.bib")
    assert [e.key for e in res.entries] == ["knuth84", "doe2020"]
    assert not [p for p in res.problems if p.severity == "error"]
    knuth, doe = res.entries
    assert knuth.type == "article-journal"
    assert knuth.container_title == "The Computer Journal"
    assert (knuth.issued.year, knuth.issued.month) == (1984, 5)
    assert knuth.page == "97–111"
    assert knuth.title == "Literate Programming"
    assert "note" not in knuth.extra and knuth.note is None
    p = knuth.provenance[0]
    assert (p.source, p.line_start, p.line_end, p.record_id, p.fmt) == ("sample.bib", 6, 14, "knuth84", "bibtex")
    assert doe.type == "webpage"
    assert doe.author[0] == Name(family="Doe", given="Jane")
    assert doe.author[1] == Name(literal="World Health Organization")
    assert doe.author[2].is_others
    assert doe.title == r"A über set with \ch{MgF2} & friends"
    assert (doe.issued.year, doe.issued.month, doe.issued.day) == (2020, 5, 17)
    assert doe.container_title == "Journal of Tests"
    assert doe.arxiv == "2001.01234"
    assert doe.url == "https://example.org/a_b~c"
    assert doe.extra == {"mrnumber": "12345"}
    assert any("newcommand" in b for b in res.preamble)
    assert any("@comment" in b for b in res.preamble)
    assert any("@string" in b for b in res.preamble)


def test_unchanged_write_reproduces_entries():
    res = bibtex.read(SAMPLE, "sample.bib")
    out = bibtex.write(res.entries, preamble=res.preamble)
    for e in res.entries:
        assert e.origin["bibtex"]["raw"] in out
    again = bibtex.read(out)
    assert again.entries == res.entries
    assert bibtex.write(again.entries, preamble=again.preamble) == out


def test_string_reference_survives_a_change():
    res = bibtex.read(SAMPLE)
    res.entries[0].volume = "27"
    out = bibtex.write(res.entries, preamble=res.preamble)
    assert "journal = tcj" in out
    assert "volume = {27}" in out


def test_api_doctest_example():
    res = bibkit.loads("@article{knuth1984, author={Donald E. Knuth}, title={Literate Programming},"
                       " journal={The Computer Journal}, year=1984}")
    e = res.entries[0]
    assert (e.type, e.author[0].family, e.year) == ("article-journal", "Knuth", 1984)
    assert bibkit.to_csl_json(res)[0]["container-title"] == "The Computer Journal"


def test_crossref_inheritance_keeps_output_unchanged():
    text = ("@inproceedings{child, author={A, B}, title={Paper}, pages={1--2}, crossref={conf}}\n\n"
            "@proceedings{conf, title={Proceedings of Conf 2020}, booktitle={Conf 2020}, year=2020,"
            " editor={E, F}, publisher={P}}\n")
    res = bibtex.read(text)
    child = res.entries[0]
    assert (child.container_title, child.year, child.publisher) == ("Conf 2020", 2020, "P")
    assert child.editor[0].family == "E"
    assert bibtex.write(res.entries) == text
    child.volume = "3"
    out = bibtex.write(res.entries)
    assert "crossref = {conf}" in out and "booktitle" not in out.split("@proceedings")[0]


def test_crossref_to_unknown_key_is_a_warning():
    res = bibtex.read("@inproceedings{c, title={T}, crossref={nowhere}}")
    assert res.entries[0].title == "T"
    assert [p.severity for p in res.problems] == ["warning"]


def test_url_from_howpublished():
    text = "@misc{m,\n  title = {Site},\n  howpublished = {\\url{https://example.org/x_y}},\n}\n"
    res = bibtex.read(text)
    e = res.entries[0]
    assert e.url == "https://example.org/x_y" and e.extra["howpublished"] == r"\url{https://example.org/x_y}"
    assert bibtex.write(res.entries) == text
    e.origin = {}  # as if it came from another reader
    assert bibtex.read(bibtex.write([e])).entries[0] == e
