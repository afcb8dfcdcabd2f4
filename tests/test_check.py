"""``bibkit check``: findings, line numbers, allowed duplicates, config, exit codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibkit.check import CODES, CheckConfig, check_files
from bibkit.cli.main import cli
from bibkit.errors import InputError, UsageError

DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TUGBOAT = DATA / "check-tugboat-sample.bib"
BIBLIOTEX = DATA / "check-bibliotex-sample.bib"
NOCONFIG = CheckConfig()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", *args])
    return result.exit_code, result.output


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def codes(report) -> list[tuple[int | None, str]]:
    return [(f.line, f.code) for f in report.findings]


# -- real samples ----------------------------------------------------------------------
@pytest.mark.parametrize("sample", [TUGBOAT, BIBLIOTEX], ids=["tugboat", "bibliotex"])
def test_no_false_alarm_on_clean_real_file(sample: Path) -> None:
    report = check_files([sample], config=NOCONFIG)
    assert report.findings == []
    blocks = len(re.findall(r"^@(?!string|preamble|comment)\w+\{", sample.read_text(encoding="utf-8"), re.M | re.I))
    assert report.entries == blocks
    assert report.exit_code == 0


def test_clean_real_files_together_and_cli_exit_0() -> None:
    code, out = run(str(TUGBOAT), str(BIBLIOTEX), "--config", str(DATA / "csl-data.json"))
    assert code == 2  # a config that is not TOML is a usage error
    code, out = run(str(TUGBOAT), str(BIBLIOTEX))
    assert code == 0, out
    assert out.strip().splitlines()[-1].startswith("bibkit check: 2 files, 66 entries, 0 errors, 0 warnings")


_FIELD = re.compile(r'^\s*(\w+)\s*=\s*["{](.*)["}],?\s*$')


def _blocks(text: str) -> list[str]:
    return [b for b in re.split(r"\n(?=@)", text) if re.match(r"@(?!string|preamble)\w+\{", b, re.I)]


def _fields(block: str) -> dict[str, str]:
    """One-line field values with balanced braces (enough to pick entries to copy)."""
    out = {}
    for m in map(_FIELD.match, block.splitlines()):
        if m and m.group(2).count("{") == m.group(2).count("}"):
            out[m.group(1).lower()] = m.group(2)
    return out


def _key(block: str) -> str:
    return re.match(r"@\w+\{([^,]+),", block).group(1)


def _initials(authors: str) -> str:
    """'Dehn, M. H. and Jane Q. Doe' -> 'M. H. Dehn and J. Q. Doe'."""
    out = []
    for name in re.split(r"\s+and\s+", authors):
        if "," in name:
            family, given = (p.strip() for p in name.split(",", 1))
        else:
            *given_parts, family = name.split()
            given = " ".join(given_parts)
        out.append(" ".join([*(p[0] + "." for p in re.split(r"[\s.]+", given) if p), family]))
    return " and ".join(out)


def _retitle(title: str) -> str:
    """Case, LaTeX and punctuation changes a human makes when retyping a title."""
    words = title.split(" ")
    words = [w.swapcase() if re.fullmatch(r"[A-Za-z]+[,:;]?", w) else w for w in words]
    words[0] = "{\\em " + words[0] + "}"
    return " ".join(words).rstrip(".") + "."


def _plant(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Append planted duplicates; returns the new text and (code, planted key, original key)."""
    blocks = _blocks(text)
    with_doi = [b for b in blocks if {"doi", "title", "author"} <= _fields(b).keys()]
    with_author = [b for b in blocks if {"title", "author"} <= _fields(b).keys()]
    planted, expect = [], []
    # 1. the same key again, exactly and in another case (keys compare case-insensitively)
    b = with_author[3]
    planted.append(b.replace(_fields(b)["title"], "A different title", 1))
    expect.append(("BK101", _key(b), _key(b)))
    b = with_author[5]
    planted.append(b.replace(_key(b), _key(b).swapcase(), 1))
    expect.append(("BK101", _key(b).swapcase(), _key(b)))
    # 2. a new key, the same DOI, the title typed again and nothing else (a DOI on an unrelated title is
    # BK106, a copied identifier)
    if with_doi:
        b = with_doi[1]
        doi = _fields(b)["doi"]
        planted.append(f'@article{{planted-doi,\n  title = "{_fields(b)["title"]}",\n  doi = "{doi.upper()}"\n}}')
        expect.append(("BK102", "planted-doi", _key(b)))
    # 3. a new key, the title retyped, initials instead of names, no identifiers
    b = [b for b in with_author if _initials(_fields(b)["author"]) != _fields(b)["author"]][-2]
    f = _fields(b)
    lines = ["@article{planted-retyped,", f'  author = "{_initials(f["author"])}",',
             f'  title = "{_retitle(f["title"])}",']
    if "year" in f:
        lines.append(f'  year = "{f["year"]}",')
    planted.append("\n".join(lines) + "\n}")
    expect.append(("BK105", "planted-retyped", _key(b)))
    return text.rstrip("\n") + "\n\n" + "\n\n".join(planted) + "\n", expect


