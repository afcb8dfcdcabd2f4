"""Output of the commands: what shows on stderr (``-q``, ``-v``, ``--progress``) and the written entries."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from ..model import Entry, Problem, ReadResult

_VERBOSE = "bibkit.verbose"


def _set_verbose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[_VERBOSE] = True


#: ``-v``, for the commands that read publication lists (see :func:`bibkit.cli.common.report_problems`)
verbose_option = click.option(
    "-v", "--verbose", is_flag=True, expose_value=False, callback=_set_verbose,
    help="List every skipped line, also those outside publication sections (teaching, awards, jobs), which "
         "are otherwise summarised in one line per file; -q lists errors only.")


def verbose_given() -> bool:
    """Whether the running command was given ``-v``."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(_VERBOSE))


def make_progress(quiet: bool = False, force: bool = False) -> Any:
    """The progress display of a command: bars on stderr when it is a terminal (for work over about 2 s),
    always with ``--progress`` (``force``), never with ``-q`` alone."""
    from ..progress import NO_PROGRESS, BarProgress

    if force:
        return BarProgress(delay=0.0)
    if quiet or not sys.stderr.isatty():
        return NO_PROGRESS
    return BarProgress()


def progress_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--progress`` for a command (put it below the command's other options): its work runs with the
    progress :func:`make_progress` gives, from the command's ``quiet`` and ``--progress``."""
    from ..progress import reporting

    @functools.wraps(func)
    def run(*args: Any, show_progress: bool = False, **kwargs: Any) -> Any:
        with reporting(make_progress(bool(kwargs.get("quiet")), show_progress)):
            return func(*args, **kwargs)

    return click.option("--progress", "show_progress", is_flag=True,
                        help="Show progress on stderr (items done/total, rate, time left per stage) even when it "
                             "is not a terminal; by default shown on a terminal for work over ~2 s, not with -q."
                        )(run)


def write_problems(entries: Sequence[Entry], to_fmt: str, dialect: str | None, quiet: bool = False
                   ) -> list[Problem]:
    """What the BibTeX output of ``entries`` in ``dialect`` holds otherwise than read or lacks (an ISSN with a
    wrong check digit in ``note``...: :func:`bibkit.io.dialect.write_problems`), each on stderr unless ``quiet``;
    none for other formats."""
    if to_fmt not in ("bibtex", "bib", "biblatex") or not dialect:
        return []
    from ..io.dialect import write_problems as found

    problems = found(list(entries), dialect)
    if not quiet:
        for p in problems:
            click.echo(str(p), err=True)
    return problems


def write_output(entries: Any, output: str, to_fmt: str, **options: Any) -> None:
    """Write ``entries`` (a list or a :class:`ReadResult`) as ``to_fmt`` to ``output`` ('-': stdout), as the
    stage "writing"."""
    from .. import dump, dumps
    from ..progress import current

    count = len(entries.entries if isinstance(entries, ReadResult) else entries)
    with current().stage("writing", total=count):
        if output == "-":
            text = dumps(entries, to_fmt, **options)
        else:
            dump(entries, output, to_fmt, **options)
    if output == "-":
        click.echo(text, nl=False)


SORTS = ("key", "year", "-year", "author")


def rewrite_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options of the commands that write a .bib (``convert``, ``dedupe``, ``enrich``): ``-i/--in-place``,
    ``--sort``, ``--key-pattern``, ``--rekey`` (parameters ``in_place``, ``sort_by``, ``key_pattern``,
    ``rekey``; see :func:`rewrite_target` and :func:`arrange`)."""
    from ..keys import MODIFIERS, PLACEHOLDERS

    options = [
        click.option("-i", "--in-place", is_flag=True,
                     help="Rewrite the input file itself (one .bib or CSL-JSON input, in its own format), keeping "
                          "the original as FILE.bak; with -o, allow -o to name an input."),
        click.option("--sort", "sort_by", type=click.Choice(SORTS), default=None,
                     help="Order of the entries written: by citation key, year (oldest first; -year newest "
                          "first) or first author (then year, title); default: as read."),
        click.option("--key-pattern", default=None, metavar="PATTERN",
                     help="Make the citation keys of entries without one (of every entry with --rekey) from "
                          "PATTERN, JabRef-like, e.g. '{auth}{year}{shorttitle}'. Placeholders: "
                          + ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                          + f"; modifiers: {', '.join(':' + m for m in MODIFIERS)} (e.g. {{auth:lower}}); a key "
                            "taken already gets a, b, c..."),
        click.option("--rekey", is_flag=True,
                     help="Give every entry a new citation key (from --key-pattern, else family name + year + "
                          "first title word: knuth1968art)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def rewrite_target(output: str, inputs: Sequence[str], in_place: bool, to_fmt: str | None,
                   key_pattern: str | None = None) -> tuple[str, str | None]:
    """``(output, to_fmt)``: with ``-i`` and no ``-o``, the one input file, in its own format; a bad
    ``key_pattern`` or ``-i`` on what bibkit cannot rewrite is a :class:`~bibkit.errors.UsageError`."""
    from ..errors import UsageError
    from ..io.registry import format_for_suffix, get_format
    from ..keys import check_pattern

    if key_pattern is not None:
        check_pattern(key_pattern)
    if not in_place or output != "-":
        return output, to_fmt
    if len(inputs) != 1 or inputs[0] == "-" or "://" in inputs[0]:
        raise UsageError("-i/--in-place rewrites one input file; with several inputs, stdin or a URL give -o")
    name = inputs[0]
    found = format_for_suffix(name, kind="write")
    if found is None:
        raise UsageError(f"-i/--in-place: bibkit does not write the format of {name} (it writes .bib and "
                         "CSL-JSON); give -o")
    if to_fmt is not None and get_format(to_fmt, kind="write").name != found.name:
        raise UsageError(f"-i/--in-place keeps the format of {name} ({found.name}); --to {to_fmt} needs -o")
    return name, found.name


def arrange(entries: list[Entry], sort_by: str | None = None, key_pattern: str | None = None,
            rekey: bool = False) -> None:
    """New citation keys (``--key-pattern``, ``--rekey``) and the order (``--sort``) of the entries to write."""
    from ..keys import apply_keys

    if key_pattern is not None or rekey:
        apply_keys(entries, key_pattern, rekey)
    if sort_by:
        entries.sort(key=_SORT_KEYS[sort_by])


def _author_key(entry: Entry) -> tuple[str, str]:
    from ..keys import ascii_fold

    people = entry.author or entry.editor
    if not people:
        return ("\uffff", "")  # no author: last
    first = people[0]
    return (ascii_fold(first.family or first.literal or ""), ascii_fold(first.given or ""))


def _title_key(entry: Entry) -> str:
    from ..keys import ascii_fold

    return ascii_fold(entry.title or "")


_SORT_KEYS: dict[str, Callable[[Entry], Any]] = {
    "key": lambda e: ((e.key or "").casefold(), e.key or ""),
    "year": lambda e: (e.year if e.year is not None else 10 ** 6, _author_key(e), _title_key(e)),
    "-year": lambda e: (-e.year if e.year is not None else 1, _author_key(e), _title_key(e)),  # undated last
    "author": lambda e: (_author_key(e), e.year if e.year is not None else 10 ** 6, _title_key(e)),
}
