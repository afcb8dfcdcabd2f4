"""Read/write speed of bibkit's BibTeX reader and writer on the largest real .bib file.

Prints entries/s (median CPU time of several runs in this one process) for:
raw ``bibtexparser.parse_file``, pybtex, bibkit's full read (LaTeX decoded to
Unicode, names split, CSL mapping) and bibkit's write of what it read, plus the
ratios the issue asks about.  Run: ``PYTHONPATH=src python benchmarks/bench_io.py [runs]``.
Exits cleanly when ../shared is absent.
"""

from __future__ import annotations

import dataclasses
import logging
import statistics
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _median(fn, runs: int) -> tuple[float, object]:
    """Median CPU time of ``runs`` calls (CPU, not wall clock: the machine is shared)."""
    times, result = [], None
    for _ in range(runs):
        t0 = time.process_time()
        result = fn()
        times.append(time.process_time() - t0)
    return statistics.median(times), result


def main(runs: int = 5) -> int:
    bib_dir = SHARED / "data" / "bib"
    if not bib_dir.is_dir():
        print(f"bench_io: {bib_dir} not found; nothing to measure")
        return 0
    path = max(bib_dir.rglob("*.bib"), key=lambda p: p.stat().st_size)
    text = path.read_text(encoding="utf-8")
    logging.disable(logging.CRITICAL)

    import bibtexparser

    from bibkit import latex, names
    from bibkit.io import bibtex

    def ours_read():
        latex._cache.clear()  # measure a cold read: no decoded values cached from an earlier run
        names._cache.clear()
        return bibtex.read(text, str(path))

    rows = []
    t_raw, lib = _median(lambda: bibtexparser.parse_file(str(path)), runs)
    rows.append(("bibtexparser.parse_file (raw, no LaTeX decoding)", t_raw, len(lib.entries)))
    try:
        import pybtex.errors
        from pybtex.database import parse_string

        with pybtex.errors.capture():  # lenient: duplicate fields are recorded, not raised or printed
            t_pybtex, db = _median(lambda: parse_string(text, "bibtex"), runs)
        rows.append(("pybtex parse_string", t_pybtex, len(db.entries)))
    except ImportError:  # pragma: no cover
        t_pybtex = None
    t_read, res = _median(ours_read, runs)
    rows.append(("bibkit read (LaTeX -> Unicode, names, CSL mapping)", t_read, len(res.entries)))
    t_write, _ = _median(lambda: bibtex.write(res.entries, preamble=res.preamble), runs)
    rows.append(("bibkit write (unchanged entries)", t_write, len(res.entries)))
    fresh = [dataclasses.replace(e, origin={}) for e in res.entries]
    t_fresh, _ = _median(lambda: bibtex.write(fresh), runs)
    rows.append(("bibkit write (regenerated from the model)", t_fresh, len(fresh)))

    print(f"{path.name}: {path.stat().st_size:,} bytes, median CPU seconds of {runs} runs")
    for label, t, n in rows:
        print(f"  {label:55s} {t:7.3f} s  {n / t:10,.0f} entries/s  ({n} entries)")
    print(f"  bibkit read / raw bibtexparser: {t_read / t_raw:.2f}x (goal <= 1.5x)")
    if t_pybtex:
        print(f"  bibkit read / pybtex:           {t_read / t_pybtex:.2f}x")
    print(f"  bibkit write / bibkit read:     {t_write / t_read:.2f}x unchanged, {t_fresh / t_read:.2f}x regenerated"
          " (goal < 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
