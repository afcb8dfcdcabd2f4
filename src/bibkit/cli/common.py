"""Helpers shared by the commands: reading inputs, writing outputs, summaries."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import click

from ..errors import UsageError
from ..model import Entry, Problem, ReadResult


def read_inputs(inputs: Sequence[str], fmt: str | None = None, owner: str | None = None, *,
                engine: str | None = None, model: str | None = None) -> ReadResult:
    """Read every input with :func:`bibkit.load` into one result.

    The ``@string`` macros a .bib input defines are used by the inputs after it, as BibTeX
    resolves them across ``\\bibliography{abbrev,journals,articles}``.  Publication lists are
    parsed with ``engine`` and ``model`` (see :func:`bibkit.profile.parse_text`).
    """
    from .. import load
    from ..io.profile import parser_options

    result = ReadResult()
    macros: dict[str, str] = {}
    for name in inputs:
        source = name if name == "-" or "://" in name else Path(name)
        defined = len(macros)
        with parser_options(engine, model):
            one = load(source, fmt=fmt, owner=owner, macros=macros)
        if not one.entries and not one.problems and len(macros) == defined:  # a file of @strings is no surprise
            label = "<stdin>" if name == "-" else name
            one.problems.append(Problem(label, None, "no entries found", "warning"))
        result.extend(one)
    return result


def _set_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    from ..fsio import set_default_encoding

    set_default_encoding(value)
    if value is not None:
        ctx.call_on_close(lambda: set_default_encoding(None))  # not for the next command run in this process


#: ``--encoding``, for every command that reads files
encoding_option = click.option(
    "--encoding", default=None, metavar="NAME", expose_value=False, is_eager=True, callback=_set_encoding,
    help="Decode the input files as NAME (e.g. cp1252, latin-1, utf-16); default: UTF-8, else detected, "
         "with a warning naming the encoding used.")


def check_output(output: str | None, inputs: Sequence[str], in_place: bool = False) -> None:
    """Refuse to overwrite an input unless ``--in-place`` was given; then keep ``FILE.bak``.

    The backup is a byte copy of the input taken before anything is read or written,
    so the original survives even a bug in bibkit.  An older ``FILE.bak`` is replaced.
    """
    if not output or output == "-":
        return
    writable_target(output)
    out = Path(output)
    for name in inputs:
        if name == "-" or "://" in name:
            continue
        try:
            same = out.exists() and os.path.samefile(out, name)
        except OSError:
            same = False
        if not same:
            continue
        if not in_place:
            raise UsageError(f"output {output} is also an input; use --in-place to overwrite it "
                             f"(a backup {output}.bak is kept)")
        backup = backup_path(out)
        try:
            shutil.copy2(out, backup)
        except OSError as exc:
            raise UsageError(f"cannot keep a backup {backup} ({exc.strerror}); nothing written") from None
        return


def writable_target(output: str) -> None:
    """Refuse, before any work, an output that cannot be written: its directory is missing, is not a
    directory or is not writable, or the output is itself a directory (a :class:`UsageError`, exit 2)."""
    target = Path(output)
    directory = target.parent
    reason = None
    if target.is_dir():
        reason = "is a directory"
    elif not directory.exists():
        reason = "no such directory"
    elif not directory.is_dir():
        reason = f"{directory} is not a directory"
    elif not os.access(directory, os.W_OK | os.X_OK):
        reason = f"directory {directory} is not writable"
    if reason:
        raise UsageError(f"cannot write {output}: {reason}")


def exit_status(problems: Sequence[Problem], strict: bool = False) -> int:
    """0 clean (or warnings only), 1 when an error was reported (or, with ``strict``, any warning)."""
    if any(p.severity != "warning" for p in problems) or (strict and problems):
        return 1
    return 0


def problem_counts(problems: Sequence[Problem]) -> dict[str, int]:
    """The summary's counts: ``failed`` (errors: what could not be read) and, when there are any, ``warnings``."""
    failed = sum(1 for p in problems if p.severity != "warning")
    counts = {"failed": failed}
    if failed < len(problems):
        counts["warnings"] = len(problems) - failed
    return counts


def backup_path(path: Path) -> Path:
    """Where ``--in-place`` keeps the original: ``refs.bib`` -> ``refs.bib.bak``."""
    return path.with_name(path.name + ".bak")


def report_problems(result: ReadResult, quiet: bool = False) -> None:
    if quiet:
        return
    for problem in result.problems:
        click.echo(str(problem), err=True)


def summary(action: str, **counts: int) -> None:
    parts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
    click.echo(f"bibkit {action}: {parts}", err=True)


def merge_lines(records: Sequence[Entry], groups: Sequence[Sequence[int]], merged: Sequence[Entry]) -> list[str]:
    """The ``--report`` lines of a dedupe: ``file:line: note: KEY merged into OUTKEY`` for every input record
    of ``records`` whose work is written as another record's entry (``groups[i]``: the records of
    ``merged[i]``), so that every input entry is in the output or named."""
    lines = []
    for out, group in zip(merged, groups, strict=True):
        if len(group) < 2:
            continue
        kept = next((i for i in group if records[i].key == out.key), None)
        for i in group:
            if i == kept:
                continue
            rec = records[i]
            where = "?"
            if rec.provenance:
                prov = rec.provenance[0]
                where = prov.source if prov.line_start is None else f"{prov.source}:{prov.line_start}"
            lines.append(f"{where}: note: {rec.key or '(no key)'} merged into {out.key or '(no key)'}")
    return lines