@pytest.mark.parametrize("sample", [TUGBOAT, BIBLIOTEX], ids=["tugboat", "bibliotex"])
def test_planted_duplicates_found_with_lines(tmp_path: Path, sample: Path) -> None:
    original = sample.read_text(encoding="utf-8")
    text, expect = _plant(original)
    path = write(tmp_path, "planted.bib", text)
    report = check_files([path], config=NOCONFIG)
    found = {(f.code, f.line): f for f in report.findings}
    assert len(report.findings) == len(expect), [str(f) for f in report.findings]
    for code, key, other in expect:
        line = text[: text.rindex("{" + key + ",")].count("\n") + 1
        assert (code, line) in found, (code, key, [str(f) for f in report.findings])
        finding = found[(code, line)]
        assert finding.also_at[0].line == line_of(text, "{" + other + ","), str(finding)
        assert finding.col == text.splitlines()[line - 1].index(key) + 1
    assert report.exit_code == 1


def test_planted_duplicates_across_files(tmp_path: Path) -> None:
    original = BIBLIOTEX.read_text(encoding="utf-8")
    text, expect = _plant(original)
    extra = text[len(original.rstrip("\n")):].lstrip("\n")
    second = write(tmp_path, "second.bib", extra)
    code, out = run(str(BIBLIOTEX), second)
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == len(expect) + 1
    for (c, key, other), line in zip(expect, lines, strict=False):
        where = f"{second}:{line_of(extra, key + ',')}:"
        assert line.startswith(where) and f"error: {c} " in line, line
        assert f"(also at {BIBLIOTEX}:{line_of(original, '{' + other + ',')})" in line


# -- each check ------------------------------------------------------------------------
BASIC = """\
@article{knuth84, author={Knuth, Donald E.}, title={Literate Programming}, journal={The Computer Journal},
  year=1984, volume=27, doi={10.1093/comjnl/27.2.97}}

@book{Knuth84, title={The {\\TeX}book}, year=1984}
"""


def test_duplicate_key_case_insensitive_and_format(tmp_path: Path) -> None:
    path = write(tmp_path, "a.bib", BASIC)
    code, out = run(path)
    assert code == 1
    first = out.splitlines()[0]
    assert first == (f"{path}:4:7: error: BK101 duplicate key 'Knuth84' (same as 'knuth84' when case is ignored)"
                     f" on a different work (NO-MATCH: title 0.32) (also at {path}:1)")
    assert out.splitlines()[-1] == "bibkit check: 1 file, 2 entries, 1 error, 0 warnings"


def test_same_doi_arxiv_isbn(tmp_path: Path) -> None:
    text = BASIC.replace("@book{Knuth84", "@book{tb") + """
@article{lp, title={Literate programming}, doi={https://doi.org/10.1093/COMJNL/27.2.97}}
@misc{x1, title={Attention is all you need}, eprint={1706.03762}, archiveprefix={arXiv}}
@misc{x2, title={Attention Is All You Need}, eprint={1706.03762v2}, archiveprefix={arXiv}}
@book{b1, title={C}, isbn={0-201-13447-0}}
@book{b2, title={D}, isbn={978-0-201-13447-6}}
@incollection{c1, title={E}, booktitle={C}, isbn={978-0-201-13447-6}}
"""
    report = check_files([write(tmp_path, "a.bib", text)], config=NOCONFIG)
    assert codes(report) == [(6, "BK102"), (8, "BK103"), (10, "BK104")]


def test_preprint_pair_warning_strict_error(tmp_path: Path) -> None:
    text = """\
@article{v17, title={Attention is All you Need}, author={Vaswani, Ashish}, year=2017,
  journal={arXiv preprint arXiv:1706.03762}}
@inproceedings{v17nips, title={Attention Is All You Need}, author={A. Vaswani}, year=2017, booktitle={NeurIPS}}
"""
    path = write(tmp_path, "a.bib", text)
    report = check_files([path], config=NOCONFIG)
    assert [(f.line, f.code, f.severity) for f in report.findings] == [(3, "BK201", "warning")]
    assert report.exit_code == 0
    code, out = run(path)
    assert code == 0 and "warning: BK201" in out
    code, out = run(path, "--strict")
    assert code == 1 and "error: BK201" in out


