"""The .bib bibkit writes, checked with the real tools (issue 15): TeX Live's ``bibtex`` with the
plain, IEEE and ACM styles (IEEEtran / ACM-Reference-Format when installed, else Debian's base
ieeetr / acm) on an .aux that cites every entry, and ``biber --tool --validate-datamodel`` on the
``--dialect biblatex`` output: no warning, no error.

Inputs: the publication pages of tests/data/profiles and examples/, the .bib samples of tests/data
(round trip: ``convert --to bibtex``), and, when ../shared is there, its profile pages and (slow)
its .bib files.  Skipped when bibtex, kpsewhich or biber is missing (CI installs them: .ci/run).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibkit.cli.main import cli

from . import bibtex_tools as tools

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared" / "data"

needs_tools = pytest.mark.skipif(not tools.available(), reason="bibtex, kpsewhich or biber not installed")

PAGES = sorted(p for p in (DATA / "profiles").iterdir() if not p.name.endswith(".json"))
EXAMPLES = sorted((ROOT / "examples").iterdir())
BIB_SAMPLES = [DATA / n for n in ("tugboat-sample.bib", "bibliotex-sample.bib", "biblatex-examples.bib")]
SHARED_PAGES = sorted((SHARED / "profiles").glob("*.txt")) if SHARED.is_dir() else []
SHARED_BIBS = sorted((SHARED / "bib").glob("*.bib")) if SHARED.is_dir() else []
#: biber's warnings about errors in the source data (not in what bibkit writes): a wrong ISSN or ISBN
#: check digit, an entry without a title, an author list with an empty name ("and and")
_SOURCE_ERRORS = re.compile(r"Invalid ISSN|ISBN '.*' .* is invalid|Missing mandatory field 'title'|"
                            r"Name in key .* is empty|empty substring")


def convert(path: Path | str, *args: str) -> str:
    res = CliRunner().invoke(cli, ["convert", str(path), "--to", "bibtex", "-q", *args])
    assert res.exit_code in (0, 1), res.output
    return res.stdout


def check(bib: str, source_errors: bool = False) -> None:
    """No warning and no error from bibtex (each style) on ``bib`` in the BibTeX dialect."""
    styles = tools.styles()
    assert len(styles) == 3, styles
    for style in styles:
        warnings, errors = tools.bibtex_messages(bib, style)
        assert (warnings, errors) == ([], []), (style, warnings[:10], errors[:10])


def check_biber(bib: str, source_errors: bool = False) -> None:
    warnings, errors = tools.biber_messages(bib)
    if source_errors:
        warnings = [w for w in warnings if not _SOURCE_ERRORS.search(w)]
    assert (warnings, errors) == ([], []), (warnings[:10], errors[:10])


@needs_tools
@pytest.mark.parametrize("path", PAGES + EXAMPLES + SHARED_PAGES, ids=lambda p: p.name)
def test_page_bib_compiles(path: Path) -> None:
    bib = convert(path)
    assert bib.count("\n@") + bib.startswith("@") > 0
    check(bib)
    check_biber(convert(path, "--dialect", "biblatex"))


@needs_tools
@pytest.mark.parametrize("path", BIB_SAMPLES, ids=lambda p: p.name)
def test_bib_round_trip_compiles(path: Path) -> None:
    check(convert(path))
    check_biber(convert(path, "--dialect", "biblatex"), source_errors=True)


@needs_tools
@pytest.mark.slow
@pytest.mark.parametrize("path", [*SHARED_BIBS, "iridia"], ids=lambda p: getattr(p, "name", p))
def test_shared_bib_round_trip_compiles(path: Path | str, tmp_path: Path) -> None:
    """The shared .bib files (and the IRIDIA files joined in their order): before issue 15, bibtex gave
    574 warnings and 861 errors (plain) on bibliotex-all.bib, 120 warnings on biblatex-examples.bib."""
    if path == "iridia":
        joined = tmp_path / "iridia.bib"
        joined.write_text("".join((SHARED / "bib" / "iridia" / f"{n}.bib").read_text(encoding="utf-8")
                                  for n in ("abbrev", "authors", "journals", "articles", "biblio", "crossref")),
                          encoding="utf-8")
        path = joined
    check(convert(path))
    check_biber(convert(path, "--dialect", "biblatex"), source_errors=True)


# -- what the dialects write (no tools needed) ---------------------------------------------------
def _one(bib: str, key: str) -> str:
    m = re.search(r"@\w+\{" + re.escape(key) + r",.*?\n\}", bib, re.S)
    assert m, key
    return m.group()


def test_submitted_thesis_conference_and_keys() -> None:
    """The issue's page shapes on a page of tests/data: a submitted paper keeps venue and status in
    `note`, a thesis's school is the institution, a conference acronym gets the full proceedings name."""
    page = ("# Publications\n\n"
            "1. Alice Smith, Bob Jones. Fast Intra-Stage Fusion for GPU Inference. Submitted to ICML, 2026.\n"
            "2. Alice Smith. Efficient Compression of Large Models. PhD Thesis, The University of Sydney, 2024.\n"
            "3. Alice Smith, Carol White. Sparse Flash-LLM Kernels. In ICSE 2020.\n")
    bib = CliRunner().invoke(cli, ["convert", "-", "--from", "markdown", "-q"], input=page).stdout
    entries = re.findall(r"@(\w+)\{([^,]+),", bib)
    assert len(entries) == 3, bib
    assert "note = {Submitted to ICML}" in bib and "pubstate" not in bib and "eventtitle" not in bib
    assert "Intra-Stage" in bib and "{Intra-Stage}" not in bib and "{GPU}" in bib and "Flash-{LLM}" in bib
    assert re.search(r"school = \{The University of Sydney\}", bib), bib
    assert "booktitle = {Proceedings of the International Conference on Software Engineering}" in bib, bib
    assert "shortbooktitle = {ICSE}" in bib
    # one key per entry, the same in BibTeX and CSL-JSON
    items = json.loads(CliRunner().invoke(cli, ["convert", "-", "--from", "markdown", "-q", "--to", "csl-json"],
                                          input=page).stdout)
    assert [i["id"] for i in items] == [k for _t, k in entries]
    blx = CliRunner().invoke(cli, ["convert", "-", "--from", "markdown", "-q", "--dialect", "biblatex"],
                             input=page).stdout
    assert "@thesis{" in blx and "type = {phdthesis}" in blx and "institution = {The University of Sydney}" in blx
    assert "pubstate = {submitted}" in blx and "date = {2026}" in blx


