"""``bibkit convert``: read .bib, CSL-JSON or publication lists; write BibTeX or CSL-JSON."""

from __future__ import annotations

import re
from pathlib import Path

import click

from .common import check_output, encoding_option, exit_status, problem_counts, read_inputs, report_problems, summary
from .options import dialect_option
from .output import arrange, progress_option, rewrite_options, rewrite_target, verbose_option, write_output


@click.command("convert")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True, help="Output file ('-' for stdout).")
@click.option("--from", "from_fmt", default="auto", show_default=True,
              help="Input format: auto, bibtex, csl-json, markdown, html, latex, text.")
@click.option("--to", "to_fmt", default=None,
              help="Output format: bibtex or csl-json (default: from the -o suffix, else bibtex).")
@click.option("--owner", default=None, help='Page owner for profile inputs, as "Last, First".')
@click.option("--ascii", "ascii_", is_flag=True, help="BibTeX: LaTeX escapes instead of Unicode.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (an error always gives exit 1).")
@dialect_option
@encoding_option
@click.option("-q", "--quiet", is_flag=True, help="Errors only on stderr: no warnings, progress or summary.")
@verbose_option
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
              help="On stderr: one line per entry, least sure first (lines, confidence, type, year, first author, "
                   "title, and why the parser doubts it), every reference-like line that did not become an entry, "
                   "with the reason, and every record merged into another's entry.")
@click.option("--parser", "engine", type=click.Choice(["learned", "rules"]), default=None,
              help="Publication lists: the learned parser (line and field models; the default) or the older "
                   "rule-based one.")
@click.option("--model", default=None, metavar="DIR",
              help="Publication lists: parse with the models in DIR (made by 'bibkit train -o DIR') instead of "
                   "the shipped ones.")
@click.option("--emit-training", "emit", default=None, metavar="NAME",
              help="Also write the parse of the publication lists as labelled data to correct: NAME.ttx (the "
                   "label of every line) and NAME.xml (the fields of every entry); a .ttx or .xml suffix on NAME "
                   "is dropped. Correct the labels, then 'bibkit train NAME.ttx NAME.xml -o DIR'.")
@rewrite_options
@progress_option
def command(inputs: tuple[str, ...], output: str, from_fmt: str, to_fmt: str | None, owner: str | None,
            ascii_: bool, rekey: bool, strict: bool, in_place: bool, quiet: bool, report: bool = False,
            sort_by: str | None = None, key_pattern: str | None = None,
            dedupe_: bool | None = None, versions: str = "merge", enrich_: bool = False, mailto: str | None = None,
            offline: bool = False, engine: str | None = None, model: str | None = None,
            emit: str | None = None, dialect: str = "bibtex") -> None:
    """Convert INPUTS (files, URLs or '-') to BibTeX or CSL-JSON.

    \b
    Examples:
      bibkit convert refs.bib --to csl-json -o refs.json
      bibkit convert homepage.md -o pubs.bib
      cat refs.json | bibkit convert - --from csl-json --to bibtex
      bibkit convert alice.md bob.html carol.tex -o lab.bib   # each work once
      bibkit convert homepage.md --report -o pubs.bib         # least sure entries first
      bibkit convert cv.md -o pubs.bib -v                      # every skipped line, jobs and awards too
      bibkit convert refs.bib -i --sort year                   # in place, refs.bib.bak kept
      bibkit convert refs.bib --rekey --key-pattern '{auth}{year}{shorttitle}' -o tidy.bib
      bibkit convert big.bib --to csl-json -o big.json --progress
      bibkit convert refs.bib --dialect biblatex -o refs-biber.bib
    \b
    Teach the parser a page it gets wrong:
      bibkit convert homepage.md -o pubs.bib --emit-training mine
      (correct the labels in mine.ttx and mine.xml)
      bibkit train mine.ttx mine.xml -o my.model
      bibkit convert homepage.md -o pubs.bib --model my.model
    """
    from ..io.registry import format_for_suffix

    output, to_fmt = rewrite_target(output, inputs, in_place, to_fmt, key_pattern)
    check_output(output, inputs, in_place)
    targets = _training_targets(emit, inputs, engine) if emit else None
    if model is not None:
        _check_model(model, engine)
    result = read_inputs(inputs, None if from_fmt == "auto" else from_fmt, owner, engine=engine, model=model)
    if targets:
        emit_training(inputs, None if from_fmt == "auto" else from_fmt, model, *targets, quiet=quiet)
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
    if to_fmt is None:
        found = format_for_suffix(output, kind="write") if output != "-" else None
        to_fmt = found.name if found else "bibtex"
    # what the .bib holds otherwise than read (an invalid ISSN in note...): in the report with the rest
    from .output import write_problems

    result.problems.extend(write_problems(result.entries, to_fmt, dialect, quiet=True))
    if report:
        print_report(result)
        for line in notes:
            click.echo(line, err=True)
        errors = [p for p in result.problems if p.severity != "warning"]
        for problem in errors:
            click.echo(str(problem), err=True)
    else:
        report_problems(result, quiet, hint="--report")
    arrange(result.entries, sort_by, key_pattern, rekey)
    options = {"ascii": ascii_, "dialect": dialect} if to_fmt in ("bibtex", "bib", "biblatex") else {}
    write_output(result, output, to_fmt, **options)
    if not quiet:
        summary("convert", read=len(result.entries) + merged, written=len(result.entries), merged=merged,
                **problem_counts(result.problems))
    raise SystemExit(exit_status(result.problems, strict))


