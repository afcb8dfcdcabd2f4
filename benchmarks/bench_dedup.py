"""Deduplication benchmark: quality and cost on the five real sets, and scale on synthetic records.

    python benchmarks/bench_dedup.py                     # five sets (median of 3 runs), scale at 10k and 100k, mixed
    python benchmarks/bench_dedup.py --sets              # only the five sets
    python benchmarks/bench_dedup.py --mixed --show      # five sets + 11k real .bib records, list the .bib merges
    python benchmarks/bench_dedup.py --scale 10000 100000 1000000 --jobs 2   # the 1M run is opt-in (minutes)
    BENCH_SYNTHETIC_DIR=/tmp/syn BIBKIT_TRACE=1 python benchmarks/bench_dedup.py --one-scale 3000000
        # keep the records file for the next run; CPU s, memory and pair counts at each stage on stderr

Every measurement runs in a fresh subprocess so that its peak memory (max RSS) is its own.
Times are CPU seconds of the deduplication itself (reading the CSV excluded) and wall seconds;
the machine is shared, so medians of ``--repeat`` runs are printed.  bib-dedupe 0.11.0's figures
were measured on this machine (issue 4) and are printed next to ours as the reference.

Synthetic records: works are made from real records (titles with ~40% of their words
replaced from the real vocabulary, authors, venues and years drawn from the real pools), then
a third of them get one or two perturbed copies (typos, case, trailing punctuation, LaTeX vs
Unicode accents, initials for given names, truncated author lists, missing pages/volume/venue,
arXiv id instead of the DOI).  Pair precision and recall against the known works are printed too.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared" / "data" / "dedup"
SETS = ["stroke", "haematology", "cytology_screening", "respiratory", "digital_work"]

#: bib-dedupe 0.11.0 on this machine (issue 4): records, precision, recall, CPU seconds (one process)
BIB_DEDUPE = {
    "stroke": (1292, 1.000, 0.996, 18.0),
    "haematology": (1415, 0.985, 0.828, 20.9),
    "cytology_screening": (1856, 1.000, 0.985, 22.9),
    "respiratory": (1988, 1.000, 0.925, 27.8),
    "digital_work": (7159, 1.000, 0.998, 128.0),
}


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- one real set ----------------------------------------------------------------------------
def run_set(name: str) -> dict:
    import bibkit
    from bibkit.dedupe import dedupe
    from bibkit.dedupe.metrics import pair_scores, review_coverage

    entries = bibkit.load(SHARED / name / "records_pre_merged.csv").entries
    with open(SHARED / name / "merged_record_ids.csv", encoding="utf-8") as fh:
        gold = [row["merged_ids"].split(";") for row in csv.DictReader(fh)]
    c0, w0 = time.process_time(), time.perf_counter()
    res = dedupe(entries)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    scores = pair_scores(res.cluster_ids(singletons=False), gold)
    queue = [(res.ids[d.a], res.ids[d.b]) for d in res.review]
    cover = review_coverage(queue, res.cluster_ids(singletons=False), gold)
    return {**scores, "records": len(entries), "cpu": cpu, "wall": wall, "rss_mb": _maxrss_mb(),
            "review": len(res.review), "missed": cover["missed"],
            "queue": [(round(d.score, 4), g) for d, g in zip(res.review, cover["gains"], strict=True)]}


# -- synthetic records -----------------------------------------------------------------------
_LATEX_MARKS = {"\u0301": "'", "\u0300": "`", "\u0308": '"', "\u0302": "^", "\u0303": "~", "\u0327": "c ",
                "\u030c": "v ", "\u0304": "="}


def to_latex(text: str) -> str:
    """Unicode accents as LaTeX commands ("é" -> "{\\'e}")."""
    out = []
    for ch in unicodedata.normalize("NFD", text):
        mark = _LATEX_MARKS.get(ch)
        if mark and out:
            base = out.pop()
            out.append("{\\" + mark + base + "}")
        elif unicodedata.combining(ch):
            continue
        else:
            out.append(ch)
    return "".join(out)


class Pools:
    def __init__(self) -> None:
        self.titles: list[str] = []
        self.names: list[tuple[str, str]] = []
        self.venues: list[str] = []
        for name in SETS:
            with open(SHARED / name / "records_pre_merged.csv", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    if row.get("title"):
                        self.titles.append(row["title"])
                    if row.get("journal"):
                        self.venues.append(row["journal"])
                    for part in (row.get("author") or "").split(" and "):
                        fam, _, given = part.partition(",")
                        if fam.strip() and given.strip():
                            self.names.append((fam.strip(), given.strip()))
        self.vocab = sorted({w for t in self.titles for w in t.split() if len(w) > 3 and w.isalpha()})


def make_work(rng: random.Random, pools: Pools, i: int) -> dict:
    words = rng.choice(pools.titles).split()
    for k in range(len(words)):
        if rng.random() < 0.4:
            words[k] = rng.choice(pools.vocab)
    first = rng.randint(1, 3000)
    return {
        "title": " ".join(words),
        "authors": [rng.choice(pools.names) for _ in range(rng.randint(1, 6))],
        "year": rng.randint(1980, 2024), "venue": rng.choice(pools.venues), "volume": str(rng.randint(1, 200)),
        "pages": f"{first}-{first + rng.randint(1, 30)}",
        "doi": f"10.{rng.randint(1000, 9999)}/syn.{i}" if rng.random() < 0.5 else None,
        "type": "article-journal", "arxiv": None,
        "_arxiv": f"{rng.randint(0, 99):02d}{rng.randint(1, 12):02d}.{rng.randint(10000, 99999)}",  # if it has one
    }


def perturb(rng: random.Random, w: dict) -> dict:
    d = dict(w)
    d["authors"] = list(w["authors"])
    title = d["title"]
    for op in rng.sample(range(8), 3):
        if op == 0 and len(title) > 10:  # typo: swap two letters
            k = rng.randrange(1, len(title) - 2)
            title = title[:k] + title[k + 1] + title[k] + title[k + 2:]
        elif op == 1:
            title = rng.choice([title.upper(), title.lower(), title.title()])
        elif op == 2:
            title += rng.choice([".", " .", "?", ""])
        elif op == 3:  # LaTeX accents
            title = to_latex(title)
            d["authors"] = [(to_latex(f), to_latex(g)) for f, g in d["authors"]]
        elif op == 4:  # initials
            d["authors"] = [(f, " ".join(p[0] + "." for p in g.replace(".", " ").split())) for f, g in d["authors"]]
        elif op == 5 and len(d["authors"]) > 3:
            d["authors"] = [*d["authors"][:3], ("others", "")]
        elif op == 6:
            for key in rng.sample(["pages", "volume", "venue"], rng.randint(1, 2)):
                d[key] = None
        elif op == 7 and rng.random() < 0.5:  # the arXiv preprint of the work
            d.update(doi=None, arxiv=w["_arxiv"], type="article", venue="arXiv", pages=None, volume=None,
                     year=d["year"] - rng.randint(0, 1))
    d["title"] = title
    return d


def _generate(n: int, rng: random.Random) -> Iterator[tuple[dict, int]]:
    """``n`` records in the order they are made, each with the id of its work."""
    pools = Pools()
    made = i = 0
    while made < n:
        w = make_work(rng, pools, i)
        copies = [perturb(rng, w) for _ in range(rng.choice((1, 2)))] if rng.random() < 1 / 3 else []
        for r in [w, *copies]:
            if made < n:
                made += 1
                yield r, i
        i += 1


def synthetic(n: int, seed: int = 42) -> tuple[list[dict], list[int]]:
    """``n`` records and, for each, the id of its work."""
    rng = random.Random(seed)
    made = list(_generate(n, rng))
    order = list(range(len(made)))
    rng.shuffle(order)
    return [made[k][0] for k in order], [made[k][1] for k in order]


def to_entry(r: dict):
    from bibkit.model import Date, Entry, Name

    authors = [Name(literal="others") if f == "others" else Name(family=f, given=g) for f, g in r["authors"]]
    return Entry(type=r["type"], title=r["title"], author=authors, issued=Date(r["year"]),
                 container_title=r["venue"], volume=r["volume"], page=r["pages"], doi=r["doi"], arxiv=r["arxiv"])


class StreamedEntries:
    """The records read back one at a time from a JSON-lines file, each made an Entry as it is read,
    as a streaming reader hands entries over: neither the records nor a million Entry objects are
    held at once (reading the file back is counted)."""

    def __init__(self, path: str):
        self.path = path

    def __iter__(self):
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                r["authors"] = [tuple(a) for a in r["authors"]]
                yield to_entry(r)


def write_synthetic(n: int, path: str, seed: int = 42) -> None:
    """``n`` synthetic records as JSON lines, each with its work id (``_work``): the records of
    :func:`synthetic` in its order, made without holding them all (ten million would not fit in memory):
    written as they are made to a scratch file, then copied in the shuffled order."""
    from array import array

    rng = random.Random(seed)
    offsets = array("q")
    with tempfile.TemporaryFile() as scratch:
        for r, w in _generate(n, rng):
            offsets.append(scratch.tell())
            scratch.write((json.dumps({**r, "_work": w}, ensure_ascii=False) + "\n").encode("utf-8"))
        order = list(range(len(offsets)))
        rng.shuffle(order)
        scratch.flush()
        with open(scratch.fileno(), "rb", closefd=False) as back, open(path, "wb") as fh:
            for k in order:
                back.seek(offsets[k])
                fh.write(back.readline())


def run_scale(n: int, jobs: int) -> dict:
    import gc
    from array import array

    from bibkit.dedupe import cluster_records

    t0 = time.perf_counter()
    # a million Entry objects (or synthetic records) would not fit in the memory budget: they are
    # written to a file by another process (its memory is not this one's peak) and streamed from it
    stream = n > int(os.environ.get("BENCH_STREAM_FROM", 300_000))
    # BENCH_SYNTHETIC_DIR: keep the records file there and use it again (ten million take many minutes to make)
    keep = os.environ.get("BENCH_SYNTHETIC_DIR")
    if keep:
        path = os.path.join(keep, f"synthetic-{n}.jsonl")
    else:
        tmp = tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False)  # noqa: SIM115 - removed below
        tmp.close()
        path = tmp.name
    source: Any
    if stream:
        if not (keep and os.path.exists(path)):
            subprocess.run([sys.executable, __file__, "--write-synthetic", str(n), path + ".part"], check=True)
            os.replace(path + ".part", path)
        with open(path, encoding="utf-8") as fh:
            work_of = array("q", (json.loads(line)["_work"] for line in fh))
        source = StreamedEntries(path)
    else:
        records, works = synthetic(n)
        work_of = array("q", works)
        source = [to_entry(r) for r in records]
        del records, works
    gc.collect()
    gen = time.perf_counter() - t0
    c0, w0 = time.process_time(), time.perf_counter()
    clusters = cluster_records(source, workers=jobs)
    cpu_self, wall = time.process_time() - c0, time.perf_counter() - w0
    cpu = cpu_self  # (the engine runs in this process; the child that wrote the records is not counted)
    if not keep and os.path.exists(path):
        os.unlink(path)
    # pair precision / recall against the works
    tp = fp = 0
    for c in clusters:
        counts: dict[int, int] = {}
        for m in c:
            counts[work_of[m]] = counts.get(work_of[m], 0) + 1
        same = sum(v * (v - 1) // 2 for v in counts.values())
        tp += same
        fp += len(c) * (len(c) - 1) // 2 - same
    sizes: dict[int, int] = {}
    for w in work_of:
        sizes[w] = sizes.get(w, 0) + 1
    gold = sum(v * (v - 1) // 2 for v in sizes.values())
    return {"records": n, "gen_s": gen, "wall": wall, "cpu": cpu, "rss_mb": _maxrss_mb(), "jobs": jobs,
            "stream": stream, "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / gold if gold else 1.0}


# -- mixed: the five sets plus real .bib files with recurring column titles -------------------
BIBS = ["tugboat.bib", "bibliotex-all.bib", "biblatex-examples.bib"]
IRIDIA = ["abbrev", "authors", "journals", "articles", "biblio", "crossref"]


def load_bib(text: str, source: str) -> list:
    """A minimal .bib loader for the benchmark (bibtexparser 2), until bibkit's own reader is on main."""
    import bibtexparser

    from bibkit.io.records import _type_maps, split_names
    from bibkit.model import Date, Entry, Provenance

    types = _type_maps()["bibtex"]
    out = []
    for b in bibtexparser.parse_string(text).entries:
        f = {k.lower(): str(v.value) for k, v in b.fields_dict.items()}
        e = Entry(type=types.get(b.entry_type.lower(), "document"), key=b.key, title=f.get("title"),
                  author=split_names(f.get("author")), container_title=f.get("journal") or f.get("booktitle"),
                  volume=f.get("volume"), issue=f.get("number"), page=f.get("pages"), doi=f.get("doi"),
                  isbn=f.get("isbn"), edition=f.get("edition"), url=f.get("url"), note=f.get("note"))
        if "howpublished" in f:
            e.extra["howpublished"] = f["howpublished"]
        year = f.get("year", "")[:4]
        if year.isdigit():
            e.issued = Date(int(year))
        e.provenance.append(Provenance(source=source, record_id=b.key))
        out.append(e)
    return out


