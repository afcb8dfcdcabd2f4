"""Deduplication: one entry per work, explained, at scale.

>>> from bibkit.model import Entry, Name, Date
>>> a = Entry(key="a", type="article-journal", title="Complement dysfunction in hemolytic uremic syndrome",
...           author=[Name(family="Zipfel", given="P. F."), Name(family="Skerka", given="C.")],
...           issued=Date(2006), container_title="Curr Opin Rheumatol", volume="18", page="548-55")
>>> b = Entry(key="b", type="article-journal", title="Complement Dysfunction in Hemolytic Uremic Syndrome.",
...           author=[Name(family="Zipfel", given="Peter F."), Name(family="Skerka", given="Christine")],
...           issued=Date(2006), container_title="Current Opinion in Rheumatology", volume="18", page="548-555")
>>> c = Entry(key="c", type="article-journal", title="Editorial", author=[Name(family="Zipfel", given="P.")],
...           issued=Date(2006), container_title="Curr Opin Rheumatol")
>>> res = dedupe([a, b, c])
>>> res.cluster_ids()
[['a', 'b'], ['c']]
>>> [e.author[0].given for e in res.entries]
['Peter F.', 'P.']
>>> res.decisions[0].rule
'TAY'

The pairwise API (also used by ``bibkit check``):

>>> same_work(a, b).same, same_work(a, c).same
(True, False)
>>> [(i, j, d.rule) for i, j, d in find_duplicates([a, b, c])]
[(0, 1, 'TAY')]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .._callable import make_callable
from ..errors import UsageError
from ..model import Entry, ReadResult
from ..progress import staged
from .engine import CHUNK, Engine, cluster_all, find_decisions, make_engine
from .keys import PREPRINT_F, Norm
from .merge import merge_entries
from .review import review_queue
from .rules import RULES, Decision, Policy, compare, same_work
from .trace import trace

__all__ = [
    "RULES", "Decision", "DedupeResult", "Engine", "Policy", "cluster_records", "compare", "dedupe", "find_duplicates",
    "merge_entries", "same_work",
]

VERSIONS = ("merge", "link", "keep")


def record_id(entry: Entry, index: int) -> str:
    """The id of an input record: its source record id, else its key, else ``#index``."""
    for p in entry.provenance:
        if p.record_id:
            return p.record_id
    return entry.key or f"#{index}"


@dataclass
class DedupeResult:
    """What :func:`dedupe` found.

    ``entries``: one entry per work, in input order of each work's first record (records
    that are alone are passed through unchanged, the same objects).  ``groups``: for each
    output entry, the input indices it came from.  ``decisions``: the accepted positive
    decisions (the ones that formed the clusters) and the near misses (vetoes, weak
    matches), each with its rule id.  ``review``: the near misses worth a human look, best
    first.  ``versions``: preprint/published pairs that were linked or kept apart.
    """

    entries: list[Entry]
    groups: list[list[int]]
    decisions: list[Decision]
    ids: list[str]
    review: list[Decision] = field(default_factory=list)
    versions: list[Decision] = field(default_factory=list)

    @property
    def clusters(self) -> list[list[int]]:
        """Groups of two or more input indices (one work each)."""
        return [g for g in self.groups if len(g) > 1]

    def cluster_ids(self, singletons: bool = True) -> list[list[str]]:
        """Every work as the list of its input record ids (``singletons=False``: only the duplicates)."""
        return [[self.ids[i] for i in g] for g in self.groups if singletons or len(g) > 1]

    def explain(self) -> list[str]:
        """One line per decision, with record ids, verdict and rule id."""
        order = sorted(self.decisions, key=lambda d: (not d.same, d.a, d.b))
        return [d.describe(self.ids) for d in order]


def _policy(policy: Any, options: dict[str, Any]) -> Policy:
    if policy is None:
        base = Policy()
    elif isinstance(policy, Policy):
        base = dataclasses.replace(policy)
    elif isinstance(policy, dict):
        options = {**policy, **options}
        base = Policy()
    else:
        raise UsageError(f"policy must be a Policy or a dict, not {type(policy).__name__}")
    names = {f.name for f in dataclasses.fields(Policy)}
    for key, value in options.items():
        if key not in names:
            raise UsageError(f"unknown dedupe option {key!r}; known: {', '.join(sorted(names))}")
        setattr(base, key, value)
    if base.versions not in VERSIONS:
        raise UsageError(f"versions must be one of {', '.join(VERSIONS)}, not {base.versions!r}")
    return base


def find_duplicates(entries: Sequence[Entry], policy: Policy | None = None,
                    engine: Engine | None = None) -> list[tuple[int, int, Decision]]:
    """Pairs of input indices ``(i, j, decision)`` judged one work (before clustering), sorted."""
    pol = policy or Policy()
    _, decisions, _ = find_decisions(entries, pol, engine)
    return sorted(((d.a, d.b, d) for d in decisions if d.same), key=lambda t: (t[0], t[1]))


