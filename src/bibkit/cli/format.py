"""``bibkit format``: styled bibliographies (CSL) as text, HTML or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..model import Problem, ReadResult
from .common import check_output, encoding_option, exit_status, problem_counts, read_inputs, report_problems, summary
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
              help="Order: style (the style's own), none (input order), author, title, year, -year (newest first).")
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
            cache_dir: str | None,
            jobs: int | None, quiet: bool, strict: bool = False) -> None:
    """Render INPUTS (.bib, CSL-JSON, publication lists) as a bibliography in a CSL style.

    \b
    Examples:
      bibkit format refs.bib --style ieee
      bibkit format refs.json --style apa --to html -o refs.html
      bibkit format refs.bib --style ieee --to markdown --highlight "Zhang, Zili" --group-by year
    """
    from ..format.render import Formatter

    check_output(output, inputs)
    formatter = Formatter(style, locale, cache=False if no_cache else (cache_dir or True), workers=jobs)
    records = None if group_by or highlight else _csl_records(inputs, from_fmt)
    if records is None:
        result = read_inputs(inputs, None if from_fmt == "auto" else from_fmt, owner)
        report_problems(result, quiet)
        entries: list = result.entries
        problems = result.problems
    else:  # CSL-JSON: unchanged items are looked up in the cache as read, without building entries
        entries = records
    text = formatter.document(entries, to_fmt, sort=None if sort == "style" else sort,
                              highlight=list(highlight) or None, group_by=group_by)
    if records is not None:
        problems = [Problem(r.source, None, r.error) for r in records if r.error]
        report_problems(ReadResult(problems=problems), quiet)
        entries = [r for r in records if not r.error]
    if output == "-":
        click.echo(text, nl=False)
    else:
        from ..fsio import write_text_atomic

        write_text_atomic(output, text)
    if not quiet:
        summary("format", read=len(entries), rendered=len(entries), **problem_counts(problems))
    raise SystemExit(exit_status(problems, strict))


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
