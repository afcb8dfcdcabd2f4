"""bibkit.load vs raw bibtexparser.parse_file on tugboat.bib (issue 14: within 1.5x).

Prints the median of ``pairs`` interleaved pairs of CPU times (bibtexparser, then bibkit, each
pair back to back so both see the same machine load) and the median of the per-pair ratios.
Run: ``PYTHONPATH=src python benchmarks/bench_scanner.py [pairs] [file.bib]``.
Exits cleanly when ../shared is absent.
"""

from __future__ import annotations

import gc
import logging
import statistics
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _cpu(fn) -> float:
    gc.collect()  # each run starts with no garbage left by the one before (bibkit pauses the collector)
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def main(pairs: int = 5, path: Path | None = None) -> int:
    import bibtexparser

    import bibkit

    path = path or SHARED / "data" / "bib" / "tugboat.bib"
    if not path.is_file():
        print(f"bench_scanner: {path} not found; nothing to measure")
        return 0
    logging.disable(logging.CRITICAL)
    n = len(bibkit.load(path).entries)  # warm-up: imports, tables, caches of the first read
    bibtexparser.parse_file(str(path))
    raw, ours, ratios = [], [], []
    for _ in range(pairs):
        a = _cpu(lambda: bibtexparser.parse_file(str(path)))
        b = _cpu(lambda: bibkit.load(path))
        raw.append(a)
        ours.append(b)
        ratios.append(b / a)
    print(f"{path.name}: {n} entries, {pairs} interleaved pairs (CPU s)")
    print(f"  bibtexparser.parse_file  median {statistics.median(raw):.3f}  {[round(x, 3) for x in raw]}")
    print(f"  bibkit.load              median {statistics.median(ours):.3f}  {[round(x, 3) for x in ours]}")
    print(f"  ratio bibkit/bibtexparser: median of pairs {statistics.median(ratios):.2f}x "
          f"(ratio of medians {statistics.median(ours) / statistics.median(raw):.2f}x; target <= 1.5x)")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(int(args[0]) if args else 5, Path(args[1]) if len(args) > 1 else None))