def _training_targets(name: str, inputs: tuple[str, ...], engine: str | None) -> tuple[Path, Path]:
    """The two files ``--emit-training NAME`` writes, checked before any work."""
    from ..errors import UsageError
    from .common import writable_target

    if engine == "rules":
        raise UsageError("--emit-training writes what the learned parser did; it cannot go with --parser rules")
    if "-" in inputs:
        raise UsageError("--emit-training reads its inputs twice: give files or URLs, not '-'")
    stem = Path(name)
    if stem.suffix in (".ttx", ".xml"):
        stem = stem.with_suffix("")
    ttx, xml = stem.with_name(stem.name + ".ttx"), stem.with_name(stem.name + ".xml")
    for target in (ttx, xml):
        writable_target(str(target))
        if any(Path(i).exists() and Path(i).resolve() == target.resolve() for i in inputs if "://" not in i):
            raise UsageError(f"--emit-training would overwrite the input {target}")
    return ttx, xml


def _check_model(model: str, engine: str | None) -> None:
    from ..errors import UsageError

    if engine == "rules":
        raise UsageError("--model is a model of the learned parser; it cannot go with --parser rules")
    path = Path(model)
    if not path.exists():
        raise UsageError(f"--model {model}: no such file or folder")
    if path.is_dir() and not any((path / f"{m}.crfsuite").exists() for m in ("finder", "tagger")):
        raise UsageError(f"--model {model}: no finder.crfsuite or tagger.crfsuite in it (make one with "
                         f"'bibkit train -o {model}')")


def emit_training(inputs: tuple[str, ...], fmt: str | None, model: str | None, ttx: Path, xml: Path,
                  quiet: bool = False) -> None:
    """Write the learned parser's reading of the publication lists among ``inputs`` as labelled
    data: the line labels of every page to ``ttx``, the fields of every entry to ``xml``."""
    from ..errors import UsageError
    from ..fsio import read_decoded
    from ..io.registry import detect_format, get_format
    from ..profile.pipeline import trace
    from ..profile.training.corpus import write_xml
    from ..profile.training.pages import write_ttx

    pages = []
    refs = []
    for name in inputs:
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]{1,15}://", name):
            from ..fetch import fetch_text

            text = fetch_text(name)
        else:
            text, _ = read_decoded(name)
        reader = get_format(fmt) if fmt else detect_format(text, name)
        if not reader.is_profile:
            continue
        # as the reader does: a ".txt" page may be Markdown or HTML saved as text
        page, page_refs = trace(text, None if reader.name == "text" else reader.name, name, model)
        pages.append(page)
        refs.extend(page_refs)
    if not pages:
        raise UsageError("--emit-training: none of the inputs is a publication list")
    write_ttx(pages, ttx)
    write_xml(refs, xml)
    if not quiet:
        click.echo(f"bibkit convert: training data: {sum(len(p.lines) for p in pages)} labelled lines -> {ttx}, "
                   f"{len(refs)} labelled entries -> {xml}", err=True)


def print_report(result) -> None:
    """The ``--report`` listing: entries with provenance and confidence, least sure first, with the
    parser's doubts; then what was skipped."""
    def sureness(e) -> float:
        return e.confidence if e.confidence is not None else 2.0  # entries of .bib files: last, in order

    for e in sorted(result.entries, key=sureness):
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
        doubts = e.origin.get("doubts")
        why = f"  (doubts: {', '.join(map(str, doubts))})" if doubts else ""
        click.echo(f"{where}  {conf}  {e.type}  {e.year or '-'}  {first}  {title}{why}", err=True)
    for p in result.problems:
        if p.severity == "warning":
            loc = p.source if p.line is None else f"{p.source}:{p.line}"
            click.echo(f"{loc}  skipped  {p.message}", err=True)


def _profile_formats() -> set[str]:
    """Names of the publication-list formats (entries from them are deduplicated by default)."""
    from ..io.registry import formats

    return {f.name for f in formats().values() if f.is_profile} | {"news"}