def test_syntax_error_is_an_error_with_its_line(tmp_path: Path) -> None:
    text = BASIC.replace("@book{Knuth84", "@book{other") + "\n@article{broken, title={x},, year=2000}\n"
    report = check_files([write(tmp_path, "a.bib", text)], config=NOCONFIG)
    assert codes(report) == [(6, "BK001")]
    assert report.exit_code == 1


def test_truncated_file_is_never_clean(tmp_path: Path) -> None:
    text = BIBLIOTEX.read_text(encoding="utf-8")
    cut = text[: text.rindex("\n}") - 40]
    report = check_files([write(tmp_path, "cut.bib", cut)], config=NOCONFIG)
    assert report.exit_code == 1
    assert [f.code for f in report.findings] in (["BK001"], ["BK002"])
    assert report.findings[0].line == line_of(cut, cut[cut.rindex("\n@") + 1:][:20])


def test_unreadable_input_exit_2(tmp_path: Path) -> None:
    code, out = run(str(tmp_path / "missing.bib"))
    assert code == 2
    (tmp_path / "bin.bib").write_bytes(b"\x00\x01\x02\xff" * 100)
    with pytest.raises(InputError):
        check_files([tmp_path / "bin.bib"], config=NOCONFIG)
    code, out = run(str(tmp_path / "bin.bib"))
    assert code == 2 and "bibkit: error:" in out


def test_json_format(tmp_path: Path) -> None:
    path = write(tmp_path, "a.bib", BASIC)
    code, out = run(path, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["errors"] == 1 and doc["entries"] == 2
    assert doc["findings"][0] == {
        "path": path, "line": 4, "col": 7, "severity": "error", "code": "BK101",
        "message": "duplicate key 'Knuth84' (same as 'knuth84' when case is ignored) on a different work "
                   "(NO-MATCH: title 0.32)",
        "also_at": [{"path": path, "line": 1}], "same_work": False}


# -- allowed duplicates and configuration ----------------------------------------------
def test_allow_duplicate_comment(tmp_path: Path) -> None:
    text = """\
% bibkit: allow-duplicate lp-journal lp-book
@article{lp-journal, author={Knuth, D. E.}, title={Literate Programming}, year=1984}
@book{lp-book, author={Knuth, Donald}, title={Literate programming.}, year=1984}
@article{other, author={Knuth, Donald}, title={Literate programming}, year=1984}
"""
    report = check_files([write(tmp_path, "a.bib", text)], config=NOCONFIG)
    assert [(f.line, f.code, f.also_at[0].line) for f in report.findings] == [(4, "BK105", 2)]
    # a comment in one file allows a pair across files
    a = write(tmp_path, "b.bib", "@misc{k1, title={T}, doi={10.1234/x}}\n")
    b = write(tmp_path, "c.bib", "% bibkit: allow-duplicate K1, k2\n@misc{k2, title={U}, doi={10.1234/X}}\n")
    assert check_files([a, b], config=NOCONFIG).findings == []


def test_pyproject_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "a.bib",
                 BASIC + "@misc{k1, title={Some title}, doi={10.1234/x}}\n"
                 "@misc{k2, title={Some title}, doi={10.1234/x}}\n")
    cfg = write(tmp_path, "pyproject.toml", '[tool.bibkit.check]\nallow-duplicates = [["k1", "k2"]]\n')
    assert codes(check_files([path], config=cfg)) == [(4, "BK101")]
    monkeypatch.chdir(tmp_path)  # found without --config, as pre-commit runs from the repository root
    code, out = run(path)
    assert code == 1 and "BK101" in out and "BK102" not in out
    write(tmp_path, "pyproject.toml", '[tool.bibkit.check]\nignore = ["BK101"]\nchecks = ["keys", "identifiers"]\n')
    code, out = run(path)
    assert code == 1 and "BK101" not in out and "BK102" in out
    write(tmp_path, "pyproject.toml", '[tool.bibkit.check]\nchecks = ["syntax"]\n')
    assert run(path)[0] == 0
    write(tmp_path, "pyproject.toml", '[tool.bibkit.check]\nstrict = true\n')
    assert check_files([path]).strict
    write(tmp_path, "pyproject.toml", '[tool.bibkit.check]\nignore = ["BK999"]\n')
    code, out = run(path)
    assert code == 2 and "BK999" in out
    write(tmp_path, "pyproject.toml", '[tool.bibkit.check]\nstrictt = true\n')
    assert run(path)[0] == 2
    write(tmp_path, "pyproject.toml", "[tool.bibkit.check\n")
    assert run(path)[0] == 2
    assert run(path, "--config", str(tmp_path / "nope.toml"))[0] == 2