def test_dialects_of_biblatex_types_and_fields() -> None:
    import bibkit
    from bibkit.model import Date, Entry, Name

    people = [Name(family="Doe", given="Ann")]
    web = Entry(type="webpage", key="w", title="A Page", author=people, url="https://example.org",
                container_title="Some Blog", issued=Date(2024, 5, 3))
    pre = Entry(type="article", key="p", title="A Preprint", author=people, arxiv="2101.00001",
                issued=Date(2021), extra={"primaryclass": "cs.LG"})
    bib = bibkit.dumps([web, pre], "bibtex", dialect="bibtex")
    assert "@misc{w," in bib and "howpublished = {Some Blog}" in bib and "date" not in bib
    assert "year = {2024}" in bib and "month = may" in bib
    assert "eprint = {2101.00001}" in _one(bib, "p") and "archivePrefix = {arXiv}" in bib
    assert "primaryClass = {cs.LG}" in bib
    blx = bibkit.dumps([web, pre], "bibtex", dialect="biblatex")
    assert "@online{w," in blx and "date = {2024-05-03}" in blx
    assert "eprinttype = {arxiv}" in blx and "eprintclass = {cs.LG}" in blx
    unpublished = bibkit.dumps([Entry(type="manuscript", key="u", title="Notes", author=people)], "bibtex",
                               dialect="bibtex")
    assert "@unpublished{u," in unpublished and "note = {Unpublished}" in unpublished
    with pytest.raises(bibkit.UsageError):
        bibkit.dumps([web], "bibtex", dialect="apa")


def test_a_bib_already_in_the_dialect_is_written_as_read() -> None:
    text = (DATA / "tugboat-sample.bib").read_text(encoding="utf-8")
    assert convert(DATA / "tugboat-sample.bib").rstrip("\n") == text.rstrip("\n")


def test_dedupe_and_enrich_write_the_dialect(tmp_path: Path) -> None:
    """`--dialect` on the other commands that write BibTeX (bibtex by default)."""
    src = DATA / "biblatex-examples.bib"
    out = CliRunner().invoke(cli, ["dedupe", str(src), "-q", "--no-stream"]).stdout
    assert "@online{" not in out and "@thesis{" not in out and not re.search(r"(?m)^  date = ", out)
    blx = CliRunner().invoke(cli, ["dedupe", str(src), "-q", "--no-stream", "--dialect", "biblatex"]).stdout
    assert "@online{" in blx and re.search(r"(?m)^  date = ", blx)
    res = CliRunner().invoke(cli, ["enrich", str(src), "--offline", "-q", "--dialect", "bibtex",
                                   "--cache-dir", str(tmp_path)])
    assert res.exit_code in (0, 1), res.output
    assert "@online{" not in res.stdout and "@misc{" in res.stdout
