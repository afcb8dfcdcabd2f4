"""Benchmark ``bibkit check`` on synthesised 5,000- and 50,000-entry .bib files.

The files are made by replicating real entries (../shared/data/bib: tugboat.bib and
bibliotex-all.bib; the samples in tests/data when ../shared is absent) under new keys,
with the title, DOI, arXiv id and ISBN of every copy changed so that copies are not
duplicates of each other.  Each run is the real command line (``python -m bibkit check
FILE``, interpreter start included, from compiled bytecode as an installed package
runs); the figure is the median of several runs.  When
``bibtex-tidy`` can be installed from npm (``npm install bibtex-tidy`` in a temporary
directory, or ``BIBTEX_TIDY=/path/to/bibtex-tidy``), its ``--duplicates`` run on the
same file is timed in the same session, with ``-o`` to another file (without ``-o`` it
rewrites its input).

    python benchmarks/bench_check.py [--runs 3] [--sizes 5000,50000] [--no-tidy]
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_BIB = ROOT.parent / "shared" / "data" / "bib"
LIMITS = {5000: 1.0, 50000: 10.0}  # seconds, from the issue

_BLOCK = re.compile(r"^[ \t\ufeff]*@[ \t]*(\w+)[ \t]*[{(]", re.M)


SOURCES = "all"  # or "tugboat": bibtex-tidy 1.14 stops at a syntax error in bibliotex-all.bib


def sources() -> list[Path]:
    real = [SHARED_BIB / "tugboat.bib", SHARED_BIB / "bibliotex-all.bib"]
    if all(p.is_file() for p in real):
        return real[:1] if SOURCES == "tugboat" else real
    data = ROOT / "tests" / "data"
    return [data / "check-tugboat-sample.bib", data / "check-bibliotex-sample.bib"]


def blocks(text: str) -> tuple[list[str], list[str]]:
    """(@string/@preamble blocks, entry blocks) of a .bib text, split at line-initial '@'."""
    starts = [m.start() for m in _BLOCK.finditer(text)] + [len(text)]
    head, entries = [], []
    for a, b in itertools.pairwise(starts):
        block = text[a:b].rstrip() + "\n"
        kind = _BLOCK.match(block).group(1).lower()
        if kind in ("string", "preamble"):
            head.append(block)
        elif kind != "comment":
            entries.append(block)
    return head, entries


_KEY = re.compile(r"^(@\w+[ \t]*[{(][ \t]*)([^,\s]+)")
_TITLE = re.compile(r"(^[ \t]*title[ \t]*=[ \t]*[{\"])", re.M | re.I)
_DOI = re.compile(r"(^[ \t]*doi[ \t]*=[ \t]*[{\"][^}\"\n]*)", re.M | re.I)
_EPRINT = re.compile(r"(^[ \t]*eprint[ \t]*=[ \t]*[{\"])[^}\"\n]*", re.M | re.I)
_ISBN = re.compile(r"^[ \t]*isbn[ \t]*=[ \t]*[{\"][^}\"\n]*[}\"],?[ \t]*\n", re.M | re.I)
_serial = itertools.count(1)


def replicate(entry: str, copy: int) -> str:
    """The ``copy``-th copy of an entry: new key, title, DOI and arXiv id (no ISBN)."""
    if copy == 0:
        return entry
    entry = _KEY.sub(lambda m: f"{m.group(1)}{m.group(2)}-c{copy}", entry, count=1)
    entry = _TITLE.sub(lambda m: f"{m.group(1)}Copy {copy} of ", entry, count=1)
    entry = _DOI.sub(lambda m: f"{m.group(1)}.c{copy}", entry)
    entry = _EPRINT.sub(lambda m: f"{m.group(1)}99{copy % 100:02d}.{next(_serial) % 100000:05d}", entry)
    return _ISBN.sub("", entry)


def synthesise(n: int, path: Path) -> None:
    heads, pool = [], []
    for src in sources():
        head, entries = blocks(src.read_text(encoding="utf-8"))
        heads += head
        pool += entries
    out = [*heads]
    for i in range(n):
        out.append(replicate(pool[i % len(pool)], i // len(pool)))
    path.write_text("\n".join(out), encoding="utf-8")


def timed(cmd: list[str], runs: int, env: dict[str, str] | None = None
          ) -> tuple[float, float, subprocess.CompletedProcess]:
    """Median wall time and median CPU time (user + system of the child) of ``runs`` runs."""
    walls, cpus, last = [], [], None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        last = subprocess.run(cmd, capture_output=True, text=True, env=env)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus), last


def find_tidy(workdir: Path) -> str | None:
    if os.environ.get("BIBTEX_TIDY"):
        return os.environ["BIBTEX_TIDY"]
    if shutil.which("npm") is None:
        return None
    run = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(workdir), "bibtex-tidy"],
                         capture_output=True, text=True)
    exe = workdir / "node_modules" / ".bin" / "bibtex-tidy"
    return str(exe) if run.returncode == 0 and exe.exists() else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="5000,50000")
    ap.add_argument("--no-tidy", action="store_true", help="do not time bibtex-tidy")
    ap.add_argument("--sources", choices=("all", "tugboat"), default="all",
                    help="entries to replicate: tugboat.bib and bibliotex-all.bib, or tugboat.bib only "
                         "(bibtex-tidy 1.14 cannot read bibliotex-all.bib)")
    args = ap.parse_args()
    global SOURCES
    SOURCES = args.sources
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        # run as an installed package would: from compiled bytecode (a warm-up run writes it)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(tmpdir / "pycache")
        warm = tmpdir / "warm.bib"
        synthesise(50, warm)
        subprocess.run([sys.executable, "-m", "bibkit", "check", str(warm)], capture_output=True, env=env)
        tidy = None if args.no_tidy else find_tidy(tmpdir / "npm")
        print(f"sources: {', '.join(p.name for p in sources())}; median of {args.runs} runs; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; bibtex-tidy: {tidy or 'not available'}")
        print("times: wall / CPU (user+system) seconds of the whole command, interpreter start included")
        print(f"{'entries':>8} {'MB':>6} {'bibkit check':>16} {'limit':>6} {'findings':>9} {'bibtex-tidy':>16} "
              f"{'ratio (CPU)':>12}")
        ok = True
        for n in (int(s) for s in args.sizes.split(",")):
            path = tmpdir / f"synth-{n}.bib"
            synthesise(n, path)
            sha = path.read_bytes()
            ours, ours_cpu, run = timed([sys.executable, "-m", "bibkit", "check", str(path)], args.runs, env)
            if run.returncode not in (0, 1):
                print(run.stderr, file=sys.stderr)
                return 2
            summary = run.stdout.strip().splitlines()[-1]
            findings = len(run.stdout.strip().splitlines()) - 1
            if f" {n} entries" not in summary:
                print(f"unexpected summary for {n} entries: {summary}", file=sys.stderr)
                ok = False
            theirs = ""
            ratio = ""
            if tidy:
                t, t_cpu, trun = timed([tidy, str(path), "--duplicates", "-o", str(tmpdir / "tidy-out.bib")],
                                       args.runs)
                theirs = f"{t:.2f} / {t_cpu:.2f}" if trun.returncode == 0 else f"failed ({trun.returncode})"
                ratio = f"{t_cpu / ours_cpu:.1f}x" if trun.returncode == 0 else ""
                assert path.read_bytes() == sha, "bibtex-tidy changed its input"
            limit = LIMITS.get(n)
            ok &= limit is None or ours_cpu < limit
            print(f"{n:>8} {len(sha) / 1e6:>6.1f} {ours:>7.2f} / {ours_cpu:>5.2f} {limit or '':>6} {findings:>9} "
                  f"{theirs:>16} {ratio:>12}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
