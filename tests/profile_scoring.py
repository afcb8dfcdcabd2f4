"""A small re-implementation of the profile scorer (``../shared/eval/score_profiles.py``)
so that the bundled, trimmed pages can be scored without the benchmark data."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

FIELDS = ("title", "authors", "year", "venue", "type")
UNPUBLISHED = {"submitted", "under-review", "preprint", "forthcoming"}
VENUE_FIELDS = ("container-title", "event-title", "event", "collection-title", "publisher", "genre")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def norm_title(text: str) -> str:
    text = re.sub(r"[{}\\*_`\"'“”‘’«»]", "", fold(text))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _keys(authors: list[dict[str, Any]] | None) -> list[str]:
    out = []
    for a in authors or []:
        fam = re.sub(r"[^a-z]", "", fold(a.get("family") or a.get("literal") or ""))
        giv = re.sub(r"[^a-z]", "", fold(a.get("given") or ""))
        out.append(fam + "," + giv[:1])
    return out


def _year(item: dict[str, Any]) -> int | None:
    try:
        return int(item["issued"]["date-parts"][0][0])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def score(gold: dict[str, Any], pred: list[dict[str, Any]]) -> dict[str, Any]:
    """Entry precision/recall/F1 and field accuracies of ``pred`` (CSL-JSON items)."""
    entries = gold["entries"]
    gt = [norm_title(e.get("title", "")) for e in entries]
    pt = [norm_title(p.get("title", "")) for p in pred]
    pairs = sorted(((difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(), i, j)
                    for i, a in enumerate(pt) for j, b in enumerate(gt) if a and b), reverse=True)
    p2g: dict[int, int] = {}
    taken: set[int] = set()
    for s, i, j in pairs:
        if s < 0.9 or i in p2g or j in taken:
            continue
        p2g[i] = j
        taken.add(j)
    required = [j for j, e in enumerate(entries) if not e.get("optional")]
    tp = sum(1 for j in p2g.values() if not entries[j].get("optional"))
    fp = len(pred) - len(p2g)
    fields = {k: [0, 0] for k in FIELDS}
    for i, j in p2g.items():
        g, p = entries[j], pred[i]
        if g.get("optional"):
            continue
        venue = fold(" | ".join(str(p.get(f)) for f in VENUE_FIELDS if p.get(f)))
        checks = {
            "title": (True, gt[j] == pt[i]),
            "authors": (bool(g.get("author")), _keys(g.get("author")) == _keys(p.get("author"))),
            "year": (_year(g) is not None, _year(g) == _year(p)),
            "venue": (bool(g.get("venue")), any(fold(v) in venue for v in g.get("venue") or [])),
            "type": (bool(g.get("type")), g.get("type") == p.get("type") or (
                g.get("status") in UNPUBLISHED and p.get("type") in ("manuscript", "article"))),
        }
        for k, (applies, ok) in checks.items():
            if applies:
                fields[k][1] += 1
                fields[k][0] += int(ok)
    p_ = tp / max(1, tp + fp)
    r_ = tp / max(1, len(required))
    return {"precision": p_, "recall": r_, "f1": 2 * p_ * r_ / max(1e-9, p_ + r_),
            **{k: ok / n if n else 1.0 for k, (ok, n) in fields.items()}}