def test_config_table_validation() -> None:
    with pytest.raises(UsageError, match="unknown check"):
        CheckConfig.from_table({"checks": ["spelling"]})
    with pytest.raises(UsageError, match="list of lists"):
        CheckConfig.from_table({"allow-duplicates": ["a", "b"]})


def test_codes_documented() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "check.md").read_text(encoding="utf-8")
    for code, (check, severity, _) in CODES.items():
        assert re.search(rf"^\| `{code}` \| `{check}` \| {severity} \|", doc, re.M), code


# -- the shared real files (skipped without ../shared) ---------------------------------
@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "data" / "bib").is_dir(), reason="../shared/data not present")
def test_real_duplicate_key_in_bibliotex() -> None:
    path = SHARED / "data" / "bib" / "bibliotex-all.bib"
    report = check_files([path], config=NOCONFIG)
    pinski = [f for f in report.findings if f.code == "BK101" and "1981-Pinski-PRB-23-5080" in f.message]
    text = path.read_text(encoding="utf-8")
    first = line_of(text, "@article{1981-Pinski-PRB-23-5080,")
    second = text.index("@article{1981-Pinski-PRB-23-5080,", text.index("@article{1981-Pinski-PRB-23-5080,") + 1)
    assert [(f.line, f.also_at[0].line) for f in pinski] == [(text[:second].count("\n") + 1, first)]
    assert report.exit_code == 1


# -- the scanner -----------------------------------------------------------------------
SYNTAX_CASES = [
    # (text, expected (line, col) of BK001 findings)
    ("@article{a, title={x} author={y}}\n", [(1, 23)]),  # missing comma
    ("@article{a, title={x},\n  year=2000\n\n@article{b, title={y}}\n", [(1, 1)]),  # not closed before the next
    ("@article{a, title={x}\n", [(1, 1)]),  # not closed at the end of the file
    ("@article{ title={x}}\n", [(1, 1)]),  # no key
    ("@article{a, title={x}},\n@misc{b, note = {a}}\n", []),
    ("@article(a, title={x (y)}, year=2000)\n", []),
    ('@string{j = "J. Foo"}\n@article{a, journal = j # " B", title = "A {"}quoted{"} title"}\n', []),
    ("@comment{ @article{not-an-entry, } }\n% @article{commented-out,\n@article{a,\n  % note = {unbalanced {,\n"
     "  title={x}}\n", []),
    # an unbalanced brace inside quotes: the value does not run on into the next entry (which was lost unsaid)
    ('@article{a,\n  title = "{Unclosed",\n  year = 2001,\n}\n\n@article{b,\n  title = "Second}",\n  year = 2002,\n}\n',
     [(1, 1), (7, 3)]),
]


@pytest.mark.parametrize(("text", "expected"), SYNTAX_CASES)
def test_scanner_syntax_errors(tmp_path: Path, text: str, expected: list[tuple[int, int]]) -> None:
    report = check_files([write(tmp_path, "a.bib", text)], config=NOCONFIG)
    assert [(f.line, f.col) for f in report.findings if f.code == "BK001"] == expected, \
        [str(f) for f in report.findings]
    assert report.exit_code == (1 if expected else 0)


def test_scanner_fast_and_slow_paths_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    import bibkit.io.scan as check

    def scan(text: str) -> list[tuple]:
        s = check.Scan(text, "x").run()
        return ([(r.key, r.line, r.col, r.end, r.title, r.author, r.doi, r.year) for r in s.entries],
                [(p.line, p.message) for p in s.problems])

    for sample in (TUGBOAT, BIBLIOTEX):
        text = sample.read_text(encoding="utf-8")
        fast = scan(text)
        monkeypatch.setattr(check, "KEY_FAST", re.compile(r"(?!)"))  # every block through the slow path
        assert scan(text) == fast
        monkeypatch.undo()


def test_scanner_blocks_stop_where_the_readers_do() -> None:
    """No entry the check reads runs past a block starting a line (where the reader's splitter,
    bibkit.io.scan.split, starts one whatever came before): every entry the reader finds is one
    the check finds too, on the same line."""
    from bibkit.io.bibtex import read
    from bibkit.io.scan import Scan

    text = ('@article{a,\n  title = "{Unclosed",\n  year = 2001,\n}\n\n'
            '@article{b,\n  title = "Second}",\n  year = 2002,\n}\n\n@article{c, title = {Third}}\n')
    scan = Scan(text, "x").run()
    assert [(r.key, r.line) for r in scan.entries] == [("a", 1), ("b", 6), ("c", 11)]
    assert scan.entries[0].end == 5  # not 9: a ends before b starts
    assert [(e.key, e.provenance[0].line_start) for e in read(text, "x").entries] == [("a", 1), ("b", 6), ("c", 11)]


