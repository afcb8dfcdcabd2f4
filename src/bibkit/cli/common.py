"""Helpers shared by the commands: reading inputs, writing outputs, summaries."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import click

from ..errors import UsageError
from ..model import Problem, ReadResult


def read_inputs(inputs: Sequence[str], fmt: str | None = None, owner: str | None = None) -> ReadResult:
    """Read every input with :func:`bibkit.load` into one result."""
    from .. import load

    result = ReadResult()
    for name in inputs:
        source = name if name == "-" or "://" in name else Path(name)
        one = load(source, fmt=fmt, owner=owner)
        if not one.entries and not one.problems:
            label = "<stdin>" if name == "-" else name
            one.problems.append(Problem(label, None, "no entries found", "warning"))
        result.extend(one)
    return result


def check_output(output: str | None, inputs: Sequence[str], in_place: bool = False) -> None:
    """Refuse to overwrite an input unless ``--in-place`` was given; then keep ``FILE.bak``.

    The backup is a byte copy of the input taken before anything is read or written,
    so the original survives even a bug in bibkit.  An older ``FILE.bak`` is replaced.
    """
    if not output or output == "-":
        return
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
