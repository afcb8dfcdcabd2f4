"""Progress of long work: named stages (reading, blocking, comparing, merging, rendering, writing...) reported to
the :class:`Progress` in force, which does nothing unless a caller installed one.

The work calls ``current().stage(name, total)`` and ``advance(n)`` on what it gets back; it never decides
whether or where progress is shown.  The command line installs a :class:`BarProgress` (tqdm bars on stderr)
when stderr is a terminal or ``--progress`` is given; from Python::

    with bibkit.progress.reporting(bibkit.progress.BarProgress()):
        bibkit.dedupe(entries)

>>> with reporting(RecordingProgress()) as seen:
...     with current().stage("comparing", total=3, unit="batches") as stage:
...         for _ in range(3):
...             stage.advance()
>>> seen.stages
[('comparing', 3, 3)]
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sys
import time
from collections.abc import Iterator, Sequence
from typing import IO, Any, TypeVar

_T = TypeVar("_T")


class Stage:
    """One running stage: ``advance(n)`` as items are done; ``set_total`` when the total is known late."""

    def advance(self, n: int = 1) -> None:
        """``n`` more items done."""

    def set_total(self, total: int | None) -> None:
        """The number of items of the stage."""


class Progress:
    """Receives the stages of long work; this base class ignores them (the default)."""

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None, unit: str = "entries") -> Iterator[Stage]:
        """A stage named ``name`` of ``total`` items (``None``: not known) counted in ``unit``."""
        yield Stage()


NO_PROGRESS = Progress()
#: seconds of work before progress shows (quick commands stay silent)
DELAY = 2.0
_CURRENT: contextvars.ContextVar[Progress] = contextvars.ContextVar("bibkit_progress", default=NO_PROGRESS)


def current() -> Progress:
    """The progress in force (:data:`NO_PROGRESS` unless :func:`reporting` installed one)."""
    return _CURRENT.get()


def silence() -> None:
    """No progress from here on in this context (worker processes: the parent alone reports)."""
    _CURRENT.set(NO_PROGRESS)


@contextlib.contextmanager
def reporting(progress: Progress) -> Iterator[Any]:
    """Report the stages of the work done inside the ``with`` block to ``progress`` (yielded)."""
    token = _CURRENT.set(progress)
    try:
        yield progress
    finally:
        _CURRENT.reset(token)


def staged(name: str, items: Sequence[_T], unit: str = "entries", every: int = 256) -> Iterator[_T]:
    """``items`` one by one, as a stage of the progress in force (advanced every ``every`` items).

    >>> with reporting(RecordingProgress()) as seen:
    ...     total = sum(staged("reading", range(1000), "blocks"))
    >>> seen.stages
    [('reading', 1000, 1000)]
    """
    with current().stage(name, total=len(items), unit=unit) as stage:
        done = 0
        for item in items:
            yield item
            done += 1
            if done == every:
                stage.advance(done)
                done = 0
        stage.advance(done)


class _BarStage(Stage):
    def __init__(self, bar: Any):
        self.bar = bar

    def advance(self, n: int = 1) -> None:
        self.bar.update(n)

    def set_total(self, total: int | None) -> None:
        self.bar.total = total
        self.bar.refresh()


class BarProgress(Progress):
    """A tqdm bar per stage on ``file`` (stderr): items done / total, rate and time left.

    Nothing shows before ``delay`` seconds (default :data:`DELAY`, or ``$BIBKIT_PROGRESS_DELAY``) have passed
    since this object was made, so quick commands stay silent; a stage that ends is left as one finished line.
    """

    def __init__(self, file: IO[str] | None = None, delay: float | None = None):
        self.file = file if file is not None else sys.stderr
        if delay is None:
            try:
                delay = float(os.environ.get("BIBKIT_PROGRESS_DELAY", DELAY))
            except ValueError:
                delay = DELAY
        self.delay = delay
        self.started = time.monotonic()

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None, unit: str = "entries") -> Iterator[Stage]:
        from tqdm import tqdm

        wait = max(0.0, self.delay - (time.monotonic() - self.started))
        bar = tqdm(total=total, desc=name, unit=" " + unit if unit else "it", file=self.file, delay=wait,
                   mininterval=0.25, dynamic_ncols=True, leave=True, unit_scale=False)
        try:
            yield _BarStage(bar)
            if bar.total is not None and bar.n < bar.total:  # a stage that ends is complete
                bar.update(bar.total - bar.n)
        finally:
            bar.close()


class RecordingProgress(Progress):
    """Keeps ``(name, total, items done)`` of every stage (for tests and callers that log)."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, int | None, int]] = []

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None, unit: str = "entries") -> Iterator[Stage]:
        recorder = _Recorder(total)
        try:
            yield recorder
        finally:
            self.stages.append((name, recorder.total, recorder.done))


class _Recorder(Stage):
    def __init__(self, total: int | None):
        self.total = total
        self.done = 0

    def advance(self, n: int = 1) -> None:
        self.done += n

    def set_total(self, total: int | None) -> None:
        self.total = total
