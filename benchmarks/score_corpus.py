#!/usr/bin/env python3
"""Score the profile parser on the hand-written pages (and the real ones when present).

    PYTHONPATH=src python benchmarks/score_corpus.py [--dir DIR] [--shared] [-v]

``--dir`` scores another folder of pages with gold files (default
``tests/data/profiles_extra``), e.g. the held-out pages in ``tests/data/profiles_heldout``.

Per page: gold / predicted / matched counts, entry P/R/F1, duplicates and field
accuracies, as ``../shared/eval/score_profiles.py`` prints them (same scoring, from
``tests/scoring.py``), then the micro-averaged totals.  ``-v`` lists missing,
spurious and wrong-field entries with what was expected and what came out.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scoring import add, score_profile, summary  # noqa: E402

EXTRA = ROOT / "tests" / "data" / "profiles_extra"
SHARED = ROOT.parent / "shared" / "data" / "profiles"


def run(gold_dir: Path, verbose: bool) -> dict | None:
    import bibkit

    total = None
    for gpath in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        try:
            pred = bibkit.to_csl_json(bibkit.parse_profile(gold_dir / gold["source"]))
        except Exception as exc:
            print(f"{gold['source']}: parser raised {type(exc).__name__}: {exc}")
            pred = []
        dt = time.perf_counter() - t0
        r = score_profile(gold, pred)
        total = add(total, r)
        s = summary(r)
        print(f"{gold['source']:32s} gold={r['gold']:2d} pred={r['pred']:2d} tp={r['tp']:2d} "
              f"P={s['entry_p']:.2f} R={s['entry_r']:.2f} F1={s['entry_f1']:.2f} dup={r['dup']} "
              + " ".join(f"{k}={ok}/{n}" for k, (ok, n) in r["fields"].items()) + f"  {dt:.2f}s")
        if verbose:
            for t in r["missing"]:
                print(f"    missing:  {t}")
            for t in r["spurious"]:
                print(f"    spurious: {t}")
            for k, t, why in r["misses"]:
                print(f"    wrong {k}: {t[:50]} :: {why}")
    if total:
        s = summary(total)
        print(f"TOTAL {gold_dir.name}: gold={total['gold']} pred={total['pred']} "
              + " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in s.items()))
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", action="store_true", help="also score ../shared/data/profiles")
    ap.add_argument("--dir", type=Path, default=EXTRA,
                    help="folder of pages with *.gold.json files (default: tests/data/profiles_extra)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if not args.dir.is_dir():
        print(f"score_corpus: error: {args.dir} is not a directory", file=sys.stderr)
        return 2
    run(args.dir, args.verbose)
    if args.shared and SHARED.is_dir():
        print()
        run(SHARED, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
