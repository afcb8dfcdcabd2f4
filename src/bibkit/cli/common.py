"""Helpers shared by the commands: reading inputs, writing outputs, summaries."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import click

from ..errors import UsageError
from ..model import ReadResult


def read_inputs(inputs: Sequence[str], fmt: str | None = None, owner: str | None = None) -> ReadResult:
    """Read every input with :func:`bibkit.load` into one result."""
    from .. import load

    result = ReadResult()
    for name in inputs:
        source = name if name == "-" or "://" in name else Path(name)
        result.extend(load(source, fmt=fmt, owner=owner))
    return result


def check_output(output: str | None, inputs: Sequence[str], in_place: bool = False) -> None:
    """Refuse to overwrite an input unless ``--in-place`` was given."""
    if not output or output == "-" or in_place:
        return
    out = Path(output)
    for name in inputs:
        if name == "-" or name.startswith(("http://", "https://")):
            continue
        try:
            same = out.exists() and os.path.samefile(out, name)
        except OSError:
            same = False
        if same:
            raise UsageError(f"output {output} is also an input; use --in-place to overwrite it")


def report_problems(result: ReadResult, quiet: bool = False) -> None:
    if quiet:
        return
    for problem in result.problems:
        click.echo(str(problem), err=True)


def summary(action: str, **counts: int) -> None:
    parts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
    click.echo(f"bibkit {action}: {parts}", err=True)
