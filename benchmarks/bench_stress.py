"""Load test: many profile pages in one `convert` run, and a big synthetic .bib checked and deduplicated.

Each step runs `python -m bibkit ...` in a subprocess and prints its wall time and peak
resident memory (ru_maxrss of the child).  Sizes are flags; the defaults finish in a couple of
minutes on a 2-core machine.  Full sizes from the issue: --pages 1000 --bib-mb 500.

    python benchmarks/bench_stress.py [--pages 200] [--bib-mb 20] [--adversarial]
    python benchmarks/bench_stress.py --steps check,dedupe --bib-mb 500 --jobs 2   # the issue's 500 MB load
"""

from __future__ import annotations

import argparse
import json
import os
import random
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
    prev = ""
    with path.open("w", encoding="utf-8") as fh:
        written = 0
        while written < target:
            title = _title(rng)
            block = (f"@article{{k{n},\n  author = {{{rng.choice(LAST)}, {rng.choice(FIRST)} and "
                     f"{rng.choice(LAST)}, {rng.choice(FIRST)}}},\n  title = {{{title}}},\n"
                     f"  journal = {{{rng.choice(VENUES)}}},\n  year = {rng.randint(1990, 2025)},\n"
                     f"  pages = {{{rng.randint(1, 500)}--{rng.randint(501, 999)}}},\n}}\n\n")
            if n % 10 == 3:  # every tenth entry: a second copy of the entry before, under another key
                block = prev.replace(f"{{k{n - 1},", f"{{k{n - 1}dup,", 1)
            prev = block
            fh.write(block)
            written += len(block)
            n += 1
    return n


def _load() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def run(name: str, args: list[str], cwd: Path, timeout: float) -> dict:
    """One ``python -m bibkit`` run in a fresh process: wall and CPU seconds (user + system, the
    command and its worker processes), and peak memory: the largest ru_maxrss (VmHWM) of the
    command's processes (reported by a wrapper that runs it, so that earlier steps do not count)."""
    t = time.perf_counter()
    load = _load()
    wrapper = ("import resource, runpy, sys; sys.argv = ['bibkit', *sys.argv[1:]]\n"
               "try:\n    runpy.run_module('bibkit', run_name='__main__')\n"
               "finally:\n    s = resource.getrusage(resource.RUSAGE_SELF)\n"
               "    c = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
               "    sys.stderr.write('\\n@@rusage %.2f %.2f %d %d\\n' % (s.ru_utime + s.ru_stime, "
               "c.ru_utime + c.ru_stime, s.ru_maxrss, c.ru_maxrss))\n")
    try:
        proc = subprocess.run([sys.executable, "-c", wrapper, *args], cwd=cwd, env=ENV, capture_output=True,
                              text=True, timeout=timeout)
        code = proc.returncode
        lines = [x for x in proc.stderr.strip().splitlines() if x.strip()]
    except subprocess.TimeoutExpired:
        code, lines = "timeout", [f"killed after {timeout:g} s"]
    dt = time.perf_counter() - t
    for x in lines:  # BIBKIT_TRACE=1: the stages of a streaming dedupe
        if x.startswith("[trace] "):
            print(json.dumps({"step": name, "trace": x[8:]}), flush=True)
    usage = [x for x in lines if x.startswith("@@rusage ")]
    rest = [x for x in lines if not x.startswith("@@rusage ")]
    cpu = peak = None
    if usage:
        cs, cc, ms, mc = usage[-1].split()[1:]
        cpu, peak = float(cs) + float(cc), max(int(ms), int(mc)) / 1024
    row = {"step": name, "seconds": round(dt, 1), "cpu_seconds": round(cpu, 1) if cpu is not None else None,
           "peak_rss_mb": round(peak, 1) if peak is not None else None, "load_before": load, "load_after": _load(),
           "exit": code, "last_stderr_line": (rest[-1:] or [""])[0][:160]}
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=200, help="profile pages converted in one run (full: 1000)")
    ap.add_argument("--per-page", type=int, default=30, help="publications per page")
    ap.add_argument("--bib-mb", type=float, default=20, help="size of the synthetic .bib in MB (full: 500)")
    ap.add_argument("--timeout", type=float, default=1800, help="per step, seconds")
    ap.add_argument("--steps", default="pages,check,dedupe,convert",
                    help="comma-separated steps, in this order: pages, check, dedupe, convert (convert reads the "
                         "whole file into memory: leave it out at 500 MB)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes for dedupe (--jobs)")
    ap.add_argument("--dir", default=None, help="where to write the synthetic files (default: a temp directory)")
    ap.add_argument("--adversarial", action="store_true",
                    help="also run the fuzz suite's adversarial reader inputs at full size")
    a = ap.parse_args()
    rng = random.Random(7)
    steps = [x.strip() for x in a.steps.split(",") if x.strip()]
    with tempfile.TemporaryDirectory(dir=a.dir) as tmp:
        d = Path(tmp)
        for step in steps:
            if step == "pages":
                pages = []
                for i in range(a.pages):
                    owner = (rng.choice(FIRST), rng.choice(LAST))
                    p = d / f"page{i:04d}.md"
                    p.write_text(make_page(rng, owner, a.per_page), encoding="utf-8")
                    pages.append(p.name)
                run(f"convert {a.pages} profile pages", ["convert", *pages, "-o", "pages.bib"], d, a.timeout)
                continue
            if not (d / "big.bib").exists():
                t = time.perf_counter()
                n = make_bib(d / "big.bib", a.bib_mb, random.Random(8))
                print(json.dumps({"synthetic_bib_mb": a.bib_mb, "entries": n,
                                  "generated_s": round(time.perf_counter() - t, 1)}), flush=True)
            if step == "check":
                run(f"check {a.bib_mb:g} MB .bib", ["check", "big.bib"], d, a.timeout)
            elif step == "dedupe":
                run(f"dedupe {a.bib_mb:g} MB .bib (--jobs {a.jobs})",
                    ["dedupe", "big.bib", "-o", "dedup.bib", "--jobs", str(a.jobs)], d, a.timeout)
                (d / "dedup.bib").unlink(missing_ok=True)
            elif step == "convert":
                run(f"convert {a.bib_mb:g} MB .bib to CSL-JSON", ["convert", "big.bib", "-o", "big.json"], d,
                    a.timeout)
                (d / "big.json").unlink(missing_ok=True)
    if a.adversarial:
        from tests.reliability_adversarial import reader_cases

        for case in reader_cases(1.0):
            subprocess.run([sys.executable, "-m", "tests.reliability_adversarial", "readers", "1.0", case],
                           cwd=ROOT, env=ENV, timeout=a.timeout)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
