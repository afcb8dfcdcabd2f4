"""Worker processes that stay quiet on Ctrl-C: the parent alone handles the interrupt.

A terminal's Ctrl-C reaches every process of the foreground group, the workers too.  A worker
that raised ``KeyboardInterrupt`` would print its own traceback and could die holding a queue
lock, so the parent then waits for ever on the pool.  Workers therefore ignore SIGINT, and die
of SIGTERM (the signal ``Pool.terminate`` sends) without running the CLI's handler, which would
turn it into a ``KeyboardInterrupt`` and a traceback.
"""

from __future__ import annotations

import signal


def quiet_worker() -> None:
    """Initializer of every worker pool: SIGINT ignored, SIGTERM ends the process at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from .progress import silence

    silence()  # the parent alone shows progress
