"""Merging the records of one work into one entry, losing nothing.

Sources are ranked: published before preprint, then the most complete record first.
Each field comes from the best-ranked source that has it; the values of other sources
that conflict with it are kept in that source's ``Provenance.dropped``.  Author lists:
the longer list wins when the other is a prefix of it, and initials are replaced by full
given names found in any source.  The merged entry carries the provenance of all sources,
and the citation keys of the others as aliases (``ids``, which biblatex resolves).

>>> from bibkit.model import Entry, Name, Date, Provenance
>>> pre = Entry(type="article", key="p", title="Attention is all you need", arxiv="1706.03762",
...             author=[Name(family="Vaswani", given="Ashish")], issued=Date(2017),
...             provenance=[Provenance(source="a.bib", record_id="p")])
>>> pub = Entry(type="paper-conference", key="q", title="Attention Is All You Need", container_title="NeurIPS",
...             author=[Name(family="Vaswani", given="A.")], issued=Date(2017), page="5998-6008",
...             provenance=[Provenance(source="b.bib", record_id="q")])
>>> m = merge_entries([pre, pub], preprint=[True, False])
>>> (m.key, m.type, m.container_title, m.arxiv, m.author[0].given, len(m.provenance))
('q', 'paper-conference', 'NeurIPS', '1706.03762', 'Ashish', 2)
>>> m.provenance[1].dropped
{'type': 'article'}
>>> m.extra["ids"]  # the other record's key, so \\cite{p} still works (biblatex)
'p'
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from typing import TypeVar

from ..model import DATE_FIELDS, NAME_FIELDS, STRING_FIELDS, Entry, Name, Provenance, page_range
from .keys import fold_text, name_key, normalize_doi

_T = TypeVar("_T")


def _completeness(e: Entry) -> int:
    score = len(e.fields())
    score += sum(1 for n in e.author if n.given and len(n.given.replace(".", "").replace(" ", "")) > 2)
    return score


def _is_initials(given: str | None) -> bool:
    if not given:
        return True
    parts = given.replace(".", " ").replace("-", " ").split()
    return all(len(p) == 1 for p in parts)


def _same_value(field_name: str, a: object, b: object) -> bool:
    if a == b:
        return True
    if isinstance(a, str) and isinstance(b, str):
        if field_name == "doi":
            return normalize_doi(a) == normalize_doi(b)
        return fold_text(a) == fold_text(b)
    return False


def merge_names(lists: Sequence[list[Name]]) -> list[Name]:
    """The best author list: the longest one that extends the others, full given names preferred.

    >>> a = [Name(family="Zuna", given="R E"), Name(family="Wang", given="S S")]
    >>> b = [Name(family="Zuna", given="Rosemary E."), Name(family="Wang", given="Sophia S."),
    ...      Name(literal="ALTS Group")]
    >>> [n.display() for n in merge_names([a, b])]
    ['Rosemary E. Zuna', 'Sophia S. Wang', 'ALTS Group']
    """
    lists = [lst for lst in lists if lst]
    if not lists:
        return []
    keyed = [[name_key(n)[0] for n in lst if not n.is_others] for lst in lists]
    best = 0
    for i, keys in enumerate(keyed):
        cur = keyed[best]
        if len(keys) > len(cur) and keys[: len(cur)] == cur:
            best = i
    chosen = [copy.copy(n) for n in lists[best]]
    # initials -> full given names found elsewhere
    full: dict[tuple[str, str], str] = {}
    for lst in lists:
        for n in lst:
            fam, ini = name_key(n)
            if n.given and not _is_initials(n.given):
                full.setdefault((fam, ini), n.given)
    for n in chosen:
        if n.literal or not _is_initials(n.given):
            continue
        better = full.get(name_key(n))
        if better:
            n.given = better
    return chosen


def citation_aliases(entries: Sequence[Entry], key: str | None) -> list[str]:
    """The citation keys of ``entries`` and the aliases their ``ids`` fields list, in order, but
    ``key`` (the merged entry's own): its ``ids``, so ``\\cite`` of any of them still works (biblatex)."""
    out: list[str] = []
    for e in entries:
        for alias in [e.key or "", *(e.extra.get("ids") or "").split(",")]:
            alias = alias.strip()
            if alias and alias != key and alias not in out:
                out.append(alias)
    return out


def merge_entries(entries: Sequence[Entry], preprint: Sequence[bool] | None = None) -> Entry:
    """One entry from the records of one work (see the module doc)."""
    if len(entries) == 1:
        return entries[0]
    flags = list(preprint) if preprint is not None else [e.status == "preprint" or bool(e.arxiv and not e.doi)
                                                         for e in entries]
    order = sorted(range(len(entries)), key=lambda i: (flags[i], -_completeness(entries[i]), i))
    ranked = [entries[i] for i in order]
    best = ranked[0]
    merged = Entry(type=best.type, key=best.key)
    dropped: list[dict] = [{} for _ in ranked]

    def pick(name: str, values: Sequence[_T]) -> _T | None:
        chosen, where = None, -1
        for k, v in enumerate(values):
            if v not in (None, "", [], {}):
                chosen, where = v, k
                break
        if chosen is None:
            return None
        for k, v in enumerate(values):
            if k != where and v not in (None, "", [], {}) and not _same_value(name, chosen, v):
                dropped[k][name] = v
        return chosen

    for name in STRING_FIELDS:
        if name == "doi":
            continue
        setattr(merged, name, pick(name, [getattr(e, name) for e in ranked]))
    merged.page = page_range(merged.page)  # a merged entry is written anew: its range with an en dash ("--")
    # DOI: a publisher DOI wins over a preprint DOI; the arXiv id is kept either way
    dois = [e.doi for e in ranked]
    merged.doi = pick("doi", dois)
    if not merged.arxiv:
        from .keys import arxiv_of

        for e in ranked:
            ax = arxiv_of(e)
            if ax:
                merged.arxiv = ax
                break
    for k, e in enumerate(ranked[1:], 1):
        if e.type != merged.type:
            dropped[k]["type"] = e.type
    for name in NAME_FIELDS:
        lists = [getattr(e, name) for e in ranked]
        setattr(merged, name, merge_names(lists))
        for k, lst in enumerate(lists):
            if lst and [name_key(n)[0] for n in lst] != [name_key(n)[0] for n in getattr(merged, name)][: len(lst)]:
                dropped[k][name] = [n.to_dict() for n in lst]
    for name in DATE_FIELDS:
        values = [getattr(e, name) for e in ranked]
        setattr(merged, name, pick(name, [v if v else None for v in values]))
    statuses = [e.status for e in ranked]
    merged.status = None if any(s is None for s in statuses) else statuses[0]
    for k, e in enumerate(ranked):
        for key, value in e.extra.items():
            if key == "ids":
                continue  # the aliases of every record are kept, below
            if key not in merged.extra:
                merged.extra[key] = value
            elif not _same_value(key, merged.extra[key], value):
                dropped[k].setdefault("extra", {})[key] = value
        for rel in e.related:
            if rel not in merged.related:
                merged.related.append(rel)
    aliases = citation_aliases(ranked, merged.key)
    if aliases:
        merged.extra["ids"] = ",".join(aliases)
    for k, e in enumerate(ranked):
        provs = [dataclasses.replace(p, dropped=dict(p.dropped)) for p in e.provenance] or [
            Provenance(source="<input>", record_id=e.key)]
        if dropped[k]:
            provs[0].dropped.update(dropped[k])
        merged.provenance.extend(provs)
    confidences = [e.confidence for e in ranked if e.confidence is not None]
    merged.confidence = max(confidences) if confidences else None
    return merged
