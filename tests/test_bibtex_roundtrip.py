"""Round trips: bib -> model -> bib -> model, regenerated and ASCII output, bib -> CSL-JSON -> bib."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import jsonschema
import pytest

from bibkit.io import bibtex, csljson
from bibkit.model import page_range

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLES = ["tugboat-sample.bib", "bibliotex-sample.bib", "biblatex-examples.bib"]
_ENTRY_LINE = re.compile(r"(?m)^@(?!string|preamble|comment)\w+\s*[{(]", re.I)
CSL_KEYS = ("title", "author", "issued", "container_title", "page", "doi")


def count_entries(text: str) -> int:
    return len(_ENTRY_LINE.findall(text))


def _diff(a, b) -> str:
    fa, fb = a.fields(), b.fields()
    keys = sorted(k for k in set(fa) | set(fb) if fa.get(k) != fb.get(k))
    return f"{a.key}: " + "; ".join(f"{k}: {fa.get(k)!r} != {fb.get(k)!r}" for k in keys)


def check_roundtrips(text: str, source: str, expected: int | None = None, thorough: bool = True,
                     exact: bool = False) -> None:
    res = bibtex.read(text, source)
    assert not [p for p in res.problems if p.severity == "error"], res.problems
    n = count_entries(text) if expected is None else expected
    assert len(res.entries) == n
    # unchanged: written as read, stable, and reads back equal
    out = bibtex.write(res.entries, preamble=res.preamble)
    if exact:
        assert out == text  # blocks separated by one blank line, as the writer does: byte-identical
    again = bibtex.read(out, "out.bib")
    assert len(again.entries) == n
    bad = [_diff(a, b) for a, b in zip(res.entries, again.entries, strict=True) if a != b]
    assert not bad, bad[:5]
    if thorough:
        assert bibtex.write(again.entries, preamble=again.preamble) == out
    # regenerated from the model (as for entries from other readers) and in ASCII
    for options in ({"fresh": True}, {"ascii": True}) if thorough else ({"fresh": True},):
        if options.pop("fresh", False):
            entries = [dataclasses.replace(e, origin={}) for e in res.entries]
        else:
            entries = res.entries
        out2 = bibtex.write(entries, preamble=res.preamble, **options)
        if options.get("ascii"):
            # only characters without a LaTeX form (Greek in abstracts...) stay non-ASCII
            assert sum(not c.isascii() for c in out2) <= sum(not c.isascii() for c in text)
        back = bibtex.read(out2, "out2.bib")
        # a regenerated entry writes its page ranges with "--" (issue 15): "1-41" reads back as "1–41"
        bad = [_diff(a, b) for a, b in zip(res.entries, back.entries, strict=True)
               if a != dataclasses.replace(b, page=a.page if page_range(a.page) == b.page else b.page)]
        assert not bad, (options, bad[:5])
        if thorough:
            assert bibtex.write(back.entries, preamble=back.preamble, **options) == out2
    if not thorough:
        return
    # bib -> CSL-JSON (valid) -> bib keeps the bibliographic core
    items = json.loads(csljson.write(res.entries))
    schema = json.loads((DATA / "csl-data.json").read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(items))
    assert not errors, errors[:3]
    via = bibtex.read(bibtex.write(csljson.read(json.dumps(items)).entries), "via-csl.bib").entries
    assert len(via) == n
    for a, b in zip(res.entries, via, strict=True):
        for k in CSL_KEYS:
            want = page_range(a.page) if k == "page" else getattr(a, k)  # written anew: ranges with "--"
            assert want == getattr(b, k), (a.key, k)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_roundtrip(name: str):
    text = (DATA / name).read_text(encoding="utf-8")
    check_roundtrips(text, name)


def _real_files():
    bib = SHARED / "data" / "bib"
    if not bib.is_dir():
        return []
    iridia = "".join((bib / "iridia" / f"{n}.bib").read_text(encoding="utf-8")
                     for n in ("abbrev", "authors", "journals", "articles", "biblio", "crossref"))
    return [
        ("tugboat.bib", (bib / "tugboat.bib").read_text(encoding="utf-8"), 4839),
        ("iridia", iridia, 3305),
        ("bibliotex-all.bib", (bib / "bibliotex-all.bib").read_text(encoding="utf-8"), 2822),
        ("biblatex-examples.bib", (bib / "biblatex-examples.bib").read_text(encoding="utf-8"), 92),
    ]


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "data" / "bib").is_dir(), reason="../shared/data/bib not available")
def test_real_files_roundtrip():
    """The four real files: as many entries as pybtex reads (4,839 / 3,305 / 2,822 / 92); unchanged and
    regenerated output read back equal (CSL and ASCII round trips are checked on the samples)."""
    for source, text, expected in _real_files():
        check_roundtrips(text, source, expected, thorough=False, exact=source == "tugboat.bib")


LAYOUT = """% lab references
@string{jcp = "J. Chem. Phys."}
@string{pra = "Phys. Rev. A"} % since 1970
@string{prl = "Phys. Rev. Lett."}%Letters

@article{a, author = {Ann Smith}, title = {One}, journal = jcp, year = 2001}
% free version online at: https://example.org/b
@article{b,
	author = {Bob Jones},
	title = {Two},
	journal = prl,
	year = 2002
} \n\n\n
@article{c, author = {Cy Doe}, title = {Three\\hyphen Four}, journal = pra, year = 2003}

% Local Variables:
% bibtex-string-files: ("abbrev.bib")
% End:
"""


def test_bib_rewrite_keeps_the_layout() -> None:
    """No blank line added between @strings or before a comment's entry, the spaces after a `}` and
    the comments after the last entry kept where they were (issue 14)."""
    res = bibtex.read(LAYOUT, "layout.bib")
    assert res.entries[2].title == "Three-Four"
    assert bibtex.write(res.entries, preamble=res.preamble) == LAYOUT
    res.entries[1].volume = "12"  # a change stays local to its entry
    out = bibtex.write(res.entries, preamble=res.preamble)
    assert "volume = {12}" in out
    assert out.split("@article{b")[0] == LAYOUT.split("@article{b")[0]
    assert out.split("@article{c")[1] == LAYOUT.split("@article{c")[1]


@pytest.mark.parametrize("name", ["bibliotex-all.bib", "iridia/abbrev.bib", "iridia/crossref.bib",
                                  "iridia/biblio.bib", "biblatex-examples.bib"])
def test_real_bib_rewrite_changes_no_line(name: str) -> None:
    """bibliotex-all.bib (1,111 lines changed before), the IRIDIA files (404, 5,783 and 12,009 before):
    a .bib -> .bib rewrite of an unchanged file gives the file (but blank lines at its very end)."""
    path = SHARED / "data" / "bib" / name
    if not path.exists():
        pytest.skip("../shared benchmark data not present")
    from bibkit.fsio import read_text

    text = read_text(path)
    res = bibtex.read(text, name)
    assert bibtex.write(res.entries, preamble=res.preamble).rstrip("\n") == text.rstrip("\n")
