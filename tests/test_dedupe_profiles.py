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
pytestmark = [pytest.mark.skipif(not PROFILES.exists(), reason="../shared data not present"),
              pytest.mark.usefixtures("profile_engine")]  # both parser engines (conftest.py)

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


def _owner(gold: dict) -> str | None:
    owner = gold.get("owner")
    return f"{owner['family']}, {owner.get('given', '')}" if isinstance(owner, dict) else owner


_PARSED: dict[str, dict] = {}


@pytest.fixture
def parsed_pages(profile_engine: str) -> dict:
    """The four pages parsed once per parser engine."""
    if profile_engine not in _PARSED:
        _PARSED[profile_engine] = _parse_pages()
    return _PARSED[profile_engine]


def _parse_pages() -> dict:
    from bibkit.profile import parse_profile

    parsed = {}
    for txt in sorted(PROFILES.glob("*.txt")):
        gold = json.loads(txt.with_name(txt.stem + ".gold.json").read_text(encoding="utf-8"))
        parsed[txt.name] = (parse_profile(str(txt), owner=_owner(gold)).entries, _owner(gold))
    return parsed


@pytest.mark.parametrize("style", ["ieee", "apa"])
def test_parsed_pages_and_a_reparsed_copy_in_another_layout_give_each_work_once(parsed_pages, style):
    """End to end: the four pages through the profile parser, and the largest page again, printed in
    another citation style (IEEE: initials; APA: author-date) with LaTeX accents and parsed back."""
    from bibkit import format_bibliography
    from bibkit.profile import parse_profile

    originals = [e for entries, _ in parsed_pages.values() for e in entries]
    page = max(parsed_pages, key=lambda name: len(parsed_pages[name][0]))
    entries, owner = parsed_pages[page]
    text = format_bibliography(entries, style=style)
    text = latex(text if isinstance(text, str) else "\n".join(text))
    copy = parse_profile("Publications\n\n" + text, owner=owner).entries
    assert len(copy) == len(entries)
    res = dedupe(originals + copy)
    n = len(originals)
    assert len(res.entries) == n  # every copy joined its original, nothing else merged
    for group in res.groups:
        assert sum(1 for i in group if i < n) == 1, [originals[i].title for i in group if i < n]
