#!/usr/bin/env python3
"""Round-trip robustness and speed of the profile parser.

    PYTHONPATH=src python benchmarks/bench_parse.py [--items csl|bib|auto] [--n N] [--styles a,b]
        [--wrappers md,html] [--no-speed] [--no-accuracy] [--runs 5] [-v]
        [--dump-items FILE | --items-file FILE]

Accuracy: real items (``../shared/data/csl/items.json``; with ``--items auto|bib`` also a
sample of ``../shared/data/bib`` via ``bibkit.load`` once the BibTeX reader is there) are
rendered through the CSL styles in ``roundtrip_corpus.STYLES`` (citeproc-py) wrapped as
Markdown bullets and HTML ``<li>``, and through five home-page layouts; every page is parsed
back with ``bibkit.parse_profile`` and scored per field (title, authors, year, venue,
type) against what the page shows.  Prints one row per style/layout and the averages.

Speed: a 200-entry page (target < 0.3 s) and 1k / 5k / 10k-entry lists (target < 10 s
at 10k, linear), medians of ``--runs`` runs.  No peer tool parses free-form lists, so
the ratio printed is against bibtexparser 2.1 reading the same entries written as BibTeX
(what reading the same bibliographic data costs when it is already structured).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import roundtrip_corpus as rc  # noqa: E402
from tests.scoring import FIELDS  # noqa: E402


def parse(page: rc.Page, tmp: Path) -> tuple[list[dict[str, Any]], float]:
    """Parse a page (written to a file with its suffix); CSL-JSON items and seconds taken."""
    import bibkit

    path = tmp / f"page{page.suffix}"
    path.write_text(page.text, encoding="utf-8")
    t0 = time.perf_counter()
    res = bibkit.parse_profile(path)
    dt = time.perf_counter() - t0
    return bibkit.to_csl_json(res), dt


def accuracy_table(pages: list[rc.Page], verbose: bool) -> dict[str, dict[str, float]]:
    rows: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as d:
        for page in pages:
            try:
                pred, dt = parse(page, Path(d))
            except Exception as exc:  # the parser must not raise; report and score as empty
                print(f"  {page.name}: parser raised {type(exc).__name__}: {exc}")
                pred, dt = [], 0.0
            r = rc.score_page(page, pred)
            acc = rc.accuracy(r)
            acc["found"] = r["matched"] / max(1, r["n"])
            acc["spurious"] = r["spurious"]
            acc["secs"] = dt
            rows[page.name] = acc
            if verbose:
                for k, item_id, raw, got in r["misses"][:12]:
                    print(f"    {page.name} wrong {k} [{item_id}]: {got}\n        << {raw[:140]}")
    return rows


def print_table(rows: dict[str, dict[str, float]]) -> None:
    cols = [*FIELDS, "found"]
    print(f"{'page':58s} " + " ".join(f"{c:>7s}" for c in cols) + "  spur    secs")
    for name, acc in rows.items():
        print(f"{name:58s} " + " ".join(f"{acc.get(c, float('nan')):7.3f}" for c in cols)
              + f"  {int(acc['spurious']):4d} {acc['secs']:7.3f}")

    def avg(names: list[str], c: str) -> float:
        vals = [rows[n][c] for n in names if c in rows[n]]
        return sum(vals) / len(vals) if vals else float("nan")

    groups = {
        "AVERAGE over styles (md+html)": [n for n in rows if n.startswith("style:")],
        "AVERAGE over layouts": [n for n in rows if n.startswith("layout:")],
        "AVERAGE over all pages": list(rows),
    }
    for wrapper in sorted({n.rsplit("/", 1)[1] for n in rows if n.startswith("style:")}):
        groups[f"  styles wrapped as {wrapper}"] = [n for n in rows if n.endswith("/" + wrapper)]
    for label, names in groups.items():
        print(f"{label:58s} " + " ".join(f"{avg(names, c):7.3f}" for c in cols))


def peer_parse(bibtex: str) -> int:
    """The peer: bibtexparser 2 reading the same entries as BibTeX (structured input of the same size)."""
    import bibtexparser

    return len(bibtexparser.parse_string(bibtex).entries)


def timed(fn: Any, runs: int) -> tuple[float, float]:
    """Medians of (wall, CPU) seconds over ``runs`` calls.  CPU time (this process only) is the figure that
    does not move with the machine's load; wall time is what a user waits."""
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def speed(runs: int) -> None:
    import bibkit

    print(f"\nspeed (CPU seconds, median of {runs} runs; peer = bibtexparser 2.1 reading the same entries as BibTeX)")
    with tempfile.TemporaryDirectory() as d:
        for n, layout, target in ((200, "md-bold-owner", 0.3), (200, "html-li", 0.3), (200, "latex-item", 0.3),
                                  (1000, "md-bold-owner", None), (5000, "md-bold-owner", None),
                                  (10000, "md-bold-owner", 10.0)):
            page = rc.synthetic_page(n, layout)
            path = Path(d) / f"big{page.suffix}"
            path.write_text(page.text, encoding="utf-8")
            got: list[int] = []
            wall, secs = timed(lambda p=path, g=got: g.append(len(bibkit.parse_profile(p).entries)),
                               runs if n <= 1000 else max(1, min(runs, 3)))
            bib = rc.synthetic_bibtex(n)
            _, peer = timed(lambda b=bib: peer_parse(b), runs if n <= 1000 else max(1, min(runs, 3)))
            verdict = "" if target is None else ("  OK" if secs < target else f"  SLOW (target < {target} s)")
            print(f"  {n:6d} entries {layout:14s} {secs:8.3f} s CPU ({wall:7.3f} s wall, {secs / n * 1000:6.3f} "
                  f"ms/entry, {got[-1]} entries out, {secs / max(peer, 1e-9):5.1f}x peer CPU){verdict}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", default="auto", choices=("csl", "bib", "auto"))
    ap.add_argument("--n", type=int, default=None,
                    help="cap the number of items (deterministic sample); the bib sample is 200 items otherwise")
    ap.add_argument("--styles", default=",".join(rc.STYLES))
    ap.add_argument("--wrappers", default="md,html")
    ap.add_argument("--layouts", default=",".join(rc.LAYOUTS))
    ap.add_argument("--items-file", type=Path, help="read the items from this CSL-JSON file instead")
    ap.add_argument("--dump-items", type=Path, help="write the items to this CSL-JSON file and stop (no parser needed)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--no-accuracy", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the first misses of every page")
    args = ap.parse_args()
    if args.dump_items:
        items = rc.load_items(args.items, args.n)
        args.dump_items.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"wrote {len(items)} items to {args.dump_items}")
        return 0
    try:
        from bibkit.profile import parse_profile  # noqa: F401
    except ImportError as exc:
        print(f"bibkit.profile is not available ({exc}); nothing to measure")
        return 1
    if not args.no_accuracy:
        if args.items_file:
            items = [it for it in json.loads(args.items_file.read_text(encoding="utf-8")) if rc.usable(it)]
        else:
            items = rc.load_items(args.items, args.n)
        if not items:
            print("no items (is ../shared present?)")
            return 1
        styles = [s for s in args.styles.split(",") if s]
        print(f"{len(items)} items, {len(styles)} styles x {args.wrappers}, layouts {args.layouts}")
        t0 = time.perf_counter()
        pages = rc.build_corpus(items, styles, [w for w in args.wrappers.split(",") if w],
                                [x for x in args.layouts.split(",") if x])
        print(f"rendered {len(pages)} pages in {time.perf_counter() - t0:.1f} s")
        print_table(accuracy_table(pages, args.verbose))
    if not args.no_speed:
        speed(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
