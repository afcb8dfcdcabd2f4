"""How well the enrichment match check picks the right record, on real records.

Uses the hand-labelled duplicate sets in ``../shared/data/dedup`` (records of the same work
exported from different databases).  Each record plays an entry to enrich; the other records
of its dataset play the service's index, and the "search" returns the 5 records with the most
similar titles (what a bibliographic search returns: the right record, if any, plus look-alikes).
A pick is right when it is in the entry's gold cluster, wrong otherwise.

Three ways to pick are compared on the same candidate lists:

* ``top hit``: trust the search, take the first candidate if its title is >= 0.9 similar;
* ``check``: the first candidate :func:`bibkit.enrich.match.check` accepts (title, author, year);
* ``choose``: what enrichment does: ``check`` plus refusing ambiguous picks
  (:func:`bibkit.enrich.match.choose`).

Prints picks right / wrong per dataset.  A wrong pick means a wrong DOI written into an entry.

Run:  PYTHONPATH=src python benchmarks/bench_match.py [--max-records 3000]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from bibkit.enrich.match import choose, normalise_title, rank, split_name, title_similarity
from bibkit.model import Date, Entry

DEDUP = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dedup"


def load(folder: Path, limit: int) -> tuple[dict[str, Entry], list[list[str]]]:
    csv.field_size_limit(10**8)
    entries: dict[str, Entry] = {}
    with open(folder / "records_pre_merged.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            year = (row.get("year") or "").strip()[:4]
            authors = [split_name(a) for a in (row.get("author") or "").split(" and ") if a.strip()]
            entries[row["ID"]] = Entry(key=row["ID"], title=row.get("title") or None, author=authors,
                                       issued=Date(int(year)) if year.isdigit() else None,
                                       container_title=row.get("journal") or row.get("booktitle") or None,
                                       page=row.get("pages") or None, volume=row.get("volume") or None,
                                       issue=row.get("number") or None, doi=row.get("doi") or None)
            if len(entries) >= limit:
                break
    clusters = []
    with open(folder / "merged_record_ids.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            ids = [i for i in row["merged_ids"].split(";") if i in entries]
            if len(ids) > 1:
                clusters.append(ids)
    return entries, clusters


def evaluate(name: str, entries: dict[str, Entry], clusters: list[list[str]], k: int) -> dict[str, int]:
    cluster_of = {i: n for n, ids in enumerate(clusters) for i in ids}
    ids = [i for i, e in entries.items() if e.title]
    titles = [normalise_title(entries[i].title) for i in ids]
    scores = process.cdist(titles, titles, scorer=fuzz.ratio, dtype=np.uint8, workers=1)
    np.fill_diagonal(scores, 0)
    out = {"entries": len(ids), "reachable": 0}
    for method in ("top", "check", "choose"):
        out[f"{method}_right"] = out[f"{method}_wrong"] = 0
    t_choose = 0.0
    for row, me in enumerate(ids):
        top = np.argsort(-scores[row].astype(np.int16), kind="stable")[:k]
        cands = [entries[ids[c]] for c in top]
        mine = entries[me]
        group = cluster_of.get(me)
        out["reachable"] += any(group is not None and cluster_of.get(c.key) == group for c in cands)

        def tally(method: str, pick: Entry | None, group: int | None = group) -> None:
            if pick is None:
                return
            right = group is not None and cluster_of.get(pick.key) == group
            out[f"{method}_{'right' if right else 'wrong'}"] += 1

        tally("top", cands[0] if cands and title_similarity(mine.title, cands[0].title) >= 0.9 else None)
        tally("check", next((c for c, v in rank(mine, cands) if v.accepted), None))
        t0 = time.perf_counter()
        best, _, _ = choose(mine, cands)
        t_choose += time.perf_counter() - t0
        tally("choose", best)
    out["us_per_choose"] = int(t_choose / max(1, len(ids)) * 1e6)
    cols = " | ".join(f"{m}: {out[m + '_right']} right, {out[m + '_wrong']} wrong" for m in ("top", "check", "choose"))
    print(f"{name:20s} {out['entries']:5d} entries, {out['reachable']:4d} with their work among the {k} hits | "
          f"{cols} | {out['us_per_choose']} µs per choose")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max-records", type=int, default=3000)
    ap.add_argument("-k", type=int, default=5, help="candidates per search")
    opts = ap.parse_args()
    if not DEDUP.is_dir():
        print(f"bench_match: {DEDUP} not found; nothing to do")
        return 0
    total: dict[str, int] = {}
    for folder in sorted(p for p in DEDUP.iterdir() if (p / "records_pre_merged.csv").exists()):
        entries, clusters = load(folder, opts.max_records)
        for key, value in evaluate(folder.name, entries, clusters, opts.k).items():
            total[key] = total.get(key, 0) + value
    print(f"{'all':20s} {total['entries']:5d} entries, {total['reachable']:4d} reachable | " + " | ".join(
        f"{m}: {total[m + '_right']} right, {total[m + '_wrong']} wrong "
        f"(precision {total[m + '_right'] / max(1, total[m + '_right'] + total[m + '_wrong']):.3f}, "
        f"recall {total[m + '_right'] / max(1, total['reachable']):.3f})" for m in ("top", "check", "choose")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