def test_scanner_fields() -> None:
    from bibkit.io.scan import Scan

    text = ('@string{tug = "TUGboat"}\n@Article{k1,\n  author = "Knuth, Donald E. and Leslie Lamport",\n'
            '  journal = tug, year = 1984, eprint = {1706.03762}, archivePrefix = {arXiv},\n'
            '  doi = {10.1234/X},\n  % isbn = {978-0-201-13447-6},\n  % eprint = {2001.00001}\n}\n')
    (rec,) = Scan(text, "x").run().entries
    assert (rec.key, rec.line, rec.col, rec.end) == ("k1", 2, 10, 8)
    assert rec.isbn is None  # commented out
    assert (rec.container_title, rec.year, rec.arxiv, rec.doi) == ("TUGboat", 1984, "1706.03762", "10.1234/X")
    assert rec.first_author_family == "Knuth"
    entry = rec.to_entry()
    assert [n.family for n in entry.author] == ["Knuth", "Lamport"] and entry.provenance[0].line_start == 2


def test_crossref_year_macros_across_files_and_chapter_vs_book(tmp_path: Path) -> None:
    strings = write(tmp_path, "strings.bib", '@string{and = " and "}\n@string{dorigo = "Dorigo, Marco"}\n')
    refs = write(tmp_path, "refs.bib", """\
@Book{book, author = dorigo #and# Stuetzle, title = {Ant Colony Optimization}, year = 2004}
@InCollection{chapter, author = dorigo #and# Stuetzle, title = {Ant Colony Optimization}, crossref = {eorms}}
@Book{eorms, title = {Encyclopedia of Operations Research}, year = 2011}
@Misc{again, author = {Marco Dorigo and Thomas Stuetzle}, title = {Ant colony optimization}, year = 2004}
""")
    report = check_files([strings, refs], config=NOCONFIG)
    assert [(f.line, f.code) for f in report.findings if f.code == "BK003"] == [(1, "BK003"), (2, "BK003")]
    assert "undefined @string macro 'Stuetzle'" in report.findings[0].message  # kept as a word for the match
    assert [(f.line, f.code, f.also_at[0].line) for f in report.findings if f.also_at] == [(4, "BK105", 1)]


# -- --fix -----------------------------------------------------------------------------
@pytest.mark.parametrize("sample", [TUGBOAT, BIBLIOTEX], ids=["tugboat", "bibliotex"])
def test_fix_clean_file_is_not_touched(tmp_path: Path, sample: Path) -> None:
    path = tmp_path / "clean.bib"
    shutil.copy(sample, path)
    before = path.stat().st_mtime_ns
    code, out = run(str(path), "--fix")
    assert code == 0, out
    assert path.read_bytes() == sample.read_bytes() and path.stat().st_mtime_ns == before


def test_fix_merges_sure_duplicates_and_changes_no_other_line(tmp_path: Path) -> None:
    original = BIBLIOTEX.read_text(encoding="utf-8")
    blocks = _blocks(original)
    victim = next(b for b in blocks if "doi" in _fields(b) and "title" in _fields(b))
    # the same key again with a field the first lacks, and the same DOI under a new key
    extra_key = victim.replace(_key(victim), _key(victim).upper(), 1)
    extra_key = extra_key[: extra_key.rindex("}")].rstrip().rstrip(",") + ',\n   note = "planted note"\n}'
    extra_doi = f'@article{{planted-doi,\n  doi = "{_fields(victim)["doi"]}",\n  keywords = "planted"\n}}'
    text = original.rstrip("\n") + "\n\n" + extra_key + "\n\n" + extra_doi + "\n"
    path = write(tmp_path, "refs.bib", text)
    code, out = run(path, "--fix")
    assert code == 1, out  # files were changed: pre-commit shows the diff and the commit stops
    assert out.count("bibkit check --fix: ") == 2 and "merged 'planted-doi' into" in out
    assert out.strip().splitlines()[-1].endswith("0 errors, 0 warnings")
    fixed = Path(path).read_text(encoding="utf-8")
    assert fixed.count("{" + _key(victim) + ",") == 1 and "{planted-doi," not in fixed
    # every line of the original is still there, in order; the only new lines are in the kept entry
    import difflib

    diff = [d for d in difflib.ndiff(original.splitlines(), fixed.splitlines()) if d[:1] in "+-"]
    last_field = [line for line in victim.splitlines() if line.strip() not in ("", "}")][-1]
    removed = [d[2:] for d in diff if d[0] == "-"]
    added = [d[2:].strip() for d in diff if d[0] == "+"]
    assert removed in ([], [last_field])  # only the kept entry's last field may gain a comma
    assert added == ([last_field.strip() + ","] if removed else []) + [
        'note = "planted note",', 'keywords = "planted",', "ids = {planted-doi},"], diff
    assert run(path, "--fix") == (0, out.strip().splitlines()[-1] + "\n")


