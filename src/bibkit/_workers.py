"""Worker processes that stay quiet on Ctrl-C: the parent alone handles the interrupt.

A terminal's Ctrl-C reaches every process of the foreground group, the workers too.  A worker
that raised ``KeyboardInterrupt`` would print its own traceback and could die holding a queue
lock, so the parent then waits for ever on the pool.  Workers therefore ignore SIGINT, and die
of SIGTERM (the signal ``Pool.terminate`` sends) without running the CLI's handler, which would
turn it into a ``KeyboardInterrupt`` and a traceback.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from typing import Any


def quiet_worker() -> None:
    """Initializer of every worker pool: SIGINT ignored, SIGTERM ends the process at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from .progress import silence

    silence()  # the parent alone shows progress


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[Any]:
    """A pool of forked quiet workers, shut down gracefully (close + join) when all went well and
    terminated on an error.  (``with Pool()`` terminates even after success, which can hang when a
    worker is killed while it holds the task-queue lock.)"""
    import multiprocessing as mp

    pool = mp.get_context("fork").Pool(workers, initializer=quiet_worker)
    try:
        yield pool
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()
