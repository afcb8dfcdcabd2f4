"""``BIBKIT_TRACE=1``: CPU seconds, current and peak memory at each stage of a dedupe, on stderr."""

from __future__ import annotations

import os
import sys


def trace(stage: str) -> None:
    """One line on stderr when ``BIBKIT_TRACE`` is set: the stage, CPU seconds so far, current and peak memory."""
    if not os.environ.get("BIBKIT_TRACE"):
        return
    import resource
    import time

    try:
        with open("/proc/self/statm") as fh:
            rss = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # pragma: no cover - not Linux
        rss = 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"[trace] {stage}: cpu {time.process_time():.1f} s, rss {rss:.0f} MB, peak {peak:.0f} MB", file=sys.stderr)