def test_other_formats_go_through_their_readers(tmp_path: Path) -> None:
    items = ('[{"id": "a", "type": "article-journal", "title": "Deep learning", "DOI": "10.1038/nature14539"},\n'
             ' {"id": "b", "type": "article-journal", "title": "Deep Learning.", '
             '"DOI": "https://doi.org/10.1038/NATURE14539"}]\n')
    path = write(tmp_path, "refs.json", items)
    bib = write(tmp_path, "refs.bib", "@article{z, title = {Deep learning}, doi = {10.1038/nature14539}}\n")
    report = check_files([path, bib], config=NOCONFIG)
    assert [(f.path, f.code, f.also_at[0].path) for f in report.findings] == [(path, "BK102", path),
                                                                               (bib, "BK102", path)]


def test_a_file_given_twice_is_read_once(tmp_path: Path) -> None:
    path = write(tmp_path, "a.bib", "@article{a, title = {A title here}, year = 2000}\n")
    code, out = run(path, path, str(tmp_path / "." / "a.bib"))
    assert code == 0 and out.strip() == "bibkit check: 1 file, 1 entry, 0 errors, 0 warnings"


# -- issue 14: nothing lost, for real --------------------------------------------------
SMITH = """\
@article{smith2020,
  author = {Smith, John},
  title = {Protein folding in crowded cells},
  journal = {Biophysical Journal},
  year = 2020,
}

@article{smith2020,
  author = {Smith, Jane},
  title = {Query optimisation in graph databases},
  journal = {The VLDB Journal},
  year = 2020,
}
"""


def test_fix_never_drops_a_different_work_sharing_a_key(tmp_path: Path) -> None:
    # the two examples, then every real entry of a sample given the key of the entry before it
    path = write(tmp_path, "refs.bib", SMITH + "\n" + BASIC.replace(
        "@book{Knuth84, title={The {\\TeX}book}, year=1984}", "@misc{knuth84, title={dup key}}"))
    code, out = run(path)
    assert code == 1 and out.count("on a different work") == 2, out
    code, out = run(path, "--fix")
    fixed = Path(path).read_text(encoding="utf-8")
    assert "Smith, Jane" in fixed and "Smith, John" in fixed and "{dup key}" in fixed
    assert "@article{smith2020b," in fixed and "@misc{knuth84b," in fixed
    assert [line for line in out.splitlines() if line.startswith("bibkit check --fix:")] == [
        f"bibkit check --fix: {path}:8: renamed key 'smith2020' to 'smith2020b': a different work from 'smith2020' "
        "at line 1",
        f"bibkit check --fix: {path}:18: renamed key 'knuth84' to 'knuth84b': a different work from 'knuth84' "
        "at line 15"]
    assert code == 1 and out.strip().splitlines()[-1].endswith("0 errors, 0 warnings"), out

    original = BIBLIOTEX.read_text(encoding="utf-8")
    blocks = _blocks(original)
    text, renamed = original, []
    for before, block in zip(blocks[::2], blocks[1::2], strict=False):
        text = text.replace(block, block.replace(_key(block), _key(before), 1), 1)
        renamed.append(_key(before))
    path = write(tmp_path, "sample.bib", text)
    code, out = run(path, "--fix")
    fixed = Path(path).read_text(encoding="utf-8")
    assert len(_blocks(fixed)) == len(blocks)  # no entry dropped
    assert sorted(_key(b) for b in _blocks(fixed)) == sorted([_key(b) for b in blocks[::2]]
                                                             + [k + "b" for k in renamed])
    assert fixed.replace("b,\n", ",\n") == text.replace("b,\n", ",\n")  # only keys changed
    assert out.count(": renamed key ") == len(renamed) and out.strip().endswith("0 errors, 0 warnings")


CVPR = """\
@inproceedings{he2016deep,
  title = {Deep Residual Learning for Image Recognition},
  author = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
  booktitle = {Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition},
  pages = {770--778},
  year = {2016},
}
"""
CVPR_ARTICLE = """\
% from another co-author's file
@article{HeZRS16,
  title = {Deep residual learning for image recognition},
  author = {K. He and X. Zhang and S. Ren and J. Sun},
  journal = {CVPR},
  year = {2016},
}
"""


