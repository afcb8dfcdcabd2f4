"""Profile scoring with the same semantics as ``../shared/eval/score_profiles.py``.

This module mirrors the shared scorer (which is stdlib-only and lives outside the
repository) so that the tests run without ``../shared``; ``test_profile_corpus.py``
checks that both agree whenever the shared copy is present.  Keep the two in step:
matching by normalised-title similarity (>= 0.9, greedy, best first), optional gold
entries neither rewarded nor penalised, field accuracies over matched required
entries, duplicates counted when a prediction's best gold match is already taken.

One deliberate difference: author keys put a name's particle in front of its family
name (``{"non-dropping-particle": "van der", "family": "Berg"}`` and ``{"family": "van
der Berg"}`` both key as ``vanderberg``), so that neither the CSL convention (particle
apart) nor the Google-Scholar one (particle in the family name) is penalised.  The
shared scorer reads ``family`` only; the two agree on every name without a particle.

>>> norm_title('**“Deep Learning.”**')
'deep learning'
>>> author_keys([{"family": "Gödel", "given": "Kurt"}, {"literal": "others"}], True)
['godel,k', 'others,']
>>> author_keys([{"family": "Berg", "non-dropping-particle": "van der"}, {"family": "van der Berg"}], False)
['vanderberg', 'vanderberg']
>>> norm_name("Łukasiewicz")  # letters without a decomposition are dropped, as in the shared scorer
'ukasiewicz'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

FIELDS = ("title", "authors", "year", "venue", "type")
VENUE_FIELDS = ("container-title", "event-title", "event", "collection-title",
                "publisher", "genre", "container-title-short", "authority")
UNPUBLISHED = {"submitted", "under-review", "preprint", "forthcoming"}
#: CSL types the gold files may use (the shared README's list plus a few the pages need).
CSL_TYPES_USED = {"paper-conference", "article-journal", "article", "book", "chapter", "thesis", "patent", "report",
                  "manuscript", "speech", "webpage", "entry-encyclopedia", "review-book", "article-newspaper",
                  "article-magazine"}


def fold(text: str | None) -> str:
    """Unicode-fold: strip combining marks (NFKD) and casefold."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold()


