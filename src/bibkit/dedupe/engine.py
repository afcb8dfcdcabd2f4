"""The deduplication engines: the plan of :mod:`bibkit.dedupe.plan` run by DuckDB (one machine,
the default) or Spark (a cluster), and the clustering of its decisions.

Every engine runs the same plan (normalise, candidate pairs in SQL, prefilter, the rules over
batches of pairs) and hands back the decisions; the positive ones are then split into connected
components and each component is clustered with a union-find that refuses a union when any pair
across the two groups is vetoed (so A~B and B~C never put A with C when A and C are, say, a
journal and a conference version).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from ..errors import UsageError
from ..model import Entry
from .keys import Norm
from .plan import KEEP_NEGATIVE_SCORE, UnionFind, by_component, components
from .rules import DEFAULT_POLICY, Decision, Policy, compare

__all__ = ["KEEP_NEGATIVE_SCORE", "Engine", "UnionFind", "cluster", "cluster_all", "find_decisions",
           "make_engine", "normalise"]

#: records normalised per chunk handed to the engine
CHUNK = 50_000

ENGINES = ("duckdb", "spark")


class Engine(Protocol):
    """Runs stages 2-4 of the plan over chunks of Norms: the kept decisions and the recurring titles."""

    def decide(self, chunks: Iterable[Sequence[Norm]], policy: Policy) -> tuple[list[Decision], frozenset[str]]:
        ...  # pragma: no cover


def make_engine(policy: Policy) -> Engine:
    """The engine a policy names (``policy.engine``; ``policy.workers`` threads)."""
    name = policy.engine
    if name == "duckdb":
        from .duck import DuckDBEngine

        return DuckDBEngine(threads=policy.workers)
    if name == "spark":
        from .spark import SparkEngine

        return SparkEngine(master=policy.extra.get("spark_master"))
    raise UsageError(f"unknown dedupe engine {name!r}; known: {', '.join(ENGINES)}")


def normalise(entries: Iterable[Entry]) -> list[Norm]:
    return [Norm(i, e) for i, e in enumerate(entries)]


def chunked(norms: Sequence[Norm], size: int = CHUNK) -> Iterator[Sequence[Norm]]:
    for start in range(0, len(norms), size):
        yield norms[start:start + size]


def find_decisions(entries_or_norms: Sequence[Entry] | Sequence[Norm], policy: Policy = DEFAULT_POLICY,
                   engine: Engine | None = None) -> tuple[list[Norm], list[Decision], frozenset[str]]:
    """Stages 1-4: the Norms, the decisions on every candidate pair (positive ones and near misses,
    ordered by pair) and the recurring titles the rules used."""
    from ..io.bibtex import _gc_paused  # many small long-lived objects: the collector would walk them
    from ..progress import staged

    engine = engine or make_engine(policy)
    norms: list[Norm]
    with _gc_paused():
        if entries_or_norms and isinstance(entries_or_norms[0], Norm):
            norms = list(entries_or_norms)  # type: ignore[arg-type]
        else:
            norms = normalise(staged("blocking", entries_or_norms, "records", every=1000))  # type: ignore[arg-type]
        chunks = list(chunked(norms))
        # the engine's plan as one stage, advanced as it takes each chunk of records in
        decisions, recurring = engine.decide(staged("comparing", chunks, "chunks", every=1), policy)
    return norms, decisions, recurring


# -- stage 5: clusters ----------------------------------------------------------------------
#: records whose Norms are read back from an engine at a time for the veto checks
NORM_BATCH = 50_000


def _norm_batches(groups: list[list[Decision]], norms: Any) -> Iterator[list[tuple[list[Decision], Any]]]:
    """The components' decisions with the Norms their veto checks may read: ``norms`` itself, or when
    it is a callable (records kept in an engine), the Norms of a batch of components read at once
    (about :data:`NORM_BATCH` records; a component of two records needs none)."""
    if not callable(norms):
        yield [(g, norms) for g in groups]
        return
    batch: list[list[Decision]] = []
    wanted: set[int] = set()
    for g in groups:
        batch.append(g)
        if len(g) > 1:
            wanted.update(i for d in g for i in (d.a, d.b))
        if len(wanted) >= NORM_BATCH or len(batch) >= 4 * NORM_BATCH:
            known = norms(sorted(wanted)) if wanted else {}
            yield [(x, known) for x in batch]
            batch, wanted = [], set()
    if batch:
        known = norms(sorted(wanted)) if wanted else {}
        yield [(x, known) for x in batch]

_ID_RULES = ("ID-DOI", "ID-ARXIV", "ID-ISBN")


def cluster(norms: Sequence[Norm] | Mapping[int, Norm], decisions: list[Decision], policy: Policy = DEFAULT_POLICY,
            recurring: frozenset[str] = frozenset()) -> tuple[list[list[int]], list[Decision]]:
    """Join positive decisions into clusters, strongest first, refusing a union that would put
    two vetoed records together (the refusal is appended to ``decisions``).  Returns the clusters
    (size >= 2) and the accepted decisions.  ``norms``: the records by index (only those of the
    decisions are read)."""
    uf = UnionFind()
    positive = [d for d in decisions if d.same and (policy.versions == "merge" or not d.version)]
    positive.sort(key=lambda d: (d.rule not in _ID_RULES, -d.score, d.a, d.b))
    known = {(d.a, d.b): d for d in decisions}
    accepted: list[Decision] = []
    for d in positive:
        ra, rb = uf.find(d.a), uf.find(d.b)
        if ra == rb:
            accepted.append(d)
            continue
        ga, gb = uf.group(ra), uf.group(rb)
        if len(ga) > 1 or len(gb) > 1:
            blocked = None
            if len(ga) * len(gb) <= 2500:
                for x in ga:
                    for y in gb:
                        key = (x, y) if x < y else (y, x)
                        other = known.get(key)
                        if other is None:
                            other = compare(norms[key[0]], norms[key[1]], policy, recurring)
                            known[key] = other
                        if not other.same and other.rule.startswith("V-"):
                            blocked = other
                            break
                    if blocked:
                        break
            if blocked is not None:
                decisions.append(Decision(d.a, d.b, False, blocked.rule,
                                          f"would join {blocked.a} and {blocked.b}: {blocked.reason}", d.score))
                continue
        uf.union(d.a, d.b)
        accepted.append(d)
    clusters = [sorted(m) for m in uf.members.values() if len(m) > 1]
    clusters.sort()
    return clusters, accepted


def cluster_all(n: int, norms: Sequence[Norm] | Mapping[int, Norm] | Any, decisions: list[Decision],
                policy: Policy = DEFAULT_POLICY, recurring: frozenset[str] = frozenset()
                ) -> tuple[list[list[int]], list[Decision]]:
    """Stage 5 over all records: the connected components of the positive decisions, each
    clustered on its own by :func:`cluster` (a union never crosses a component).  ``norms``
    may be a callable giving the Norms of a list of record indices (records kept in an engine).
    The refused unions are appended to ``decisions``; returns the clusters and accepted decisions."""
    labels = components(n, decisions, policy)
    groups = list(by_component(labels, decisions))
    del labels
    clusters: list[list[int]] = []
    accepted: list[Decision] = []
    refused: list[Decision] = []
    for batch in _norm_batches(groups, norms):
        for group, known in batch:
            if len(group) == 1:  # two records and their one positive decision: nothing to refuse
                d = group[0]
                clusters.append(sorted((d.a, d.b)))
                accepted.append(d)
                continue
            before = len(group)
            found, ok = cluster(known, group, policy, recurring)
            clusters += found
            accepted += ok
            refused += group[before:]
    decisions += refused
    clusters.sort()
    accepted.sort(key=lambda d: (d.a, d.b))
    return clusters, accepted
