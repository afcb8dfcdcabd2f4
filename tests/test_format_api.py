"""Styles, rendering API, escaping, cache, publication lists and the CLI of bibkit.format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import bibkit
from bibkit.errors import InputError, UsageError
from bibkit.format import Formatter, cite, format_bibliography
from bibkit.format.styles import CURATED, resolve_style
from bibkit.model import Date, Entry, Name

ENTRY = Entry(type="article-journal", key="lecun2015", title="Deep learning", container_title="Nature",
              author=[Name(family="LeCun", given="Yann"), Name(family="Bengio", given="Yoshua")],
              issued=Date(2015, 5, 28), volume="521", issue="7553", page="436-444", doi="10.1038/nature14539")


# -- styles -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", CURATED)
def test_curated_styles_ship_as_package_data(name: str) -> None:
    path = resolve_style(name)
    assert path.is_file() and "bibkit" in str(path) and "data" in str(path)


def test_dependent_and_catalogue_styles() -> None:
    assert resolve_style("vancouver").name == "nlm-citation-sequence.csl"
    assert resolve_style("elsevier-harvard").name == "elsevier-harvard.csl"  # catalogue, not curated
    dependent = resolve_style("nature-digest")  # a dependent style in the catalogue
    assert dependent.name == "nature.csl"


def test_unknown_style_lists_close_matches() -> None:
    with pytest.raises(UsageError, match=r"did you mean: .*apa"):
        resolve_style("apaa")


def test_malformed_csl_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csl"
    bad.write_text('<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl">\n<info>\n</style>\n')
    with pytest.raises(InputError) as exc:
        Formatter(str(bad), cache=False)
    assert str(exc.value).startswith(f"{bad}:4: malformed CSL style")
    assert "\n" not in str(exc.value)


def test_xxe_in_csl_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    evil = tmp_path / "evil.csl"
    evil.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
                    '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info/>'
                    '<citation><layout><text value="&xxe;"/></layout></citation>'
                    '<bibliography><layout><text value="&xxe;"/><text variable="title"/></layout></bibliography>'
                    '</style>\n')
    with pytest.raises(InputError, match=r"DTD|external entity") as exc:
        format_bibliography([ENTRY], style=str(evil), cache=False)
    assert "TOP-SECRET" not in str(exc.value)
    # the entity in element text parses (unexpanded): the DTD itself is refused
    evil.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
                    '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info/>'
                    '<citation><layout><text variable="title"/></layout></citation>'
                    '<bibliography><layout><text variable="title"/></layout></bibliography>'
                    '<locale><terms><term name="and">&xxe;</term></terms></locale></style>\n')
    with pytest.raises(InputError, match="DTD") as exc:
        format_bibliography([ENTRY], style=str(evil), cache=False)
    assert "TOP-SECRET" not in str(exc.value)


def test_csl_path_works(tmp_path: Path) -> None:
    path = tmp_path / "mine.csl"
    path.write_bytes(resolve_style("ieee").read_bytes())
    assert format_bibliography([ENTRY], style=str(path), cache=False)[0].startswith("[1] Y. LeCun")


# -- rendering ----------------------------------------------------------------------------------------------
def test_public_api_delegates() -> None:
    assert bibkit.format_bibliography([ENTRY], style="apa", cache=False) == [
        "LeCun, Y., & Bengio, Y. (2015). Deep learning. Nature, 521(7553), 436–444. "
        "https://doi.org/10.1038/nature14539"]
    assert bibkit.cite([ENTRY], ["lecun2015"], style="ieee", cache=False) == "[1]"
    assert isinstance(bibkit.Formatter("apa", cache=False), Formatter)


def test_formatter_reuses_its_style() -> None:
    f = Formatter("apa", cache=False)
    style = f.style
    f.bibliography([ENTRY])
    f.bibliography([ENTRY], "html")
    assert f.style is style


def test_html_escapes_field_content_keeps_markup() -> None:
    evil = Entry(type="article-journal", key="x", title="Rock & roll <script>alert(1)</script>",
                 container_title="A&B <Journal>", author=[Name(family="O<b>", given="Al")], issued=Date(2020))
    html = format_bibliography([evil], style="apa", fmt="html", cache=False)[0]
    assert "<script>" not in html and "&#60;script&#62;" in html
    assert "Rock &#38; roll" in html and "<i>A&#38;B &#60;Journal&#62;</i>" in html
    md = format_bibliography([evil], style="apa", fmt="markdown", cache=False)[0]
    assert "<script>" not in md and "&lt;script&gt;" in md and "*A&B &lt;Journal&gt;*" in md


def test_item_missing_fields_still_renders() -> None:
    bare = [Entry(type="book"), Entry(type="article-journal", title="Only a title"), Entry(type="webpage", url="u")]
    for style in ("apa", "ieee"):
        out = format_bibliography(bare, style=style, cache=False)
        assert len(out) == 3
    # MLA prints nothing for a book without any field: it is left out (as citeproc-js does) and named
    formatter = Formatter("modern-language-association", cache=False)
    assert formatter.bibliography(bare) == ["Only a Title.", "u."]
    assert formatter.unprinted == [0]


def test_cite_numbers_follow_bibliography() -> None:
    other = Entry(type="book", key="b", title="B", author=[Name(family="Aaron", given="A")], issued=Date(2000))
    assert cite([ENTRY, other], ["b"], style="ieee", cache=False) == "[2]"
    assert cite([ENTRY, other], ["lecun2015", "b"], style="apa", cache=False) == "(Aaron, 2000; LeCun & Bengio, 2015)"
    with pytest.raises(UsageError):
        cite([ENTRY], ["nope"], cache=False)


def test_sort_options() -> None:
    old = Entry(type="book", key="o", title="Old", author=[Name(family="Zed", given="Z")], issued=Date(1990))
    out = format_bibliography([old, ENTRY], style="apa", sort="-year", cache=False)
    assert out[0].startswith("LeCun")
    out = format_bibliography([old, ENTRY], style="ieee", sort="none", cache=False)
    assert out[0].startswith("[1] Z. Zed")


def test_golden_output() -> None:
    """Exact output for one entry in every curated style (catches silent changes, e.g. a citeproc-py upgrade)."""
    golden = json.loads((Path(__file__).parent / "data" / "format_golden.json").read_text(encoding="utf-8"))
    for style in CURATED:
        assert format_bibliography([ENTRY], style=style, fmt="html", cache=False) == golden[style], style


# -- cache --------------------------------------------------------------------------------------------------
def test_cache_roundtrip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIBKIT_CACHE_DIR", str(tmp_path))
    f = Formatter("ieee")
    first = f.bibliography([ENTRY])
    assert (tmp_path / "format-cache.sqlite3").is_file()
    calls = []
    real = f._render_items
    f._render_items = lambda items, numbers, *rest: calls.append(len(items)) or real(items, numbers, *rest)
    assert f.bibliography([ENTRY]) == first and calls == [0]
    changed = ENTRY.copy()
    changed.title = "Deeper learning"
    assert "Deeper" in f.bibliography([changed])[0] and calls == [0, 1]


# -- publication lists ----------------------------------------------------------------------------------------
def test_highlight_and_group_by_type() -> None:
    pubs = [Entry(type="book", key="b", title="Book", author=[Name(family="Zhang", given="Zili")], issued=Date(2020),
                  publisher="P"),
            Entry(type="article-journal", key="a", title="Art", container_title="J", issued=Date(2022),
                  author=[Name(family="Li", given="Wei"), Name(family="Zhang", given="Zili")])]
    lines = format_bibliography(pubs, style="apa", fmt="markdown", highlight="Zhang, Zili", group_by="type",
                                cache=False)
    assert lines[0] == "## Journal articles" and lines[2].startswith("- Li, W., & **Zhang, Z.**")
    assert "## Books" in lines and any(line.startswith("- **Zhang, Z.**") for line in lines)
    html = format_bibliography(pubs, style="apa", fmt="html", highlight="Zili Zhang", cache=False)
    assert any("<b>Zhang, Z.</b>" in h for h in html)


# -- CLI ------------------------------------------------------------------------------------------------------
def _write_items(tmp_path: Path) -> Path:
    from bibkit.io.csljson import write

    path = tmp_path / "refs.json"
    other = Entry(type="book", key="b", title="Cats & dogs", author=[Name(family="Aaron", given="A")],
                  issued=Date(2000), publisher="P")
    path.write_text(write([ENTRY, other]), encoding="utf-8")
    return path


def test_cli_format_text_and_html(tmp_path: Path) -> None:
    from bibkit.cli import cli as main

    refs = _write_items(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["format", str(refs), "--style", "ieee", "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2 and lines[0].startswith("[1] Y. LeCun")
    out = tmp_path / "refs.html"
    result = runner.invoke(main, ["format", str(refs), "--style", "apa", "--to", "html", "-o", str(out), "--no-cache"])
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith('<div class="csl-bib-body">') and "Cats &#38; dogs" in html


def test_cli_names_an_item_the_style_prints_nothing_for(tmp_path: Path) -> None:
    from bibkit.cli import cli as main

    refs = tmp_path / "refs.json"
    refs.write_text(json.dumps([{"id": "a", "type": "book", "title": "Kept"}, {"id": "b", "type": "book"}]))
    style = tmp_path / "t.csl"
    style.write_text('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info>'
                     '<title>t</title><id>t</id></info><citation><layout><text variable="title"/></layout>'
                     '</citation><bibliography><layout><text variable="title"/></layout></bibliography></style>')
    result = CliRunner().invoke(main, ["format", str(refs), "--style", str(style), "--no-cache"])
    assert result.exit_code == 0
    assert result.stdout == "Kept\n"
    assert "item 1: t prints nothing for it (left out)" in result.stderr
    assert "2 read, 1 rendered" in result.stderr


def test_cli_errors(tmp_path: Path) -> None:
    from bibkit.cli import cli as main

    refs = _write_items(tmp_path)
    result = CliRunner().invoke(main, ["format", str(refs), "--style", "ieeee", "--no-cache"])
    assert result.exit_code == 2 and "did you mean: ieee" in result.output


def test_cli_styles_and_group_by(tmp_path: Path) -> None:
    from bibkit.cli import cli as main

    runner = CliRunner()
    result = runner.invoke(main, ["styles"])
    assert result.exit_code == 0 and result.output.splitlines()[0].startswith("apa")
    refs = _write_items(tmp_path)
    result = runner.invoke(main, ["format", str(refs), "--style", "ieee", "--to", "markdown", "--highlight",
                                  "Aaron, A.", "--group-by", "year", "--no-cache", "-q"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "## 2015" and "**A. Aaron**" in result.output


def test_parallel_render_matches_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work spread over 2 processes gives the same bibliography (order, numbers) as one process."""
    from bibkit.format import render

    pubs = [Entry(type="article-journal", key=f"k{i}", title=f"Title {i}", container_title="J",
                  author=[Name(family=f"Author{(7 * i) % 10}", given="A")], issued=Date(2000 + i % 5))
            for i in range(12)]
    serial = {s: Formatter(s, cache=False, workers=1).bibliography(pubs) for s in ("apa", "ieee")}
    monkeypatch.setattr(render, "PARALLEL_MIN", 2)
    for style, expected in serial.items():
        assert Formatter(style, cache=False, workers=2).bibliography(pubs) == expected