def _engine_option(engine: Engine | str | None, options: dict[str, Any]) -> Engine | None:
    if isinstance(engine, str):
        options["engine"] = engine
        return None
    return engine


def cluster_records(entries: Iterable[Entry], policy: Policy | dict | None = None, *,
                    engine: Engine | str | None = None, **options: Any) -> list[list[int]]:
    """Only the clusters (lists of input indices, size >= 2) of a stream of entries.

    The memory-lean path for very large inputs: each entry is normalised as it arrives and
    handed to the engine (DuckDB: to its tables, spilled to disk beyond its memory limit) in
    chunks; no entry or Norm is kept, nothing is merged.
    """
    obj = _engine_option(engine, options)
    pol = _policy(policy, options)
    eng: Any = obj or make_engine(pol)
    if not hasattr(eng, "open"):  # an engine without tables of its own: the in-memory path
        norms, decisions, recurring = find_decisions(list(entries), pol, eng)
        return cluster_all(len(norms), norms, decisions, pol, recurring)[0]
    from ..io.bibtex import _gc_paused  # millions of small long-lived objects: the collector would walk them

    with eng, _gc_paused():
        n = 0
        chunk: list[Norm] = []
        for e in entries:
            chunk.append(Norm(n, e))
            n += 1
            if len(chunk) >= CHUNK:
                eng.add(chunk)
                chunk = []
        if chunk:
            eng.add(chunk)
        del chunk
        trace(f"{n} records normalised and added")
        recurring = eng.recurring(pol)
        # only the clusters are wanted: the near misses are not kept (a veto check compares again)
        decisions = eng.run_pairs(pol, recurring, positives_only=True)
        trace("clustering")
        found = cluster_all(n, eng.norms, decisions, pol, recurring)[0]
        trace(f"{len(found)} clusters")
        return found


def dedupe(entries: Sequence[Entry], policy: Policy | dict | None = None, *, engine: Engine | str | None = None,
           **options: Any) -> DedupeResult:
    """Cluster the records of one work and merge each cluster into one entry.

    ``policy``: a :class:`Policy` (or a dict of its fields); keyword options override it,
    e.g. ``versions="link"``, ``workers=2``.  ``engine``: ``"duckdb"`` (the default) or
    ``"spark"``, or an engine object.
    """
    entries = entries.entries if isinstance(entries, ReadResult) else list(entries)
    obj = _engine_option(engine, options)
    pol = _policy(policy, options)
    norms, decisions, recurring = find_decisions(entries, pol, obj)
    clusters, accepted = cluster_all(len(norms), norms, decisions, pol, recurring)
    in_cluster: dict[int, int] = {}
    ci: int | None
    for ci, members in enumerate(clusters):
        for m in members:
            in_cluster[m] = ci
    groups: list[list[int]] = []
    for i in range(len(entries)):
        ci = in_cluster.get(i)
        if ci is None:
            groups.append([i])
        elif clusters[ci][0] == i:
            groups.append(clusters[ci])
    merged = [entries[g[0]] if len(g) == 1 else merge_entries([entries[i] for i in g], _preprints(norms, g))
              for g in staged("merging", groups, "works")]
    ids = [record_id(e, i) for i, e in enumerate(entries)]
    accepted_keys = {(d.a, d.b) for d in accepted}
    near = [d for d in decisions if not d.same or (d.a, d.b) not in accepted_keys]
    versions = [d for d in decisions if d.same and d.version and pol.versions != "merge"]
    if pol.versions == "link" and versions:
        where = {i: gi for gi, g in enumerate(groups) for i in g}
        for d in versions:
            ga, gb = where[d.a], where[d.b]
            if ga == gb:
                continue
            ea, eb = merged[ga], merged[gb]
            if len(groups[ga]) == 1:
                merged[ga] = ea = ea.copy()
            if len(groups[gb]) == 1:
                merged[gb] = eb = eb.copy()
            ka, kb = ea.key or ids[d.a], eb.key or ids[d.b]
            if kb not in ea.related:
                ea.related.append(kb)
            if ka not in eb.related:
                eb.related.append(ka)
    review = review_queue(norms, near, in_cluster, pol.review_limit, recurring)
    return DedupeResult(merged, groups, accepted + [d for d in near if not d.same], ids, review, versions)


def _preprints(norms: list[Norm], group: list[int]) -> list[bool]:
    return [bool(norms[i].flags & PREPRINT_F) and norms[i].kind == "preprint" for i in group]


make_callable(__name__, dedupe)
