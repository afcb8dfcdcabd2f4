"""Load test: many profile pages in one `convert` run, and a big synthetic .bib checked and deduplicated.

Each step runs `python -m bibkit ...` in a subprocess and prints its wall time and peak
resident memory (ru_maxrss of the child).  Sizes are flags; the defaults finish in a couple of
minutes on a 2-core machine.  Full sizes from the issue: --pages 1000 --bib-mb 500.

    python benchmarks/bench_stress.py [--pages 200] [--bib-mb 20] [--adversarial]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

FIRST = ["Ana", "Bo", "Chen", "Dana", "Emil", "Fatima", "Goran", "Hiro", "Ines", "Jonas"]
LAST = ["Meier", "Okafor", "Li", "Novak", "Garcia", "Smith", "Tanaka", "Rossi", "Kowalski", "Dubois"]
WORDS = ["learning", "graph", "neural", "robust", "sparse", "estimation", "model", "theory", "adaptive", "optimal",
         "network", "quantum", "inference", "bayesian", "control", "dynamic", "language", "vision", "causal"]
VENUES = ["Journal of Machine Learning Research", "Physical Review Letters", "Proceedings of NeurIPS",
          "Annals of Statistics", "Nature Communications", "IEEE Transactions on Signal Processing"]


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize()


def make_page(rng: random.Random, owner: tuple[str, str], n: int) -> str:
    lines = [f"# {owner[0]} {owner[1]}", "", "## Publications", ""]
    for _ in range(n):
        authors = [f"{rng.choice(FIRST)[0]}. {rng.choice(LAST)}" for _ in range(rng.randint(1, 4))]
        authors.insert(rng.randrange(len(authors) + 1), f"{owner[0][0]}. {owner[1]}")
        lines.append(f"- {', '.join(authors)}. {_title(rng)}. *{rng.choice(VENUES)}*, "
                     f"{rng.randint(1, 40)}({rng.randint(1, 12)}):{rng.randint(1, 900)}--{rng.randint(901, 999)}, "
                     f"{rng.randint(1995, 2025)}.")
    return "\n".join(lines) + "\n"


def make_bib(path: Path, megabytes: float, rng: random.Random) -> int:
    target = int(megabytes * 1024 * 1024)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        written = 0
        while written < target:
            title = _title(rng)
            block = (f"@article{{k{n},\n  author = {{{rng.choice(LAST)}, {rng.choice(FIRST)} and "
                     f"{rng.choice(LAST)}, {rng.choice(FIRST)}}},\n  title = {{{title}}},\n"
                     f"  journal = {{{rng.choice(VENUES)}}},\n  year = {rng.randint(1990, 2025)},\n"
                     f"  pages = {{{rng.randint(1, 500)}--{rng.randint(501, 999)}}},\n}}\n\n")
            if n % 10 == 3:  # a duplicate every tenth entry
                block = block.replace(f"k{n},", f"k{n}dup,", 1)
            fh.write(block)
            written += len(block)
            n += 1
    return n


def run(name: str, args: list[str], cwd: Path, timeout: float) -> dict:
    t = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        proc = subprocess.run([sys.executable, "-m", "bibkit", *args], cwd=cwd, env=ENV, capture_output=True,
                              text=True, timeout=timeout)
        code, err = proc.returncode, proc.stderr.strip().splitlines()[-1:] or [""]
    except subprocess.TimeoutExpired:
        code, err = "timeout", [f"killed after {timeout:g} s"]
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    row = {"step": name, "seconds": round(dt, 1), "peak_rss_mb": round(max(peak, before) / 1024, 1),
           "exit": code, "last_stderr_line": err[0][:160]}
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=200, help="profile pages converted in one run (full: 1000)")
    ap.add_argument("--per-page", type=int, default=30, help="publications per page")
    ap.add_argument("--bib-mb", type=float, default=20, help="size of the synthetic .bib in MB (full: 500)")
    ap.add_argument("--timeout", type=float, default=1800, help="per step, seconds")
    ap.add_argument("--adversarial", action="store_true",
                    help="also run the fuzz suite's adversarial reader inputs at full size")
    a = ap.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        pages = []
        for i in range(a.pages):
            owner = (rng.choice(FIRST), rng.choice(LAST))
            p = d / f"page{i:04d}.md"
            p.write_text(make_page(rng, owner, a.per_page), encoding="utf-8")
            pages.append(p.name)
        run(f"convert {a.pages} profile pages", ["convert", *pages, "-o", "pages.bib"], d, a.timeout)
        n = make_bib(d / "big.bib", a.bib_mb, rng)
        print(json.dumps({"synthetic_bib_mb": a.bib_mb, "entries": n}), flush=True)
        run(f"check {a.bib_mb:g} MB .bib", ["check", "big.bib"], d, a.timeout)
        run(f"dedupe {a.bib_mb:g} MB .bib", ["dedupe", "big.bib", "-o", "dedup.bib"], d, a.timeout)
        run(f"convert {a.bib_mb:g} MB .bib to CSL-JSON", ["convert", "big.bib", "-o", "big.json"], d, a.timeout)
    if a.adversarial:
        from tests.reliability_adversarial import reader_cases

        for case in reader_cases(1.0):
            subprocess.run([sys.executable, "-m", "tests.reliability_adversarial", "readers", "1.0", case],
                           cwd=ROOT, env=ENV, timeout=a.timeout)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