def test_locales() -> None:
    out = format_bibliography([ENTRY], style="ieee", locale="fr-FR", cache=False)[0]
    assert "«\xa0Deep learning\xa0»" in out and "mai 2015" in out
    with pytest.raises(UsageError, match="unknown locale"):
        format_bibliography([ENTRY], style="apa", locale="xx-YY", cache=False)


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x30FF), max_size=25)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.builds(
    Entry,
    type=st.sampled_from(["article-journal", "book", "chapter", "paper-conference", "thesis", "webpage", "report",
                          "patent", "legal_case", "document"]),
    title=st.one_of(st.none(), _TEXT), container_title=st.one_of(st.none(), _TEXT),
    author=st.lists(st.builds(Name, family=st.one_of(st.none(), _TEXT), given=st.one_of(st.none(), _TEXT),
                              literal=st.one_of(st.none(), _TEXT)), max_size=4),
    issued=st.one_of(st.none(), st.builds(Date, year=st.integers(-50, 2100), month=st.one_of(st.none(),
                                                                                         st.integers(1, 12)))),
    page=st.one_of(st.none(), st.sampled_from(["1-10", "e123", "A1–A5", "12", "s2-42", "3,5"])),
    volume=st.one_of(st.none(), _TEXT)), min_size=1, max_size=4))
def test_arbitrary_entries_render(entries: list[Entry]) -> None:
    """Any entry renders (no traceback), every entry is printed or named as printing nothing, HTML never leaks
    raw tags."""
    for style in ("apa", "ieee", "modern-language-association"):
        formatter = Formatter(style, cache=False, workers=1)
        html = formatter.bibliography(entries, "html")
        assert len(html) + len(formatter.unprinted) == len(entries)
        for h in html:  # only the style's own tags remain; any "<" from the fields is escaped
            assert "<" not in re.sub(r'</?(?:i|b|sup|sub)>|<span style="[^"]*">|</span>', "", h)


def test_format_modules_import_no_circle() -> None:
    """The modules of bibkit.format import each other without a circle (homepage gets the renderer's
    ``render_marked`` passed in instead of importing it), type-checking imports included."""
    import ast
    import importlib.util

    package = Path(importlib.util.find_spec("bibkit.format").origin).parent
    graph: dict[str, set[str]] = {}
    for path in package.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [a.name for a in node.names]
                found.update(n.split(".")[0] for n in names)
        graph[path.stem] = {n for n in found if (package / f"{n}.py").exists()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph[start])

    assert [m for m in graph if m != "__init__" and reaches(m, m, {m})] == []