def run_mixed() -> dict:
    import logging

    import bibkit
    from bibkit.dedupe import dedupe

    logging.disable(logging.WARNING)
    bib_dir = SHARED.parent / "bib"
    entries = []
    for name in SETS:
        entries += bibkit.load(SHARED / name / "records_pre_merged.csv").entries
    n_csv = len(entries)
    for name in BIBS:
        entries += load_bib((bib_dir / name).read_text(encoding="utf-8"), name)
    iridia = "\n".join((bib_dir / "iridia" / f"{p}.bib").read_text(encoding="utf-8") for p in IRIDIA)
    entries += load_bib(iridia, "iridia")
    c0 = time.process_time()
    res = dedupe(entries)
    cpu = time.process_time() - c0
    bib_groups = [g for g in res.clusters if all(i >= n_csv for i in g)]
    cross = [g for g in res.clusters if any(i < n_csv for i in g) and any(i >= n_csv for i in g)]
    return {"records": len(entries), "bib_records": len(entries) - n_csv, "cpu": cpu, "rss_mb": _maxrss_mb(),
            "bib_groups": len(bib_groups), "cross_groups": len(cross),
            "bib_examples": [[entries[i].key for i in g] for g in bib_groups]}


# -- driver ---------------------------------------------------------------------------------
def _sub(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_sets(repeat: int) -> None:
    print(f"Five real sets (pair level; bibkit time = median of {repeat} runs, CPU s of dedupe, one process)")
    head = (f"{'set':<20}{'records':>8} | {'P':>6}{'R':>7}{'F1':>7}{'CPU s':>8}{'wall s':>8}{'RSS MB':>8}"
            f"{'review':>7} | {'bib-dedupe P':>12}{'R':>7}{'CPU s':>8}{'speed-up':>9}")
    print(head)
    print("-" * len(head))
    tot_tp = tot_fp = 0
    results: list[tuple[str, dict]] = []
    for name in SETS:
        runs = [_sub(["--one-set", name]) for _ in range(repeat)]
        r = runs[0]
        results.append((name, r))
        cpu = statistics.median(x["cpu"] for x in runs)
        wall = statistics.median(x["wall"] for x in runs)
        rss = max(x["rss_mb"] for x in runs)
        _, bp, br, bcpu = BIB_DEDUPE[name]
        tot_tp += r["tp"]
        tot_fp += r["fp"]
        print(f"{name:<20}{r['records']:>8} | {r['precision']:>6.3f}{r['recall']:>7.3f}{r['f1']:>7.3f}{cpu:>8.2f}"
              f"{wall:>8.2f}{rss:>8.0f}{r['review']:>7} | {bp:>12.3f}{br:>7.3f}{bcpu:>8.1f}{bcpu / cpu:>8.0f}x")
    print(f"combined pair precision {tot_tp / (tot_tp + tot_fp):.4f} ({tot_fp} false pairs)")
    bench_review(results)


def bench_review(results: list[tuple[str, dict]]) -> None:
    """How many gold pairs the automatic pass missed, and how many of them a human finds by going
    through the review queue (accepting a queued pair joins the two clusters of its records)."""
    print("\nReview queue (--review): gold pairs missed by the automatic pass, and how many of them the queue holds")
    head = f"{'set':<20}{'queue':>7}{'missed':>8}{'in queue':>10}{'in top 100':>12}{'in top 1000':>13}"
    print(head)
    print("-" * len(head))
    merged = []
    tot = {"queue": 0, "missed": 0, "all": 0, "100": 0, "1000": 0}
    for name, r in results:
        gains = [g for _, g in r["queue"]]
        row = {"queue": len(gains), "missed": r["missed"], "all": sum(gains), "100": sum(gains[:100]),
               "1000": sum(gains[:1000])}
        for k, v in row.items():
            tot[k] += v
        merged += r["queue"]
        print(f"{name:<20}{row['queue']:>7}{row['missed']:>8}{row['all']:>10}{row['100']:>12}{row['1000']:>13}")
    merged.sort(key=lambda x: -x[0])
    print(f"{'total':<20}{tot['queue']:>7}{tot['missed']:>8}{tot['all']:>10}{tot['100']:>12}{tot['1000']:>13}")
    for k in (100, 300, 1000):
        print(f"the {k} most likely pairs of the five queues together hold {sum(g for _, g in merged[:k])} of the "
              f"{tot['missed']} missed gold pairs")
    print("(bib-dedupe: 6,570 'maybe' pairs for 86 more duplicates)")


def bench_scale(sizes: list[int], jobs: int) -> None:
    print(f"\nScale (synthetic perturbed records, DuckDB on {jobs} thread(s); generating the records is not counted;"
          " above 300k records they are read back from a JSON-lines file and made entries one at a time, and"
          " that is counted)")
    head = f"{'records':>9}{'wall s':>9}{'CPU s':>9}{'RSS MB':>9}{'P':>7}{'R':>7}{'us/rec':>8}"
    print(head)
    print("-" * len(head))
    for n in sizes:
        r = _sub(["--one-scale", str(n), "--jobs", str(jobs)])
        print(f"{n:>9}{r['wall']:>9.1f}{r['cpu']:>9.1f}{r['rss_mb']:>9.0f}{r['precision']:>7.3f}{r['recall']:>7.3f}"
              f"{1e6 * r['wall'] / n:>8.0f}")


def bench_mixed(show: bool) -> None:
    r = _sub(["--one-mixed"])
    print(f"\nMixed: the five sets + {r['bib_records']} real .bib records (tugboat, IRIDIA, bibliotex, biblatex "
          f"examples: journal columns, front matter, supplements, tech reports)")
    print(f"{r['records']} records, {r['cpu']:.1f} CPU s, {r['rss_mb']:.0f} MB; groups merged among .bib records: "
          f"{r['bib_groups']}, groups mixing the sets with .bib records: {r['cross_groups']} "
          "(bib-dedupe: 978 CPU s at 20k records with such .bib records, 18 wrong merges)")
    if show:
        for g in r["bib_examples"]:
            print("  ", " = ".join(g))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", action="store_true", help="only the five real sets")
    ap.add_argument("--scale", type=int, nargs="*", help="only the scale runs, at these sizes")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--mixed", action="store_true",
                    help="only the mixed run: the five sets plus ~11k real .bib records (tugboat, IRIDIA, ...)")
    ap.add_argument("--show", action="store_true", help="--mixed: list the .bib groups merged")
    ap.add_argument("--one-set", help=argparse.SUPPRESS)
    ap.add_argument("--one-mixed", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--one-scale", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--write-synthetic", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one_set:
        print(json.dumps(run_set(args.one_set)))
        return
    if args.write_synthetic:
        write_synthetic(int(args.write_synthetic[0]), args.write_synthetic[1])
        return
    if args.one_scale:
        print(json.dumps(run_scale(args.one_scale, args.jobs)))
        return
    if args.one_mixed:
        print(json.dumps(run_mixed()))
        return
    if not SHARED.exists():
        sys.exit(f"benchmark data not found: {SHARED}")
    if args.mixed:
        bench_mixed(args.show)
        return
    if args.scale is None or args.sets:
        bench_sets(args.repeat)
    if not args.sets:
        bench_scale(args.scale or [10_000, 100_000], args.jobs)
    if args.scale is None and not args.sets:
        bench_mixed(False)


if __name__ == "__main__":
    main()
