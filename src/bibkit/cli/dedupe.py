"""``bibkit dedupe``: one entry per work across .bib files, profiles and review exports."""

from __future__ import annotations

import json
import os
from collections import Counter

import click

from .common import check_output, encoding_option, exit_status, problem_counts, read_inputs, report_problems, summary
from .options import dialect_option
from .output import arrange, progress_option, rewrite_options, rewrite_target, verbose_option, write_output

#: total size of .bib inputs from which ``dedupe`` streams them by default
STREAM_MIN_MB = 16


def _qualified_ids(result, entries) -> list[str]:
    """Record ids, qualified by their input file when two inputs use the same id."""
    ids = list(result.ids)
    counts = Counter(ids)
    if all(c == 1 for c in counts.values()):
        return ids
    out = []
    for rid, e in zip(ids, entries, strict=True):
        src = e.provenance[0].source if e.provenance else ""
        out.append(f"{os.path.basename(src)}:{rid}" if counts[rid] > 1 and src else rid)
    return out


def _short(text: str | None, width: int = 90) -> str:
    """A title cut to ``width`` characters for the review file ('' for none)."""
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@click.command("dedupe")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True, help="Output file ('-' for stdout).")
@click.option("--from", "from_fmt", default="auto", show_default=True,
              help="Input format (default: by suffix/content).")
@click.option("--to", "to_fmt", default=None, help="Output format (default: from the -o suffix, else bibtex).")
@click.option("--explain", is_flag=True, help="Print every decision with its rule id (on stderr).")
@click.option("--versions", type=click.Choice(["merge", "link", "keep"]), default="merge", show_default=True,
              help="Preprint vs published version: merge into one entry, link both (related), or keep both.")
@click.option("--clusters", "clusters_file", default=None,
              help="Write the clusters as JSON: a list of works, each the list of its input record ids.")
@click.option("--review", "review_file", default=None,
              help="Write the pairs not merged but worth a human look as JSON (at most 1000, most likely first: "
                   "rank, record ids, likelihood score, the rule that kept them apart, short titles).")
@click.option("--jobs", type=int, default=1, show_default=True, help="Threads of the engine (DuckDB's worker threads).")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
              help="The engine that runs the plan: DuckDB in this process (spills to disk beyond its memory limit), "
                   "or Spark (pip install 'bibkit[spark]'; inside spark-submit, or with --spark-master).")
@click.option("--spark-master", default=None, help="Spark master URL for --engine spark (e.g. local[2], "
              "spark://host:7077; default: the one spark-submit gives, else local[*]).")
@click.option("--owner", default=None, help='Page owner for profile inputs, as "Last, First".')
@encoding_option
@click.option("-q", "--quiet", is_flag=True, help="Errors only on stderr: no warnings, progress or summary.")
@verbose_option
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (an error always gives exit 1).")
@click.option("--report", is_flag=True,
              help="On stderr: 'file:line: note: KEY merged into OUTKEY' for every record written as part of "
                   "another record's entry (not with --stream).")
@click.option("--stream/--no-stream", "stream", default=None,
              help="Read .bib inputs in two streaming passes (memory bounded by the compact records, not the "
                   f"entries); default: when the .bib inputs total {STREAM_MIN_MB} MB or more; entries are then "
                   "written in the dialect they were read in).")
