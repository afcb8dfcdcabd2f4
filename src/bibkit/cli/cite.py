"""``bibkit cite``: the in-text citations of a document (clusters of citation items), in a CSL style."""

from __future__ import annotations

import json
from typing import Any

import click

from ..errors import InputError, UsageError
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


@click.command("cite")
@click.argument("source", nargs=1, required=True)
@click.option("--clusters", "clusters_path", required=True, metavar="CLUSTERS.json",
              help="A JSON list of citations in document order, each a list of citation items "
                   '{"id", "locator", "label", "prefix", "suffix", "suppress-author", "author-only"} '
                   '(or a citeproc-js citation {"citationItems": [...], "properties": {"noteIndex": n}}).')
@click.option("-s", "--style", default="apa", show_default=True,
              help="CSL style: a curated name (see `bibkit styles`), any official style name (note styles too), "
                   "or a .csl path.")
@click.option("--to", "to_fmt", type=click.Choice(["text", "html", "markdown"]), default="text", show_default=True,
              help="Output format.")
@click.option("--bibliography", "with_bibliography", is_flag=True,
              help="After the citations and a blank line, the bibliography of the works cited.")
@click.option("--locale", default=None, help="CSL locale (e.g. en-US, de-DE); default: the style's, else en-US.")
@click.option("-o", "--output", default="-", show_default=True, help="Output file ('-' for stdout).")
@click.option("--from", "from_fmt", default="auto", show_default=True, help="Input format (auto-detected).")
@encoding_option
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (an error always gives exit 1).")
def command(source: str, clusters_path: str, style: str, to_fmt: str, with_bibliography: bool, locale: str | None,
            output: str, from_fmt: str, quiet: bool, strict: bool = False) -> None:
    """Render the citations in CLUSTERS.json of the works in SOURCE (.bib, CSL-JSON...), one per line.

    Citations are rendered as the whole document requires: positions (ibid, subsequent), names or year
    suffixes that tell works apart, collapsed numbers and years.

    \b
    Example (cites.json: [[{"id": "knuth1984", "locator": "12"}], [{"id": "knuth1984"}, {"id": "lamport"}]]):
      bibkit cite refs.bib --clusters cites.json --style chicago-note-bibliography
      bibkit cite refs.json --clusters cites.json --style apa --to html --bibliography
    """
    from ..format.citations import Citations

    check_output(output, (source, clusters_path))
    clusters, starts = _read_clusters(clusters_path)
    result = read_inputs((source,), None if from_fmt == "auto" else from_fmt)
    report_problems(result, quiet)
    doc = Citations(result.entries, style=style, locale=locale, output=to_fmt)
    for number, cluster in enumerate(clusters):
        try:
            doc.cite(cluster)
        except UsageError as exc:
            raise InputError(str(exc), source=clusters_path, line=starts[number]) from None
    lines = doc.citations()
    if with_bibliography:
        lines += ["", *doc.bibliography()]
    text = "\n".join(lines) + ("\n" if lines else "")
    write_output(output, text)
    if not quiet:
        summary("cite", read=len(result.entries), cited=len(clusters), **problem_counts(result.problems))
    raise SystemExit(exit_status(result.problems, strict))


def _read_clusters(path: str) -> tuple[list[Any], list[int]]:
    """The citations of a clusters file and the line each starts on."""
    from ..fsio import read_text

    text = read_text(path)
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(f"not valid JSON: {getattr(exc, 'msg', exc)}", source=path, line=line) from None
    if not isinstance(data, list):
        raise InputError("expected a JSON list of citations (each a list of citation items)", source=path, line=1)
    lines = _element_lines(text, len(data))
    for number, cluster in enumerate(data):
        if not isinstance(cluster, list | dict):
            raise InputError(f"citation {number + 1}: expected a list of citation items (or a citeproc-js "
                             "citation object)", source=path, line=lines[number])
    return data, lines


def _element_lines(text: str, count: int) -> list[int]:
    """The line on which each element of the (valid) top-level JSON array in ``text`` starts."""
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    lines = []
    for _ in range(count):
        while text[pos] in " \t\r\n,\ufeff":
            pos += 1
        lines.append(text.count("\n", 0, pos) + 1)
        _, pos = decoder.raw_decode(text, pos)
    return lines