def norm_title(text: str | None) -> str:
    """Title key: folded, quotes/markup dropped, punctuation collapsed to single spaces."""
    text = fold(text)
    text = re.sub(r"[{}\\*_`\"'“”‘’«»]", "", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def norm_name(name: str | None) -> str:
    return re.sub(r"[^a-z]", "", fold(name))


def author_keys(authors: list[Any] | None, with_initial: bool) -> list[str]:
    """``[particle]family[,first initial]`` keys of a CSL author list, in order."""
    keys = []
    for a in authors or []:
        if not isinstance(a, dict):
            continue
        family = a.get("family") or a.get("literal") or ""
        particles = [a.get(k) for k in ("dropping-particle", "non-dropping-particle") if a.get(k)]
        key = norm_name(" ".join([*particles, family]))
        if with_initial:
            key += "," + norm_name(a.get("given") or "")[:1]
        keys.append(key)
    return keys


def year_of(item: dict[str, Any]) -> int | None:
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    try:
        return int(parts[0][0])
    except (TypeError, IndexError, ValueError):
        pass
    raw = issued.get("raw") if isinstance(issued, dict) else None
    m = re.search(r"\b(19|20)\d\d\b", str(raw or ""))
    return int(m.group(0)) if m else None


def venue_text(item: dict[str, Any]) -> str:
    bits = []
    for f in VENUE_FIELDS:
        v = item.get(f)
        if isinstance(v, dict):
            v = v.get("name") or ""
        if v:
            bits.append(str(v))
    return fold(" | ".join(bits))


def type_ok(g: dict[str, Any], p: dict[str, Any]) -> bool:
    """Exact CSL type; for unpublished work 'manuscript' and 'article' are also accepted."""
    if g.get("type") == p.get("type"):
        return True
    return g.get("status") in UNPUBLISHED and p.get("type") in {"manuscript", "article"}


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def score_profile(gold: dict[str, Any], pred: list[dict[str, Any]]) -> dict[str, Any]:
    """Score CSL-JSON predictions against one gold file (dict as loaded from JSON)."""
    entries = gold["entries"]
    gtitles = [norm_title(e.get("title", "")) for e in entries]
    ptitles = [norm_title(p.get("title", "")) for p in pred]
    pairs = []
    for i, pt in enumerate(ptitles):
        for j, gt in enumerate(gtitles):
            s = similarity(pt, gt)
            if s >= 0.9:
                pairs.append((s, i, j))
    pairs.sort(reverse=True)
    pred_to_gold: dict[int, int] = {}
    gold_taken: set[int] = set()
    for _s, i, j in pairs:
        if i in pred_to_gold or j in gold_taken:
            continue
        pred_to_gold[i] = j
        gold_taken.add(j)
    dup = sum(1 for i, pt in enumerate(ptitles)
              if i not in pred_to_gold and any(similarity(pt, gtitles[j]) >= 0.9 for j in gold_taken))

    required = [j for j, e in enumerate(entries) if not e.get("optional")]
    tp = sum(1 for j in pred_to_gold.values() if not entries[j].get("optional"))
    on_optional = sum(1 for j in pred_to_gold.values() if entries[j].get("optional"))
    fp = len(pred) - tp - on_optional
    fn = len(required) - tp

    fields = {k: [0, 0] for k in FIELDS}
    misses = []
    for i, j in pred_to_gold.items():
        g, p = entries[j], pred[i]
        if g.get("optional"):
            continue
        checks = {
            "title": (True, norm_title(g.get("title", "")) == ptitles[i]),
            "authors": (bool(g.get("author")),
                        author_keys(g.get("author"), True) == author_keys(p.get("author"), True)),
            "year": (year_of(g) is not None, year_of(g) == year_of(p)),
            "venue": (bool(g.get("venue")), any(fold(v) in venue_text(p) for v in g.get("venue") or [])),
            "type": (bool(g.get("type")), type_ok(g, p)),
        }
        for k, (applies, ok) in checks.items():
            if applies:
                fields[k][1] += 1
                fields[k][0] += int(ok)
                if not ok:
                    misses.append((k, g.get("title", "")[:60], _shown(k, g, p)))
    missing = [entries[j].get("title", "")[:70] for j in required if j not in gold_taken]
    spurious = [pred[i].get("title", "")[:70] for i in range(len(pred)) if i not in pred_to_gold]
    return {"tp": tp, "fp": fp, "fn": fn, "gold": len(required), "pred": len(pred),
            "fields": fields, "dup": dup, "missing": missing, "spurious": spurious, "misses": misses}


def _shown(k: str, g: dict[str, Any], p: dict[str, Any]) -> str:
    """A short 'expected -> got' for a failed field (diagnostics only)."""
    if k == "authors":
        return f"{author_keys(g.get('author'), True)} -> {author_keys(p.get('author'), True)}"
    if k == "year":
        return f"{year_of(g)} -> {year_of(p)}"
    if k == "venue":
        return f"{g.get('venue')} -> {venue_text(p)!r}"
    if k == "type":
        return f"{g.get('type')}/{g.get('status')} -> {p.get('type')}"
    return f"{g.get('title')!r} -> {p.get('title')!r}"


def summary(r: dict[str, Any]) -> dict[str, float]:
    """Precision, recall, F1 and field accuracies of one or more summed results."""
    p = r["tp"] / max(1, r["tp"] + r["fp"])
    rc = r["tp"] / max(1, r["gold"])
    out = {"entry_p": p, "entry_r": rc, "entry_f1": 2 * p * rc / max(1e-9, p + rc)}
    for k, (ok, n) in r["fields"].items():
        out[k] = ok / n if n else 1.0
    out["dup"] = r["dup"]
    return out


def add(total: dict[str, Any] | None, r: dict[str, Any]) -> dict[str, Any]:
    """Micro-average accumulator: ``total = add(total, score_profile(...))``."""
    if total is None:
        total = {"tp": 0, "fp": 0, "fn": 0, "gold": 0, "pred": 0, "dup": 0, "fields": {k: [0, 0] for k in FIELDS}}
    for k in ("tp", "fp", "fn", "gold", "pred", "dup"):
        total[k] += r[k]
    for k, (ok, n) in r["fields"].items():
        total["fields"][k][0] += ok
        total["fields"][k][1] += n
    return total
