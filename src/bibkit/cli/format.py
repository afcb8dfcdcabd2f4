"""``bibkit format``: styled bibliographies (CSL) as text, HTML or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..model import Problem, ReadResult
from .common import (
    check_output,
    encoding_option,
    exit_status,
    problem_counts,
    read_inputs,
    report_problems,
    summary,
    write_output,
)
from .output import progress_option, verbose_option


@click.command("format")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-s", "--style", default="apa", show_default=True,
              help="CSL style: a curated name (see `bibkit styles`), any official style name, or a .csl path.")
@click.option("--to", "to_fmt", type=click.Choice(["text", "html", "markdown"]), default="text", show_default=True,
              help="Output format: text (one entry per line), markdown (a list: numbered for numeric styles, "
                   "else bullets), html (a fragment with an <ol>/<ul> of entries).")
@click.option("-o", "--output", default="-", show_default=True, help="Output file ('-' for stdout).")
@click.option("--sort", default="style", show_default=True,
              help="Order: style (the style's own), none (input order, or citation order with --cite/--aux), key, "
                   "author, title, year, -year (newest first).")
@click.option("--cite", "cite_keys", multiple=True, metavar="KEY,KEY...",
              help="Render only these entries (citation keys, or CSL-JSON ids), in this order unless the style "
                   "sorts; '*' for all (repeatable).")
@click.option("--aux", "aux_files", multiple=True, metavar="FILE.aux",
              help="Render only the entries a LaTeX document cites: its .aux file's \\citation{...} lines "
                   "(\\citation{*}: all; \\@input files followed; biblatex's \\abx@aux@cite too).")
@click.option("--highlight", multiple=True, help='Name to set in bold, e.g. "Zhang, Zili" (repeatable).')
@click.option("--group-by", type=click.Choice(["year", "type"]), default=None,
              help="Publication list: headings per year or type, newest first.")
@click.option("--locale", default=None, help="CSL locale (e.g. en-US, de-DE); default: the style's, else en-US.")
@click.option("--from", "from_fmt", default="auto", show_default=True, help="Input format (auto-detected).")
@click.option("--owner", default=None, help='Page owner for profile inputs, as "Last, First".')
@click.option("--no-cache", is_flag=True, help="Do not use the on-disk render cache.")
@click.option("--cache-dir", default=None, metavar="DIR",
              help="Directory of the render cache (default: $BIBKIT_CACHE_DIR, else the user cache directory).")
@click.option("-j", "--jobs", type=int, default=None, help="Processes for large bibliographies (default 2).")
@encoding_option
@click.option("-q", "--quiet", is_flag=True, help="Errors only on stderr: no warnings, progress or summary.")
@verbose_option
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (an error always gives exit 1).")
@progress_option
def command(inputs: tuple[str, ...], style: str, to_fmt: str, output: str, sort: str, highlight: tuple[str, ...],
            group_by: str | None, locale: str | None, from_fmt: str, owner: str | None, no_cache: bool,
            cache_dir: str | None, jobs: int | None, quiet: bool, strict: bool = False,
            cite_keys: tuple[str, ...] = (), aux_files: tuple[str, ...] = ()) -> None:
    """Render INPUTS (.bib, CSL-JSON, publication lists) as a bibliography in a CSL style.

    \b
    Examples:
      bibkit format refs.bib --style ieee
      bibkit format refs.json --style apa --to html -o refs.html
      bibkit format refs.bib --style ieee --to markdown --highlight "Zhang, Zili" --group-by year
      bibkit format refs.bib --style ieee --cite knuth1984,lamport1994   # only these, in this order
      bibkit format refs.bib --style ieee --aux paper.aux -o refs.txt    # what the paper cites
      bibkit format refs.bib --style apa --sort key --to html -o refs.html
      bibkit format cv.md --style apa -v                                  # every skipped line listed
      bibkit format big.json --style apa --progress 2> progress.log
    """
    from ..format.render import Formatter

    check_output(output, inputs)
    wanted = _wanted_keys(cite_keys, aux_files)
    formatter = Formatter(style, locale, cache=False if no_cache else (cache_dir or True), workers=jobs)
    records = None if group_by or highlight else _csl_records(inputs, from_fmt)
    problems: list[Problem] = []
    if records is None:
        result = read_inputs(inputs, None if from_fmt == "auto" else from_fmt, owner)
        entries: list = result.entries
        problems = result.problems
    else:  # CSL-JSON: unchanged items are looked up in the cache as read, without building entries
        entries = records
    read = len(entries)
    if wanted is not None:
        entries, missing = _select(entries, wanted)
        problems += missing
    if records is None:
        report_problems(ReadResult(problems=problems), quiet)
    if sort == "key":
        entries = sorted(entries, key=lambda e: str(_key_of(e) or "").casefold())
        sort = "none"
    text = formatter.document(entries, to_fmt, sort=None if sort == "style" else sort,
                              highlight=list(highlight) or None, group_by=group_by)
    # an entry the style prints nothing for is left out of the bibliography and named (a warning)
    unprinted = [] if group_by or highlight else [_unprinted(entries[i], formatter.style_name)
                                                  for i in formatter.unprinted]
    if records is None and unprinted:
        report_problems(ReadResult(problems=unprinted), quiet)
    problems += unprinted
    if records is not None:
        problems += [Problem(r.source, None, r.error) for r in entries if r.error]
        report_problems(ReadResult(problems=problems), quiet)
        entries = [r for r in entries if not r.error]
        read = sum(1 for r in records if not r.error)  # the items read as entries
    write_output(output, text)
    if not quiet:
        summary("format", read=read, rendered=len(entries) - len(unprinted), **problem_counts(problems))
    raise SystemExit(exit_status(problems, strict))


def _wanted_keys(cite_keys: tuple[str, ...], aux_files: tuple[str, ...]) -> list[tuple[str, str]] | None:
    """``(key, where it was asked for)`` of ``--cite`` and ``--aux``, in citation order; ``None``: all."""
    if not cite_keys and not aux_files:
        return None
    from ..format.aux import cited_keys

    wanted: dict[str, str] = {}
    for value in cite_keys:
        for key in value.split(","):
            if key.strip():
                wanted.setdefault(key.strip(), "--cite")
    for aux in aux_files:
        for key in cited_keys(aux):
            wanted.setdefault(key, aux)
    return list(wanted.items())


def _key_of(entry: Any) -> str | None:
    """An entry's citation key (a CSL-JSON item's ``id``)."""
    data = getattr(entry, "data", None)
    if isinstance(data, dict):
        return None if data.get("id") is None else str(data["id"])
    return getattr(entry, "key", None)


def _select(entries: list, wanted: list[tuple[str, str]]) -> tuple[list, list[Problem]]:
    """The cited entries, and a warning per key no entry has (naming the .aux file or --cite)."""
    from ..format.aux import select

    picked, missing = select(entries, [k for k, _ in wanted], _key_of)
    where = dict(wanted)
    return picked, [Problem(where[k], None, f"no entry has the citation key {k!r}", "warning") for k in missing]


def _unprinted(entry: Any, style: str) -> Problem:
    """The report line of an entry the style prints nothing for (it is left out of the bibliography)."""
    if hasattr(entry, "data"):  # a CSL-JSON record
        return Problem(entry.source, None, f"item {entry.index}: {style} prints nothing for it (left out)",
                       severity="warning")
    key = getattr(entry, "key", None) or "?"
    provenance = getattr(entry, "provenance", None)
    return Problem(provenance[0].source if provenance else "input", provenance[0].line_start if provenance else None,
                   f"entry {key}: {style} prints nothing for it (left out)", severity="warning")


_CSL_SUFFIXES = (".json", ".csljson")


def _csl_records(inputs: tuple[str, ...], from_fmt: str) -> list[Any] | None:
    """The items of CSL-JSON array files as :class:`~bibkit.format.render.CSLRecord` (the reader's conversion
    deferred to rendering, so unchanged items skip it); ``None`` when an input is anything else (stdin, a URL,
    another format, JSON lines, an empty file): then the inputs are read the usual way."""
    if from_fmt.lower() not in ("auto", "csl-json", "csljson", "json", "csl"):
        return None
    import json

    from ..errors import BibkitError
    from ..format.render import CSLRecord
    from ..fsio import read_text

    records: list[CSLRecord] = []
    for name in inputs:
        if name == "-" or "://" in name or (from_fmt == "auto" and not name.lower().endswith(_CSL_SUFFIXES)):
            return None
        if not Path(name).is_file():
            return None
        try:
            data = json.loads(read_text(name))
        except (ValueError, RecursionError, OSError, BibkitError):
            return None  # the usual reader gives the error (or reads JSON lines)
        if not isinstance(data, list) or not data:
            return None
        records.extend(CSLRecord(item, name, index) for index, item in enumerate(data))
    return records
