"""No silent loss: write -> read gives back the same entries (BibTeX and CSL-JSON).

Property tests over generated entries (Unicode and LaTeX-special characters in
titles, names with particles, suffixes and literals, dates, pages, DOIs, unmapped
extra fields), plus one regression test per bug these found.
"""

from __future__ import annotations

import pytest
from hypothesis import given, note

from bibkit.io import bibtex, csljson
from bibkit.model import Entry, Name

from .reliability_strategies import PROFILE, entries


def _compare(before: list[Entry], after: list[Entry]) -> None:
    assert len(after) == len(before)
    for a, b in zip(before, after, strict=True):
        assert b.fields() == a.fields(), a.key


@PROFILE
@given(entries())
def test_bibtex_write_read_roundtrip(items: list[Entry]) -> None:
    text = bibtex.write(items)
    note(text)
    res = bibtex.read(text, "rt.bib")
    assert [p for p in res.problems if p.severity == "error"] == []
    _compare(items, res.entries)


@PROFILE
@given(entries())
def test_bibtex_ascii_write_read_roundtrip(items: list[Entry]) -> None:
    text = bibtex.write(items, ascii=True)
    note(text)
    res = bibtex.read(text, "rt.bib")
    assert [p for p in res.problems if p.severity == "error"] == []
    _compare(items, res.entries)


@PROFILE
@given(entries())
def test_bibtex_write_is_stable(items: list[Entry]) -> None:
    """Writing what was read gives the same text (the writer reuses the source text)."""
    text = bibtex.write(items)
    assert bibtex.write(bibtex.read(text, "rt.bib").entries) == text


@PROFILE
@given(entries(csl=True))
def test_csljson_write_read_roundtrip(items: list[Entry]) -> None:
    text = csljson.write(items)
    res = csljson.read(text, "rt.json")
    assert res.problems == []
    _compare(items, res.entries)


# -- regressions: one per bug the property tests found ------------------------------------------
def _one(e: Entry, ascii: bool = False) -> Entry:
    e.key = e.key or "k"
    res = bibtex.read(bibtex.write([e], ascii=ascii), "rt.bib")
    assert not [p for p in res.problems if p.severity == "error"]
    return res.entries[0]


def test_regression_verbatim_unbalanced_brace() -> None:
    e = Entry(type="document", url="https://x.org/a}b", extra={"timestamp": "{"})
    assert _one(e).fields() == e.fields()


def test_regression_two_word_family_without_given() -> None:
    e = Entry(type="book", author=[Name(family="Le Guin"), Name(family="Müller Schmidt")])
    assert _one(e).author == e.author


def test_regression_accent_command_name_in_text_is_escaped() -> None:
    e = Entry(type="book", title=r"Note \d and \u here")
    assert _one(e).title == e.title


def test_regression_math_island_with_unbalanced_brace() -> None:
    e = Entry(type="book", publisher="costs $5 {or $ more", note="x")
    assert _one(e).fields() == e.fields()


def test_regression_report_without_genre_is_not_a_manual() -> None:
    e = Entry(type="report", title="T")
    assert _one(e).genre is None
    assert bibtex.write([Entry(type="report", key="k")]).startswith("@techreport{")


@pytest.mark.parametrize("text", ["---", "a--b", "----", "–-", "-–", "‘‘", "’’", "‘“’", "”’", r"\cmd ü"])
@pytest.mark.parametrize("ascii", [False, True])
def test_regression_dash_and_quote_runs(text: str, ascii: bool) -> None:
    e = Entry(type="book", collection_title=text)
    assert _one(e, ascii).collection_title == text
