"""Write ``training/items.json``: real CSL-JSON items for the synthetic training references.

The items come from the shared BibTeX files (``../shared/data/bib``, see its SOURCES.md):
``tugboat.bib`` (public domain), the IRIDIA bibliography (CC0 1.0) and ``bibliotex-all.bib``
(MIT, Copyright (c) 2020-2021 Ryan M. L. McFadden).  ``biblatex-examples.bib`` (LPPL) and
``csl/items.json`` are left out: every usable item of the latter is in the round-trip
benchmark, and the benchmark's own items (``tests/roundtrip_corpus.load_items``, default
and test samples) are excluded by title, so the parser is never measured on items it was
trained on.  Only the fields a CSL style renders are kept.

Run from the repository root: ``python training/make_items.py`` (needs ``../shared``).
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests import roundtrip_corpus as rc  # noqa: E402

#: sources (as named by roundtrip_corpus._bib_sources) and how many items to take from each
QUOTA = {"tugboat": 110, "iridia": 190, "bibliotex-all": 150}
#: CSL variables a style renders (everything else is dropped)
KEEP = ("type", "title", "container-title", "container-title-short", "collection-title", "collection-number",
        "event", "event-title", "event-place", "publisher", "publisher-place", "genre", "edition", "volume",
        "issue", "page", "number", "DOI", "URL", "ISBN", "author", "editor", "translator", "issued")
SEED = 13


def _fold(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _clean(item: dict[str, Any]) -> dict[str, Any] | None:
    out = {k: item[k] for k in KEEP if item.get(k)}
    if any(ch in s for s in _strings(out) for ch in "\\{}$"):
        return None  # TeX markup left in a field
    if not rc.usable(out) or not rc._plausible(out):
        return None
    return out


def main() -> int:
    import bibkit

    if not rc.BIB_DIR.is_dir():
        print(f"{rc.BIB_DIR} not found: run this where ../shared is present", file=sys.stderr)
        return 1
    bench = {_fold(it.get("title") or "") for it in rc.load_items("auto")}
    bench |= {_fold(it.get("title") or "") for it in rc.load_items("csl", n=20, seed=1)}
    rng = random.Random(SEED)
    out: list[dict[str, Any]] = []
    for name, text in rc._bib_sources():
        if name not in QUOTA:
            continue
        res = bibkit.loads(text, fmt="bibtex", source=name)
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        seen: set[str] = set()
        for raw in bibkit.to_csl_json(res.entries):
            it = _clean(raw)
            key = _fold(it.get("title") or "") if it else ""
            if it is None or key in bench or key in seen:
                continue
            seen.add(key)
            by_type[it["type"]].append(dict(it, id=f"{name}:{raw.get('id')}"))
        # every type gets a share (at least a few), the rest proportionally
        total = sum(len(v) for v in by_type.values())
        picked: list[dict[str, Any]] = []
        for typ in sorted(by_type):
            pool = by_type[typ]
            k = min(len(pool), max(4, round(QUOTA[name] * len(pool) / total)))
            picked += rng.sample(pool, k)
        out += picked
        print(f"{name}: {len(picked)} items from {total} usable")
    path = ROOT / "training" / "items.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} items to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
