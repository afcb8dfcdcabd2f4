"""Output of the commands: what shows on stderr (``-q``, ``-v``, ``--progress``) and the written entries."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from ..model import ReadResult

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