def test_one_paper_as_inproceedings_and_article_is_reported(tmp_path: Path) -> None:
    a, b = write(tmp_path, "a.bib", CVPR), write(tmp_path, "b.bib", CVPR_ARTICLE)
    report = check_files([a, b], config=NOCONFIG)
    assert [(f.path, f.line, f.code, f.severity, f.also_at[0].path, f.also_at[0].line) for f in report.findings] \
        == [(b, 2, "BK202", "warning", a, 1)]
    code, out = run(a, b)
    assert code == 0 and f"{b}:2:10: warning: BK202 'HeZRS16' (@article) and 'he2016deep' (@inproceedings)" in out
    code, out = run(a, b, "--strict")
    assert code == 1 and "error: BK202" in out
    # a journal version a year later is another work: nothing to report
    later = write(tmp_path, "c.bib", CVPR_ARTICLE.replace("{CVPR}", "{IEEE TPAMI}").replace("2016", "2017"))
    assert check_files([a, later], config=NOCONFIG).findings == []


# two entries of ../shared/data/bib/bibliotex-all.bib: an eprint copied onto another arXiv paper, and a DOI
# copied onto an older chapter
COPIED_IDS = """\
@article{arXiv:2203.05054,
	title = "Modelling dielectric loss in superconducting resonators: Evidence for interacting atomic two-level systems at the {Nb}/oxide interface",
	author = "N. Gorgichuk and T. Junginger and R. {de Sousa}",
	eprinttype = "arxiv",
	eprint = "2204.02536",
	archivePrefix = "arXiv",
}

@article{arXiv:2204.02536,
	title = "Next-Generation Superconducting RF Technology based on Advanced Thin Film Technologies and Innovative Materials for Accelerator Enhanced Performance and Energy Reach",
	author = "A.-M. Valente-Feliciano and C. Antoine and S. Anlage and G. Ciovati and T. Junginger and M. Wenskat",
	% year = "2022",
	eprint = "2204.02536",
	eprintclass = "physics.acc-ph",
	archivePrefix = "arXiv",
}

@incollection{1999-Morenzoni-SUSSP-51-343,
	author = "E. Morenzoni",
	title = "Physics and applications of low energy muons",
	pages = "343--404",
	booktitle = "Muon Science: Muons in Physics, Chemistry and Materials",
	year = "1999",
	doi = "10.1088/0953-8984/16/40/010",
}

@article{2004-Morenzoni-JPCM-16-S4583,
	doi = {10.1088/0953-8984/16/40/010},
	year = {2004},
	pages = {S4583--S4601},
	author = {E. Morenzoni and T. Prokscha and A. Suter and H. Luetkens and R. Khasanov},
	title = {Nano-scale thin film investigations with slow polarized muons},
	journal = {J. Phys.: Condens. Matter},
}
"""  # noqa: E501


def test_identifier_shared_by_unrelated_works_is_a_conflict_not_a_merge(tmp_path: Path) -> None:
    path = write(tmp_path, "refs.bib", COPIED_IDS)
    report = check_files([path], config=NOCONFIG)
    assert [(f.line, f.code, f.also_at[0].line) for f in report.findings] == [(9, "BK106", 1), (27, "BK106", 18)]
    assert "share the arXiv id 2204.02536 but are different works" in report.findings[0].message
    code, out = run(path, "--fix")
    assert code == 1 and "--fix:" not in out and Path(path).read_text(encoding="utf-8") == COPIED_IDS


def test_deleted_entry_line_and_conflict_markers_are_reported(tmp_path: Path) -> None:
    original = TUGBOAT.read_text(encoding="utf-8")
    victim = _blocks(original)[4]
    _head, rest = victim.split("\n", 1)
    text = original.replace(victim, rest, 1)  # the '@type{key,' line deleted
    report = check_files([write(tmp_path, "deleted.bib", text)], config=NOCONFIG)
    first_field = line_of(original, victim)  # the line the entry's first field moved up to
    assert [(f.line, f.code, f.severity) for f in report.findings] == [(first_field, "BK005", "error")]
    assert rest.split("\n", 1)[0].split("=")[0].strip().lower() in report.findings[0].message.lower()
    assert report.entries == len(_blocks(original)) - 1 and report.exit_code == 1

    # an unresolved git merge: both sides of one entry between the markers
    theirs = victim.replace(_fields(victim)["title"], "A retitled version", 1)
    text = original.replace(victim, f"<<<<<<< HEAD\n{victim}\n=======\n{theirs}\n>>>>>>> feature-branch", 1)
    path = write(tmp_path, "conflict.bib", text)
    code, out = run(path)
    start = line_of(text, "<<<<<<<")
    markers = [start, start + victim.count("\n") + 2, start + victim.count("\n") + theirs.count("\n") + 4]
    assert [int(line.split(":")[1]) for line in out.splitlines() if "BK004" in line] == markers, out
    assert code == 1 and "error: BK004 merge-conflict marker '<<<<<<<'" in out


