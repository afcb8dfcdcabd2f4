"""``bibkit convert``: read .bib, CSL-JSON or publication lists; write BibTeX or CSL-JSON."""

from __future__ import annotations

import click

from .common import check_output, encoding_option, exit_status, problem_counts, read_inputs, report_problems, summary


@click.command("convert")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True, help="Output file ('-' for stdout).")
@click.option("--from", "from_fmt", default="auto", show_default=True,
              help="Input format: auto, bibtex, csl-json, markdown, html, latex, text.")
@click.option("--to", "to_fmt", default=None,
              help="Output format: bibtex or csl-json (default: from the -o suffix, else bibtex).")
@click.option("--owner", default=None, help='Page owner for profile inputs, as "Last, First".')
@click.option("--ascii", "ascii_", is_flag=True, help="BibTeX: LaTeX escapes instead of Unicode.")
@click.option("--rekey", is_flag=True, help="BibTeX: replace existing citation keys by generated ones.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (an error always gives exit 1).")
@click.option("--in-place", is_flag=True, help="Allow the output to overwrite an input.")
@encoding_option
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
@click.option("--dedupe/--no-dedupe", "dedupe_", default=None,
              help="Merge the entries of one work into one (default: on for publication lists and for several "
                   "inputs, off for a single .bib / CSL-JSON file).")
@click.option("--versions", type=click.Choice(["merge", "link", "keep"]), default="merge", show_default=True,
              help="With dedupe: preprint and published version merged, linked (related) or kept apart.")
@click.option("--enrich", "enrich_", is_flag=True,
              help="Fill missing DOIs, pages, venues from Crossref/DBLP/arXiv (see 'bibkit enrich --help').")
@click.option("--mailto", default=None, envvar="BIBKIT_MAILTO", help="With --enrich: your e-mail for the services.")
@click.option("--offline", is_flag=True, help="With --enrich: use only cached answers.")
@click.option("--report", is_flag=True,
              help="On stderr: one line per entry (lines, confidence, type, year, first author, title), every "
                   "reference-like line that did not become an entry, with the reason, and every record merged "
                   "into another's entry.")
def command(inputs: tuple[str, ...], output: str, from_fmt: str, to_fmt: str | None, owner: str | None,
            ascii_: bool, rekey: bool, strict: bool, in_place: bool, quiet: bool, report: bool = False,
            dedupe_: bool | None = None, versions: str = "merge", enrich_: bool = False, mailto: str | None = None,
            offline: bool = False) -> None:
    """Convert INPUTS (files, URLs or '-') to BibTeX or CSL-JSON.

    \b
    Examples:
      bibkit convert refs.bib --to csl-json -o refs.json
      bibkit convert homepage.md -o pubs.bib
      cat refs.json | bibkit convert - --from csl-json --to bibtex
      bibkit convert alice.md bob.html carol.tex -o lab.bib   # each work once
    """
    from .. import dump, dumps
    from ..io.registry import format_for_suffix

    check_output(output, inputs, in_place)
    result = read_inputs(inputs, None if from_fmt == "auto" else from_fmt, owner)
    merged = 0
    notes: list[str] = []
    if dedupe_ is None:
        profile_formats = _profile_formats()
        dedupe_ = len(inputs) > 1 or any(p.fmt in profile_formats for e in result.entries for p in e.provenance)
    if dedupe_ and len(result.entries) > 1:
        from ..dedupe import dedupe
        from .common import merge_lines

        before = len(result.entries)
        res = dedupe(result.entries, versions=versions)
        notes = merge_lines(result.entries, res.groups, res.entries) if report else []
        result.entries = res.entries
        merged = before - len(result.entries)
    if enrich_:
        from .enrich import run_enrich

        result.entries = run_enrich(result.entries, sources="crossref,dblp,arxiv", mailto=mailto, offline=offline,
                                    overwrite=False, report=report, quiet=quiet).entries
    if report:
        print_report(result)
        for line in notes:
            click.echo(line, err=True)
        errors = [p for p in result.problems if p.severity != "warning"]
        for problem in errors:
            click.echo(str(problem), err=True)
    else:
        report_problems(result, quiet)
    if to_fmt is None:
        found = format_for_suffix(output, kind="write") if output != "-" else None
        to_fmt = found.name if found else "bibtex"
    options = {"ascii": ascii_, "rekey": rekey} if to_fmt in ("bibtex", "bib") else {}
    if output == "-":
        click.echo(dumps(result, to_fmt, **options), nl=False)
    else:
        dump(result, output, to_fmt, **options)
    if not quiet:
        summary("convert", read=len(result.entries) + merged, written=len(result.entries), merged=merged,
                **problem_counts(result.problems))
    raise SystemExit(exit_status(result.problems, strict))


def print_report(result) -> None:
    """The ``--report`` listing: entries with provenance and confidence, then what was skipped."""
    for e in result.entries:
        prov = e.provenance[0] if e.provenance else None
        where = "?"
        if prov is not None:
            where = prov.source if prov.line_start is None else f"{prov.source}:{prov.line_start}"
            if prov.line_end is not None and prov.line_end != prov.line_start:
                where += f"-{prov.line_end}"
        conf = f"{e.confidence:.2f}" if e.confidence is not None else " -  "
        first = e.first_author_family or "-"
        title = (e.title or "-").replace("\n", " ")
        if len(title) > 80:
            title = title[:77] + "..."
        click.echo(f"{where}  {conf}  {e.type}  {e.year or '-'}  {first}  {title}", err=True)
    for p in result.problems:
        if p.severity == "warning":
            loc = p.source if p.line is None else f"{p.source}:{p.line}"
            click.echo(f"{loc}  skipped  {p.message}", err=True)


def _profile_formats() -> set[str]:
    """Names of the publication-list formats (entries from them are deduplicated by default)."""
    from ..io.registry import formats

    return {f.name for f in formats().values() if f.is_profile} | {"news"}
