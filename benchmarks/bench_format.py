"""Benchmark of ``bibkit format``: fidelity to citeproc-js and speed next to citeproc-py alone.

Prints, per curated style, the share of entries identical to citeproc-js (text and HTML) on the 70 reference
items of ``../shared/data/csl``; then, for APA and IEEE, items/s of citeproc-py alone, of ``bibkit format`` cold
(empty cache) and warm (same bibliography with 10 entries changed, cache filled), all run as separate processes
on the same generated items (the 70 items replicated and perturbed).  Medians of ``--runs`` runs; wall clock
and CPU seconds (including worker processes) are both printed, since the shared machine's load changes the
wall clock a lot; the load average during the runs is printed.  citeproc-py alone is timed in-process from style
loading to the last entry; scaled by the issue's citeproc-js/citeproc-py ratio it gives the citeproc-js time to
beat on this machine at this load (conservative: citeproc-py alone on fewer items is faster per item).  Each warm
run starts from the cache the cold run left (three warm runs per run).

    python benchmarks/bench_format.py                 # 2,000 items, 3 runs (a few minutes on a shared machine)
    python benchmarks/bench_format.py --big --runs 1  # 10,000 items (citeproc-py alone on 2,000, see --baseline-n)
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "csl"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

CITEPROC_ALONE = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
from citeproc import CitationStylesStyle, CitationStylesBibliography, Citation, CitationItem, formatter
from citeproc.source.json import CiteProcJSON
from bibkit.format.styles import resolve_style
items = json.load(open(sys.argv[1], encoding="utf-8"))
t = time.perf_counter()
style = CitationStylesStyle(str(resolve_style(sys.argv[2])), validate=False)
bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
for it in items:
    bib.register(Citation([CitationItem(it["id"])]))
bib.sort()
out = [str(x) for x in bib.bibliography()]
open(sys.argv[3], "w").write(str(time.perf_counter() - t))
"""


#: citeproc-js / citeproc-py time for 10,000 items by the issue's figures (109 s / 285 s APA, 14 s / 72 s IEEE)
CITEPROC_JS_RATIO = {"apa": 109 / 285, "ieee": 14 / 72}


def generate(n: int) -> list[dict]:
    """``n`` distinct items: the 70 reference items, then perturbed copies (title, year, first author)."""
    base = json.loads((SHARED / "items.json").read_text(encoding="utf-8"))
    out = []
    for i in range(n):
        item = copy.deepcopy(base[i % len(base)])
        item["id"] = f"{item['id']}-{i}"
        if i >= len(base):
            k = i // len(base)
            item["title"] = f"{item.get('title', 'Untitled')}, part {k}"
            parts = (item.get("issued") or {}).get("date-parts")
            if parts and parts[0]:
                parts[0][0] = int(parts[0][0]) + (k % 7) - 3
            if item.get("author") and item["author"][0].get("family"):
                item["author"][0]["family"] += "abcdefghij"[k % 10]
        out.append(item)
    return out


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of a command, CPU including its worker processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fidelity() -> None:
    from format_helpers import CURATED, compare, load_shared

    print("identical to citeproc-js (70 items, ../shared/data/csl):")
    print(f"  {'style':45s} {'text':>9s} {'html':>9s}")
    for style in CURATED:
        text_ref, html_ref, _ = load_shared(style)
        same_t, same_h, total, _, _ = compare(style, SHARED / "items.json", text_ref, html_ref)
        print(f"  {style:45s} {same_t / total:8.1%} {same_h / total:8.1%}")


