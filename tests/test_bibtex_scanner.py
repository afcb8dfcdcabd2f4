"""The one block splitter (bibkit.io.scan.split): the blocks bibtexparser's splitter gives, faster.

Every test compares :func:`split` (regex fast path, bibtexparser per chunk where it cannot
decide) with :func:`split_whole` (bibtexparser's splitter over the whole text, as the reader
used it before): kinds, keys, fields, values, raw text, line numbers, duplicate flags and
the reasons of failed blocks must all be the same.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibkit
from bibkit.fsio import read_text
from bibkit.io.bibtex import read
from bibkit.io.scan import ENTRY, FAILED, IMPLICIT, STRING, blank_comment_lines, split, split_whole

# texts where bibtexparser's marks have quirks; each must split the same way both ways
QUIRKS = [
    "@article{a, title = {x}}",
    "@article{a,\n  title = {Caf\\'e {\\\"u}ber},\n  year = 2001,\n}\n",
    "@article{a, title = {a \\} b}}\n@misc{b, note={c}}",  # an escaped brace does not count
    "@article{a, title = {a \\\\}}, x = {y}}\n",  # nor one after an escaped backslash
    '@article{a, title = "a {b} c", note = "x, y = z"}',
    '@article{a, title = "a {"} b", note = {y}}\n@misc{b}',  # {"} inside quotes
    '@article{a, title = {a "b" c}, n = "{"}',
    '@article{a, title = "a\\"b", n=1}',
    "@article{a, title = {x} # mac # \"y\", n = 1,}",
    "@article{a, title = {x},, n = 1}",  # an empty field
    "@article{a, title = {x}, junk }",  # a dangling name
    "@article{a, title = {x} y {z}}",
    "@article{a title = {x}}",  # no comma after the key
    "@article{a}\n@book{b,}\n@misc{,}\n@misc{}",
    "@article{a, title = {x}\n@book{b, title = {y}}",  # not closed before the next block
    "@article{a, title = {x\n  @book{b, title = {y}}",  # the next block indented
    "@article{a, title = {x @book{b, title = {y}}}}",  # an @ inside a value, mid-line
    "@article{a, title = {x}} text @misc{b, n={1}} more text\n\n@misc{c}\n",
    "text before\n\n@article{a, t={x}}\n  trailing text \n\n",
    "@article(a, title = {x (y)}, n = \"a)b\")\n@misc{b}",  # ( ) blocks
    "@string{j = {J. Test}}\n@String{k = \"K\" # j}\n@string{j = {again}}\n@stringx{z = 1}",
    "@string{j {x}}\n@string(k = {y})\n",
    "@comment{a {b} c}\n@Comment{x\n@preamble{\"\\noop\"}\n@preambleX{y}",
    "@comment{ }\n@comment{  a \n b }\n@preamble{ x }",
    "@article{a, t={x}}\n@article{a, t={y}}\n@article{A, t={z}}",  # duplicate keys, case kept
    "@article{a, t={x}, t={y}}\n@article{a, t={z}}",  # duplicate fields: the key is not taken
    "@article{a,\n title = {x \\\n y},\n year = {2001 \\\n}}\n@misc{b, n={1}}",  # backslash-newlines
    "@article{a,\r\n  title = {x},\r\n}\r\n@misc{b}\r\n",
    "@article{a, title = {x}",  # the end of the file inside a block
    "@article{a, title = {{{{{{{{{{deep}}}}}}}}}}}\n@misc{b}",  # deeper than the fast path
    "@article{k\\,ey, t={x}}\n@art-icle{a, t={x}}\n@ article{b}\n@{c, t={x}}\n@article {d, t = {x}}",
    "@article{a, t={x}} @misc{b, t={y}}\n",
    "@@article{a, t={x}}\n\t @misc{b, t={y}}\n\u00a0@misc{c, t={z}}",
    "@article{a, t={x}}}\n@misc{b}",  # an extra closing brace
    "@article{a, \u00e9t\u00e9 = {x}, @x = {y}}\n",
    "  @article{a, t={x}}\n\n@misc{b}",  # the first block after white space
    "\n\n@article{a, t={x}}\n \n @misc{b}\n",
]


def _same(text: str) -> None:
    assert list(split(text)) == list(split_whole(text))


@pytest.mark.parametrize("text", QUIRKS)
def test_split_matches_bibtexparser_on_quirks(text):
    _same(text)
    _same(blank_comment_lines(text)[0])


# the characters bibtexparser's splitter reacts to, and a few words around them
_PIECES = st.sampled_from(["@article{", "@string{", "@comment{", "@misc(", "@preamble{", " @book{", "\n@x{",
                           "{", "}", '"', ",", "=", "\n", "\\", "(", ")", "#", "%", " ", "\t", "key", "title",
                           "= {v}", ", n = 1", "{\"}", "\\{", "\\}", "@"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_split_matches_bibtexparser_on_any_text(pieces):
    _same("".join(pieces))


def test_split_kinds_lines_and_flags():
    text = ("% head\n@string{j = {J}}\n@article{a,\n  title = {x},\n  year = 2001\n}\n"
            "between\n@article{a, t={y}}\n@misc{b, t={1}, t={2}}\n@book{c, title = {x}\n")
    blocks = list(split(text))
    assert [b.kind for b in blocks] == [IMPLICIT, STRING, ENTRY, IMPLICIT, ENTRY, ENTRY, FAILED]
    entry = blocks[2]
    assert (entry.etype, entry.key, entry.line) == ("article", "a", 2)
    assert entry.fields == [("title", "{x}", 3), ("year", "2001", 4)]
    assert blocks[3].raw == "between" and blocks[3].line == 6
    assert blocks[4].dup_key and not blocks[2].dup_key
    assert blocks[5].dup_fields
    assert blocks[6].reason == "Unexpectedly reached end of file."


def test_reader_uses_the_splitter_lines():
    """Line numbers of entries, fields and problems come from the splitter (a newline after a
    backslash is not counted, as bibtexparser counts)."""
    res = read("@article{a,\n title = {x \\\n y},\n year = 2001}\n\n@article{a, title = {z}}\n", "t.bib")
    assert [e.provenance[0].line_start for e in res.entries] == [1, 5]
    assert res.entries[0].origin["bibtex"]["lines"] == [2, 3]
    assert [(p.line, p.message) for p in res.problems] == [(5, "duplicate citation key 'a'")]


def test_split_matches_bibtexparser_on_shared_files(shared_dir):
    """Every real .bib file, its comment lines blanked as the reader blanks them: the same blocks
    as bibtexparser's splitter."""
    files = sorted((shared_dir / "bib").rglob("*.bib"))
    assert files
    for path in files:
        text = blank_comment_lines(read_text(path))[0]
        ours, theirs = list(split(text)), list(split_whole(text))
        assert len(ours) == len(theirs), path
        for a, b in zip(ours, theirs, strict=True):
            assert a == b, (path, a.line)


def test_load_unchanged_on_shared_file(shared_dir):
    """bibkit.load on a real file with many @string macros, problems and comments reads as many
    entries and problems as with bibtexparser's splitter over the whole file (counts pinned from
    that reader; benchmarks/compare_reader.py compares everything)."""
    res = bibkit.load(shared_dir / "bib" / "iridia" / "biblio.bib")
    assert (len(res.entries), len(res.problems)) == (1367, 4344)
