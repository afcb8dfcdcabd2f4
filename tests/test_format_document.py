"""`bibkit format --to markdown|html`: lists that render as one item per entry (pandoc when installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

import bibkit
from bibkit.cli import cli
from bibkit.format import format_document
from bibkit.model import Date, Entry, Name

ROOT = Path(__file__).resolve().parents[1]
HOMEPAGE = ROOT / "examples" / "homepage.md"


@pytest.fixture(scope="module")
def page_entries() -> list[Entry]:
    entries = bibkit.load(HOMEPAGE).entries
    assert len(entries) >= 5 and len({e.year for e in entries}) >= 2
    return entries


def _format(args: list[str]) -> str:
    result = CliRunner().invoke(cli, ["format", str(HOMEPAGE), "--no-cache", "-q", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(("style", "marker"), [("ieee", r"\d+\. "), ("apa", r"- ")])
def test_markdown_is_a_list_numbered_for_numeric_styles(page_entries: list[Entry], style: str, marker: str) -> None:
    out = _format(["--style", style, "--to", "markdown", "--group-by", "year"])
    lines = out.splitlines()
    items = [ln for ln in lines if re.match(marker, ln)]
    assert len(items) == len(page_entries)
    headings = [i for i, ln in enumerate(lines) if ln.startswith("## ")]
    assert len(headings) == len({e.year for e in page_entries})
    for i in headings:  # a blank line before and after each heading
        assert lines[i + 1] == "" and (i == 0 or lines[i - 1] == "")
    if style == "ieee":  # the list's numbers are the entries' own, continuing across the groups
        assert [int(ln.split(".")[0]) for ln in items] == list(range(1, len(items) + 1))
        assert not any(ln.split(". ", 1)[1].startswith("[") for ln in items)


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("style", ["ieee", "apa"])
@pytest.mark.parametrize("reader", ["markdown", "commonmark"])
def test_pandoc_renders_one_li_per_entry(page_entries: list[Entry], style: str, reader: str) -> None:
    out = _format(["--style", style, "--to", "markdown", "--group-by", "year"])
    html = subprocess.run(["pandoc", "-f", reader, "-t", "html"], input=out, capture_output=True, text=True,
                          check=True).stdout
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("li")) == len(page_entries)
    assert len(soup.find_all("h2")) == len({e.year for e in page_entries})
    assert not soup.find_all("p")  # no entry run together into a paragraph
    assert len(soup.find_all("ol" if style == "ieee" else "ul")) == len({e.year for e in page_entries})


def test_html_is_a_list_in_a_fragment_fields_escaped() -> None:
    evil = Entry(type="article-journal", key="x", title="Rock & roll <script>alert(1)</script>",
                 container_title="A&B", author=[Name(family="Doe", given="J")], issued=Date(2020))
    other = Entry(type="book", key="y", title="Second", author=[Name(family="Roe", given="R")], issued=Date(2019),
                  publisher="P")
    for style, tag in (("ieee", "ol"), ("apa", "ul")):
        html = format_document([evil, other], style=style, fmt="html", cache=False)
        soup = BeautifulSoup(html, "html.parser")
        body = soup.find("div", class_="csl-bib-body")
        assert body is not None and body.find(tag) is not None
        items = body.find_all("li", class_="csl-entry")
        assert len(items) == 2 and not soup.find_all("script")
        assert "&#60;script&#62;" in html and "<i>A&#38;B</i>" in html  # fields escaped, the style's italics kept
        assert "[1]" not in html  # the list numbers the entries


def test_api_document_is_what_the_cli_writes(page_entries: list[Entry], tmp_path: Path) -> None:
    for fmt in ("markdown", "html", "text"):
        api = bibkit.format_document(page_entries, style="ieee", fmt=fmt, group_by="year", cache=False)
        assert api == _format(["--style", "ieee", "--to", fmt, "--group-by", "year"])
    text = bibkit.format_document(page_entries, style="apa", cache=False)
    assert text.splitlines() == bibkit.format_bibliography(page_entries, style="apa", cache=False)


def test_entry_text_that_looks_like_a_list_marker_stays_one_item() -> None:
    entry = Entry(type="book", key="b", title="T", author=[Name(literal="1999. Committee")], issued=Date(2000),
                  publisher="P")
    out = format_document([entry], style="apa", fmt="markdown", cache=False)
    assert out.startswith("- 1999\\. Committee")
