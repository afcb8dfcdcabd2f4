"""Merging publication lists: each work once across pages, news items and a reformatted copy.

Uses the gold entries of ../shared/data/profiles (what a perfect profile parser returns), so
this checks the deduplicator, not the parser.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from bibkit.dedupe import dedupe
from bibkit.io.csljson import entry_from_csl
from bibkit.model import Name, Provenance

PROFILES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "profiles"
pytestmark = pytest.mark.skipif(not PROFILES.exists(), reason="../shared data not present")

_MARKS = {"\u0301": "'", "\u0300": "`", "\u0308": '"', "\u0302": "^", "\u0303": "~"}


def latex(text: str) -> str:
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in _MARKS and out:
            out.append("{\\" + _MARKS[ch] + out.pop() + "}")
        elif not unicodedata.combining(ch):
            out.append(ch)
    return "".join(out)


def load_gold() -> list[tuple[str, dict]]:
    items = []
    for path in sorted(PROFILES.glob("*.gold.json")):
        for item in json.loads(path.read_text(encoding="utf-8"))["entries"]:
            items.append((path.name, item))
    return items


def test_pages_news_items_and_a_reformatted_copy_give_each_work_once():
    gold = load_gold()
    entries, work = [], []
    for n, (page, item) in enumerate(gold):
        csl = {k: v for k, v in item.items() if k not in ("venue", "occurrences", "optional", "note")}
        csl["id"] = f"{page}:{item['id']}"
        e = entry_from_csl(csl)
        e.provenance = [Provenance(source=page, record_id=csl["id"])]
        entries.append(e)
        work.append(n)
        for k in range(1, item.get("occurrences", 1)):  # a news item: title, short venue, year; no authors
            news = e.copy()
            news.key = f"{csl['id']}#news{k}"
            news.provenance = [Provenance(source=page, record_id=news.key)]
            news.author = []
            news.container_title = (item.get("venue") or [e.container_title])[0]
            entries.append(news)
            work.append(n)
    first_page = gold[0][0]
    for n, (page, item) in enumerate(gold):  # the first page again, reformatted
        if page != first_page:
            continue
        e = entries[work.index(n)].copy()
        e.key = f"copy:{item['id']}"
        e.provenance = [Provenance(source="copy", record_id=e.key)]
        e.title = latex(e.title or "") + "."
        e.author = [Name(family=latex(a.family or ""), given=" ".join(p[0] + "." for p in (a.given or "").split()))
                    if a.family else a for a in e.author]
        venues = item.get("venue") or []
        if len(venues) > 1:
            e.container_title = venues[1]
        entries.append(e)
        work.append(n)
    res = dedupe(entries)
    got = sorted(sorted(work[i] for i in g) for g in res.groups)
    want: dict[int, list[int]] = {}
    for w in work:
        want.setdefault(w, []).append(w)
    assert len(res.entries) == len(gold), [g for g in got if len(set(g)) > 1 or g.count(g[0]) < work.count(g[0])]
    assert got == sorted(want.values())