def test_undefined_string_macro_is_bk003(tmp_path: Path) -> None:
    abbrev = write(tmp_path, "abbrev.bib", '@string{jgcd = "Journal of Guidance, Control, and Dynamics"}\n'
                                           '@string{and = " and "}\n')
    refs = write(tmp_path, "refs.bib", "@article{a,\n  author = Abramson_D #and# {Amoroso, A.},\n"
                                       "  journal = jgcd, month = jun, year = 1999,\n  title = {A title here}\n}\n")
    report = check_files([refs], config=NOCONFIG)
    assert [(f.line, f.col, f.code, f.severity) for f in report.findings] == [
        (2, 12, "BK003", "warning"), (2, 24, "BK003", "warning"), (3, 13, "BK003", "warning")]
    assert "undefined @string macro 'Abramson_D'" in report.findings[0].message and report.exit_code == 0
    assert run(refs, "--strict")[0] == 1
    # defined in a file given before (as BibTeX reads \bibliography{abbrev,refs}): only Abramson_D is undefined
    report = check_files([abbrev, refs], config=NOCONFIG)
    assert [(f.line, f.col, f.code) for f in report.findings] == [(2, 12, "BK003")]
    iridia = SHARED / "data" / "bib" / "iridia"
    if iridia.is_dir():  # the shared IRIDIA files: clean together, thousands of undefined macros alone
        together = check_files([iridia / n for n in ("abbrev.bib", "journals.bib", "authors.bib", "articles.bib")],
                               config=NOCONFIG)
        alone = check_files([iridia / "articles.bib"], config=NOCONFIG)
        assert not [f for f in together.findings if f.code == "BK003"]
        assert sum(f.code == "BK003" for f in alone.findings) > 1000


_POOL_TITLES = ["Protein folding in crowded cells", "Query optimisation in graph databases",
                "Literate programming"]
_POOL_AUTHORS = ["Smith, John", "Smith, Jane and Doe, Ann"]


def test_fix_accounts_for_every_entry(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Any file of entries with clashing keys: after --fix every input entry is in the file (under its key
    or a new one named in a change line) or named in a 'merged' change line, and no key clash is left."""
    from collections import Counter

    from hypothesis import given
    from hypothesis import strategies as st

    from bibkit.check import fix_files

    from .reliability_strategies import PROFILE

    record = st.tuples(st.sampled_from(["smith2020", "Smith2020", "knuth84"]), st.sampled_from(_POOL_TITLES),
                       st.sampled_from(_POOL_AUTHORS), st.sampled_from([2020, 2021]),
                       st.sampled_from([None, "10.1000/a", "10.1000/b"]), st.sampled_from(["article", "misc"]))

    @PROFILE
    @given(st.lists(record, min_size=1, max_size=6))
    def prop(records: list[tuple]) -> None:
        blocks = []
        for key, title, author, year, doi, kind in records:
            lines = [f"@{kind}{{{key},", f"  author = {{{author}}},", f"  title = {{{title}}},", f"  year = {year},"]
            lines += [f"  doi = {{{doi}}},"] if doi else []
            blocks.append("\n".join(lines) + "\n}\n")
        path = tmp_path_factory.mktemp("fix") / "refs.bib"
        path.write_text("\n".join(blocks), encoding="utf-8")
        fixed = fix_files([path], config=NOCONFIG)
        after = re.findall(r"^@\w+\{([^,]+),", path.read_text(encoding="utf-8"), re.M)
        back = {new: old for old, new in re.findall(r"renamed key '([^']+)' to '([^']+)'", "\n".join(fixed.changes))}
        assert len(back) == fixed.renamed  # each new key once
        merged = Counter(back.get(k, k) for k in re.findall(r": merged '([^']+)' into", "\n".join(fixed.changes)))
        kept = Counter(back.get(k, k) for k in after)
        assert kept + merged == Counter(r[0] for r in records), fixed.changes
        assert len(after) + fixed.merged == len(records)
        assert not [f for f in fixed.after.findings if f.code == "BK101"], [str(f) for f in fixed.after.findings]

    prop()
