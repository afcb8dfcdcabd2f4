"""``bibkit enrich``: fill missing DOIs, pages, volume, issue, venue and publisher.

:func:`enrich_options` and :func:`run_enrich` are shared with ``bibkit convert --enrich``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import click

from ..errors import UsageError
from ..model import Entry
from .common import check_output, encoding_option, exit_status, read_inputs, report_problems
from .options import dialect_option
from .output import arrange, progress_option, rewrite_options, rewrite_target, verbose_option, write_output


def _parse_urls(values: tuple[str, ...]) -> dict[str, str]:
    from ..enrich import ADAPTERS

    out = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or not url.strip():
            raise UsageError(f"--service-url wants NAME=URL, not {value!r}")
        name = name.strip().lower()
        if name not in ADAPTERS:
            raise UsageError(f"--service-url: unknown service {name!r}; known: {', '.join(ADAPTERS)}")
        out[name] = url.strip()
    return out


def enrich_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The enrichment options, for any command that enriches (``enrich``, ``convert --enrich``)."""
    options = [
        click.option("--source", "sources", default="crossref,dblp,arxiv", show_default=True,
                     help="Services to ask, in order: crossref, dblp, arxiv, openalex (comma-separated)."),
        click.option("--mailto", default=None, envvar="BIBKIT_MAILTO",
                     help="Your e-mail, sent in the User-Agent (polite pools). Env: BIBKIT_MAILTO."),
        click.option("--offline", is_flag=True, help="Use only cached answers; send no request."),
        click.option("--overwrite", is_flag=True, help="Replace fields the entries already have."),
        click.option("--report", is_flag=True, help="List every change, rejected candidate and failure on stderr."),
        click.option("--cache-dir", default=None, type=click.Path(file_okay=False),
                     help="Cache directory (default: http/ in $BIBKIT_CACHE_DIR, else in the user cache directory)."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
        click.option("--timeout", default=20.0, show_default=True, type=click.FloatRange(min=0.1),
                     help="Seconds to wait for one answer."),
        click.option("--workers", default=4, show_default=True, type=click.IntRange(1, 16),
                     help="Entries looked up at once (each service's pacing still holds)."),
        click.option("--service-url", "service_urls", multiple=True, metavar="NAME=URL",
                     help="Base URL of a service (mirror or test server); also BIBKIT_<NAME>_URL."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def run_enrich(entries: list[Entry], *, sources: str, mailto: str | None, offline: bool, overwrite: bool,
               report: bool, cache_dir: str | None = None, no_cache: bool = False, timeout: float = 20.0,
               workers: int = 4, service_urls: tuple[str, ...] = (), quiet: bool = False,
               **_: Any) -> Any:
    """Enrich ``entries`` as the stage "enriching" of the progress in force, with a summary on stderr;
    returns the EnrichResult."""
    from ..enrich import enrich

    kwargs: dict[str, Any] = dict(sources=sources, mailto=mailto, offline=offline, overwrite=overwrite,
                                  cache_dir=cache_dir, use_cache=not no_cache, timeout=timeout, workers=workers,
                                  urls=_parse_urls(service_urls))
    from ..progress import current

    with current().stage("enriching", total=len(entries)) as stage:
        result = enrich(entries, progress=stage.advance, **kwargs)
    if report:
        for line in result.report_lines():
            click.echo(line, err=True)
    if not quiet:
        click.echo(f"bibkit enrich: {result.summary()}", err=True)
    return result


@click.command("enrich")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True, help="Output file ('-' for stdout).")
@click.option("--from", "from_fmt", default="auto", show_default=True, help="Input format (default: detected).")
@click.option("--to", "to_fmt", default=None,
              help="Output format: bibtex or csl-json (default: from the -o suffix, else the input's).")
@click.option("--strict", is_flag=True,
              help="Exit 1 on warnings and failed lookups too (an error always gives exit 1).")
@encoding_option
@click.option("-q", "--quiet", is_flag=True, help="Errors only on stderr: no warnings, progress or summary.")
@verbose_option
@enrich_options
@rewrite_options
@progress_option
@dialect_option
def command(inputs: tuple[str, ...], output: str, from_fmt: str, to_fmt: str | None, strict: bool,
            in_place: bool, quiet: bool, sort_by: str | None = None, key_pattern: str | None = None,
            rekey: bool = False, dialect: str = "bibtex", **options: Any) -> None:
    """Fill missing DOIs, pages, volume, issue, venue and publisher of the entries in INPUTS.

    A record from a service is used only when its title (similarity >= 0.9),
    an author family name and the year (±1) agree with the entry. Answers are
    cached, so a re-run sends no request.

    \b
    Examples:
      bibkit enrich refs.bib -o refs.enriched.bib --mailto me@example.org
      bibkit enrich refs.json -o out.json --source crossref,openalex --report
      bibkit enrich refs.bib -o out.bib --offline
      bibkit enrich refs.bib -i --sort author                  # in place, refs.bib.bak kept
      bibkit enrich refs.bib --rekey --key-pattern '{auth}{year}' -o out.bib
      bibkit enrich refs.bib -o out.bib -q --progress          # progress only
      bibkit enrich cv.md -o out.bib -v                        # every skipped line listed
      bibkit enrich refs.bib -o out.bib --dialect biblatex
    """
    from ..io.registry import format_for_suffix

    output, to_fmt = rewrite_target(output, inputs, in_place, to_fmt, key_pattern)
    check_output(output, inputs, in_place)
    result = read_inputs(inputs, None if from_fmt == "auto" else from_fmt)
    report_problems(result, quiet)
    enriched = run_enrich(result.entries, quiet=quiet, **options)
    result.entries = enriched.entries
    if to_fmt is None:
        found = format_for_suffix(output, kind="write") if output != "-" else None
        if found is None and len(inputs) == 1 and inputs[0] != "-" and os.path.exists(inputs[0]):
            found = format_for_suffix(inputs[0], kind="write")
        to_fmt = found.name if found else "bibtex"
    arrange(result.entries, sort_by, key_pattern, rekey)
    from .output import write_problems

    result.problems.extend(write_problems(result.entries, to_fmt, dialect, quiet))
    write_output(result, output, to_fmt, **({"dialect": dialect} if to_fmt == "bibtex" else {}))
    code = exit_status(result.problems, strict)
    raise SystemExit(1 if strict and enriched.counts()["failed"] else code)
