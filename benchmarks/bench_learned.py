#!/usr/bin/env python3
"""Speed and memory of the learned parser, against the first design's rules in the same run.

    PYTHONPATH=src python benchmarks/bench_learned.py [--refs 2000] [--repeat 5]

Prints, as medians of ``--repeat`` interleaved runs (CPU seconds of this process):
- model load (both CRF files opened, first tag);
- references per second, pasted one per line (held-out AnyStyle references, in repo);
- a 200-entry page (Markdown list) in seconds;
- linearity: the time for 1x, 2x and 4x the references;
- peak memory (ru_maxrss) after all of it.
Targets (issue 13): >= 1,000 references/s, a 200-entry page < 0.3 s, load < 0.2 s, < 300 MB.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def cpu(fn) -> float:
    t = time.process_time()
    fn()
    return time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--refs", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    t0 = time.process_time()
    from bibkit.profile import finder, tagger
    from bibkit.profile.features import line_features, token_features
    from bibkit.profile.lines import Line
    from bibkit.profile.tokens import tokenize

    f, t = finder.load_model(), tagger.load_model()
    f.tag(line_features([Line(1, "A. Bee. A title. Journal, 2020.")]))
    t.tag(token_features(tokenize("A. Bee. A title. Journal, 2020.")))
    load = time.process_time() - t0
    print(f"model load (imports, both models, first tag): {load:.3f} s CPU")

    from bibkit.profile.parser import parse_text
    from bibkit.profile.training import corpus

    refs = corpus.split(corpus.read_corpus())[1]
    texts = [r.text for r in refs if "\n" not in r.text][: args.refs]
    page = "\n".join(texts)
    list_page = "\n".join(f"{k}. {x}" for k, x in enumerate(texts[:200], 1))
    parse_text(page[:2000], fmt="text")  # warm caches
    rows: dict[str, list[float]] = {"learned": [], "rules": [], "page200": [], "page200-rules": []}
    for _ in range(args.repeat):
        rows["learned"].append(cpu(lambda: parse_text(page, fmt="text")))
        rows["rules"].append(cpu(lambda: parse_text(page, fmt="text", engine="rules")))
        rows["page200"].append(cpu(lambda: parse_text(list_page, fmt="markdown")))
        rows["page200-rules"].append(cpu(lambda: parse_text(list_page, fmt="markdown", engine="rules")))
    med = {k: statistics.median(v) for k, v in rows.items()}
    n = len(texts)
    print(f"{n} references one per line: learned {n / med['learned']:.0f} refs/s, rules {n / med['rules']:.0f} "
          f"refs/s (learned/rules time {med['learned'] / med['rules']:.2f}x)")
    print(f"200-entry Markdown page: learned {med['page200']:.3f} s, rules {med['page200-rules']:.3f} s")
    lin = []
    for k in (1, 2, 4):
        big = "\n".join(texts[: n // 4] * k)
        lin.append(statistics.median(cpu(lambda b=big: parse_text(b, fmt="text")) for _ in range(3)))
    print("linearity (1x, 2x, 4x of a quarter): " + ", ".join(f"{x:.2f} s" for x in lin)
          + f"  (4x / 1x = {lin[2] / lin[0]:.2f})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