def speed(n: int, runs: int, styles: list[str], baseline_n: int, jobs: int | None, bytecode: bool = True
          ) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if bytecode:  # as an installed package has it: compiled once (kept out of the source tree), then reused
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
            subprocess.run([sys.executable, "-c", "import bibkit.cli.main, bibkit.cli.format, bibkit.format.render"],
                           check=True, env=env)
        items = generate(n)
        src = tmp_path / "items.json"
        src.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        changed = copy.deepcopy(items)
        for i in range(0, n, max(1, n // 10))[:10]:
            changed[i]["title"] += " (revised)"
        src2 = tmp_path / "items-changed.json"
        src2.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
        base_items = items[:baseline_n]
        base_src = tmp_path / "baseline.json"
        base_src.write_text(json.dumps(base_items, ensure_ascii=False), encoding="utf-8")
        script = tmp_path / "alone.py"
        script.write_text(CITEPROC_ALONE, encoding="utf-8")
        print(f"\nspeed: {n} items (citeproc-py alone on {len(base_items)}), median of {runs} run(s), wall clock, "
              f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, "
              f"{'bytecode cached' if bytecode else 'modules compiled from source in every run'}")
        for style in styles:
            alone, alone_cpu, cold, cold_cpu, warm, warm_cpu, loads = [], [], [], [], [], [], []
            for run in range(runs):
                loads.append(os.getloadavg()[0])
                wall, cpu = timed([sys.executable, str(script), str(base_src), style, str(tmp_path / "t.txt")], env)
                alone.append(float((tmp_path / "t.txt").read_text().strip()))
                alone_cpu.append(cpu)
                cache = tmp_path / f"cache-{style}-{run}"
                cenv = dict(env, BIBKIT_CACHE_DIR=str(cache))
                cmd = [sys.executable, "-m", "bibkit", "format", "--style", style, "-q", "-o",
                       str(tmp_path / "out.txt")] + (["-j", str(jobs)] if jobs else [])
                loads.append(os.getloadavg()[0])
                wall, cpu = timed([*cmd, str(src)], cenv)
                cold.append(wall)
                cold_cpu.append(cpu)
                shutil.copytree(cache, tmp_path / "cold-cache", dirs_exist_ok=True)
                for _ in range(3):  # warm runs are short: three per run, each on the cache the cold run left
                    shutil.rmtree(cache)
                    shutil.copytree(tmp_path / "cold-cache", cache)
                    loads.append(os.getloadavg()[0])
                    wall, cpu = timed([*cmd, str(src2)], cenv)
                    warm.append(wall)
                    warm_cpu.append(cpu)
                shutil.rmtree(tmp_path / "cold-cache")
            med = statistics.median
            a, c, w = med(alone), med(cold), med(warm)
            nb = len(base_items)
            js_ratio = CITEPROC_JS_RATIO.get(style)
            print(f"  {style:6s} citeproc-py alone {nb / a:7.1f} items/s ({a:6.1f} s wall, {med(alone_cpu):6.1f} s CPU "
                  f"for {nb})")
            print(f"  {style:6s} bibkit cold       {n / c:7.1f} items/s ({c:6.1f} s wall, {med(cold_cpu):6.1f} s CPU "
                  f"for {n}) = {(n / c) / (nb / a):.1f}x citeproc-py (wall), "
                  f"{(n / med(cold_cpu)) / (nb / med(alone_cpu)):.1f}x (CPU)")
            if js_ratio:
                js = a / nb * n * js_ratio
                print(f"  {style:6s} citeproc-js equivalent on this run: {js:6.1f} s for {n} (citeproc-py alone "
                      f"scaled by the issue's citeproc-js/citeproc-py ratio {js_ratio:.2f}); bibkit cold is "
                      f"{js / c:.2f}x faster")
            print(f"  {style:6s} bibkit warm       {n / w:7.1f} items/s ({w:6.2f} s wall, {med(warm_cpu):5.2f} s CPU "
                  f"for {n}, 10 changed; {len(warm)} runs)")
            print(f"  {style:6s} load average during these runs: {min(loads):.1f}-{max(loads):.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=2000, help="items in the speed test (default 2000)")
    ap.add_argument("--big", action="store_true", help="10,000 items")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--baseline-n", type=int, default=None, help="items for citeproc-py alone (default min(n, 2000))")
    ap.add_argument("--styles", default="apa,ieee")
    ap.add_argument("-j", "--jobs", type=int, default=None, help="bibkit worker processes (default 2)")
    ap.add_argument("--no-fidelity", action="store_true")
    ap.add_argument("--no-bytecode", action="store_true",
                    help="compile bibkit from source in every run (PYTHONDONTWRITEBYTECODE), not as installed")
    args = ap.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} not found")
    n = 10000 if args.big else args.n
    if not args.no_fidelity:
        fidelity()
    speed(n, args.runs, args.styles.split(","), args.baseline_n or min(n, 2000), args.jobs,
          not args.no_bytecode)


if __name__ == "__main__":
    main()