@rewrite_options
@progress_option
@dialect_option
def command(inputs: tuple[str, ...], output: str, from_fmt: str, to_fmt: str | None, explain: bool, versions: str,
            clusters_file: str | None, review_file: str | None, jobs: int, engine: str, spark_master: str | None,
            owner: str | None, in_place: bool, quiet: bool, stream: bool | None, strict: bool = False,
            report: bool = False, sort_by: str | None = None, key_pattern: str | None = None, rekey: bool = False,
            dialect: str = "bibtex") -> None:
    """Find the records of one work in INPUTS and merge them into one entry each.

    Nothing is lost: every merged entry keeps the provenance of all its records, and
    the values that lost a conflict.  Never merges on a title alone.

    \b
    Examples:
      bibkit dedupe a.bib b.bib -o merged.bib --clusters clusters.json
      bibkit dedupe records.csv --explain --to csl-json -o merged.json
      bibkit dedupe export.ris export.xml --versions link -o all.json
      bibkit dedupe refs.bib -i --sort key                     # in place, refs.bib.bak kept
      bibkit dedupe a.bib b.bib --rekey --key-pattern '{auth:lower}{year}' -o merged.bib
      bibkit dedupe big.bib -o merged.bib --progress 2> progress.log
      bibkit dedupe alice.md bob.md -o lab.bib -v              # every skipped line listed
      bibkit dedupe a.bib b.bib --dialect biblatex -o merged.bib
    """
    from ..dedupe import dedupe
    from ..errors import UsageError
    from ..fsio import write_text_atomic
    from ..io.registry import format_for_suffix, names

    inputs = _expand(inputs)
    output = _output_path(output, to_fmt)
    output, to_fmt = rewrite_target(output, inputs, in_place, to_fmt, key_pattern)
    for extra in (clusters_file, review_file):
        if extra:
            check_output(extra, inputs, in_place)
    check_output(output, inputs, in_place)
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    options: dict = {"versions": versions, "workers": jobs, "engine": engine,
               "extra": {"spark_master": spark_master} if spark_master else {}}
    rewrite = bool(sort_by or key_pattern or rekey)
    if (report or rewrite) and stream:
        raise UsageError("--report, --sort, --key-pattern and --rekey are not available with --stream (--clusters is)")
    if _streaming(inputs, from_fmt, to_fmt, output, False if report or rewrite else stream):
        _dedupe_streaming(inputs, output, options, clusters_file, review_file, explain, quiet, strict)
        return
    result = read_inputs(inputs, None if from_fmt == "auto" else from_fmt, owner)
    report_problems(result, quiet)
    if to_fmt is None:
        found = format_for_suffix(output, kind="write") if output != "-" else None
        if found is not None:
            to_fmt = found.name
        elif output == "-" and "bibtex" not in names("write"):
            to_fmt = "csl-json"  # until a BibTeX writer is installed
        else:
            to_fmt = "bibtex"
    res = dedupe(result.entries, **options)
    ids = _qualified_ids(res, result.entries)
    arrange(res.entries, sort_by, key_pattern, rekey)
    from .output import write_problems

    result.problems.extend(write_problems(res.entries, to_fmt, dialect, quiet))
    write_output(res.entries, output, to_fmt, **({"dialect": dialect} if to_fmt == "bibtex" else {}))
    if clusters_file:
        groups = [[ids[i] for i in g] for g in res.groups]
        write_text_atomic(clusters_file, json.dumps(groups, ensure_ascii=False) + "\n")
    if review_file:
        items = []
        for rank, d in enumerate(res.review, 1):
            ea, eb = result.entries[d.a], result.entries[d.b]
            items.append({"rank": rank, "a": ids[d.a], "b": ids[d.b], "score": round(d.score, 3), "rule": d.rule,
                          "reason": d.reason, "title_a": _short(ea.title), "title_b": _short(eb.title),
                          "year_a": ea.year, "year_b": eb.year, "venue_a": _short(ea.container_title, 40),
                          "venue_b": _short(eb.container_title, 40)})
        write_text_atomic(review_file, json.dumps(items, ensure_ascii=False, indent=1) + "\n")
    if explain:
        for line in sorted(d.describe(ids) for d in res.decisions):
            click.echo(line, err=True)
    if report:
        from .common import merge_lines

        for line in merge_lines(result.entries, res.groups, res.entries):
            click.echo(line, err=True)
    if not quiet:
        summary("dedupe", read=len(result.entries), works=len(res.entries), merged_groups=len(res.clusters),
                review_pairs=len(res.review), **problem_counts(result.problems))
    raise SystemExit(exit_status(result.problems, strict))


def _expand(inputs: tuple[str, ...]) -> tuple[str, ...]:
    """Inputs with the shell's wildcards expanded ('refs/*.bib' quoted, as a cluster job passes it)."""
    import glob

    from ..errors import UsageError

    out: list[str] = []
    for name in inputs:
        if name != "-" and "://" not in name and any(c in name for c in "*?[") and not os.path.exists(name):
            found = sorted(glob.glob(name))
            if not found:
                raise UsageError(f"no file matches {name}")
            out += found
        else:
            out.append(name)
    return tuple(out)


def _output_path(output: str, to_fmt: str | None) -> str:
    """``-o merged/`` (a directory): the merged entries go to ``merged/merged.bib`` (or .json with --to csl-json)."""
    if output == "-" or not (output.endswith(("/", os.sep)) or os.path.isdir(output)):
        return output
    os.makedirs(output, exist_ok=True)
    return os.path.join(output, "merged.json" if to_fmt in ("csl-json", "json") else "merged.bib")


def _streaming(inputs: tuple[str, ...], from_fmt: str, to_fmt: str | None, output: str, stream: bool | None) -> bool:
    """Whether the streaming path applies: .bib inputs in UTF-8, BibTeX output, and big enough (or --stream)."""
    if stream is False or from_fmt not in ("auto", "bibtex", "bib", "biblatex"):
        return False
    if to_fmt is None:
        from ..io.registry import format_for_suffix

        found = format_for_suffix(output, kind="write") if output != "-" else None
        to_fmt = found.name if found is not None else "bibtex"
    if to_fmt not in ("bibtex", "bib", "biblatex"):
        return False
    if stream is None:
        try:
            total = sum(os.path.getsize(p) for p in inputs)
        except OSError:
            return False
        if total < STREAM_MIN_MB * 1024 * 1024:
            return False
    from ..dedupe.stream import stream_inputs

    return stream_inputs(inputs)


def _dedupe_streaming(inputs: tuple[str, ...], output: str, options: dict, clusters_file: str | None,
                      review_file: str | None, explain: bool, quiet: bool, strict: bool) -> None:
    import sys

    from ..dedupe import _policy
    from ..dedupe.stream import dedupe_files
    from ..model import ReadResult

    policy = _policy(None, options)

    def report(problems: list) -> None:
        report_problems(ReadResult(problems=problems), quiet)

    res = dedupe_files(list(inputs), output, policy, clusters_file=clusters_file,
                       review_file=review_file, explain=sys.stderr if explain else None, report=report)
    if not quiet:
        summary("dedupe", read=res.read, works=res.works, merged_groups=res.merged_groups,
                review_pairs=res.review_pairs, **problem_counts(res.problems))
    raise SystemExit(exit_status(res.problems, strict))
