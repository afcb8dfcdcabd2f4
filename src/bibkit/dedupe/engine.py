"""The block-processing engine: normalise once, block, compare inside blocks, cluster.

The plan has three stages, each linear in the number of records (apart from the
pairs inside each block, whose number is capped):

1. every entry becomes a :class:`~bibkit.dedupe.keys.Norm` and gets its blocking keys;
2. records sharing a key form a block; blocks are independent units of work, handed to a
   :class:`Backend` (``SerialBackend`` in this process, ``ProcessBackend`` over worker
   processes; a distributed engine only has to implement ``run``).  Blocks larger than
   ``policy.max_block`` are compared in a sliding window over the records sorted by
   title (sorted neighbourhood), so no block costs more than ``max_block * window`` pairs;
   in title and author blocks a vectorised title-similarity prefilter (rapidfuzz
   ``cdist``) skips the pairs no rule could accept;
3. the positive decisions are joined with a union-find that refuses a union when any
   pair across the two groups is vetoed (so A~B and B~C never put A with C when A and C
   are, say, a journal and a conference version).
"""

from __future__ import annotations

import contextlib
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

from ..model import Entry
from .keys import Norm, blocking_keys
from .rules import DEFAULT_POLICY, Decision, Policy, compare

#: key kinds whose blocks get every pair compared (identifiers, volume+page)
_EXHAUSTIVE = frozenset("dxip")
#: minimum title similarity a pair needs in title/author blocks (below it no rule can match
#: unless the pair also shares an identifier or volume+page block)
_PREFILTER = {"t": 0.75, "e": 0.75, "a": 0.75}
_KIND_CODE = {"d": 0, "x": 1, "i": 2, "p": 3, "t": 4, "e": 5, "a": 6}
_CODE_KIND = {v: k for k, v in _KIND_CODE.items()}

#: decisions kept although negative: the near misses (for --explain and the review queue)
KEEP_NEGATIVE_SCORE = 0.7

Block = tuple[int, Sequence[int]]  # (kind code, record indices)


class Backend(Protocol):
    """Runs a block task over all blocks and yields the decisions of each batch.

    A backend may also offer ``normalise(entries) -> (norms, key arrays)`` to run stage 1
    itself (``ProcessBackend`` does, in its workers).
    """

    def run(self, task: Callable[[list[Block]], list[Decision]], blocks: list[Block]) -> Iterator[list[Decision]]:
        ...  # pragma: no cover


class SerialBackend:
    """Processes the blocks one after the other in this process."""

    def __init__(self, batch: int = 2000):
        self.batch = batch

    def run(self, task: Callable[[list[Block]], list[Decision]], blocks: list[Block]) -> Iterator[list[Decision]]:
        for start, end in batch_bounds(blocks, self.batch):
            yield task(blocks[start:end])

    def normalise(self, entries: Sequence[Entry], advance: Callable[[int], None] | None = None
                  ) -> tuple[list[Norm], KeyArrays]:
        """The records normalised, and their blocking keys; ``advance(n)`` as records are done."""
        if advance is None:
            norms = normalise(entries)
        else:
            norms = []
            for start in range(0, len(entries), 1000):
                part = entries[start:start + 1000]
                norms.extend(Norm(start + i, e) for i, e in enumerate(part))
                advance(len(part))
        return norms, key_arrays(norms)


_STATE: dict = {}


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[Any]:
    """A pool of forked workers, shut down gracefully (close + join) when all went well and
    terminated on an error.  (``with Pool()`` terminates even after success, which can hang when a
    worker is killed while it holds the task-queue lock.)"""
    import multiprocessing as mp

    from .._workers import quiet_worker

    pool = mp.get_context("fork").Pool(workers, initializer=quiet_worker)
    try:
        yield pool
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()


def _forked_normalise(bounds: tuple[int, int]) -> tuple[list[Norm], KeyArrays]:
    entries = _STATE["entries"]
    norms = [Norm(i, entries[i]) for i in range(*bounds)]
    return norms, key_arrays(norms)


def _forked_task(bounds: tuple[int, int]) -> list[Decision]:
    task, blocks = _STATE["task"], _STATE["blocks"]
    return task(blocks[bounds[0]:bounds[1]])


class ProcessBackend:
    """Processes batches of blocks in worker processes (fork: the records are inherited, not
    pickled).  Falls back to serial where fork is unavailable."""

    def __init__(self, workers: int | None = None, batch: int = 2000, chunk: int = 20000):
        self.workers = workers or min(2, os.cpu_count() or 1)
        self.batch = batch
        self.chunk = chunk  # records normalised per worker task

    def run(self, task: Callable[[list[Block]], list[Decision]], blocks: list[Block]) -> Iterator[list[Decision]]:
        import multiprocessing as mp

        if "fork" not in mp.get_all_start_methods() or self.workers < 2 or len(blocks) < 2 * self.batch:
            yield from SerialBackend(self.batch).run(task, blocks)
            return
        _STATE["task"], _STATE["blocks"] = task, blocks
        try:
            bounds = batch_bounds(blocks, self.batch)
            with worker_pool(self.workers) as pool:
                yield from pool.imap_unordered(_forked_task, bounds)
        finally:
            _STATE.clear()


    def normalise(self, entries: Sequence[Entry], advance: Callable[[int], None] | None = None
                  ) -> tuple[list[Norm], KeyArrays]:
        """Normalise and key the records in the workers (stage 1 in parallel); ``advance(n)`` as records
        are done."""
        import multiprocessing as mp

        chunk = self.chunk
        if "fork" not in mp.get_all_start_methods() or self.workers < 2 or len(entries) < 2 * chunk:
            return SerialBackend().normalise(entries, advance)
        _STATE["entries"] = entries
        try:
            bounds = [(s, min(s + chunk, len(entries))) for s in range(0, len(entries), chunk)]
            norms: list[Norm] = []
            hashes, recs, kinds = array("q"), array("q"), array("b")
            with worker_pool(self.workers) as pool:
                for part, (h, r, k) in pool.imap(_forked_normalise, bounds):
                    if advance is not None:
                        advance(len(part))
                    norms.extend(part)
                    hashes.extend(h)
                    recs.extend(r)
                    kinds.extend(k)
            return norms, (hashes, recs, kinds)
        finally:
            _STATE.clear()


#: candidate pairs per batch, at most (a batch's memory: its pair set and its decisions)
BATCH_PAIRS = 200_000


def batch_bounds(blocks: Sequence[Block], batch: int, max_pairs: int = BATCH_PAIRS) -> list[tuple[int, int]]:
    """Slices of ``blocks`` of at most ``batch`` blocks and about ``max_pairs`` candidate pairs
    (an oversized block counts its sorted-window pairs); a big block gets a batch of its own."""
    bounds = []
    start, pairs = 0, 0
    for i, (_, members) in enumerate(blocks):
        m = len(members)
        cost = m * (m - 1) // 2 if m <= DEFAULT_POLICY.max_block else m * DEFAULT_POLICY.window
        if i > start and (i - start >= batch or pairs + cost > max_pairs):
            bounds.append((start, i))
            start, pairs = i, 0
        pairs += cost
    if start < len(blocks):
        bounds.append((start, len(blocks)))
    return bounds


def make_backend(policy: Policy) -> Backend:
    if policy.backend in ("process", "multiprocessing"):
        return ProcessBackend(policy.workers)
    return SerialBackend()


# -- stage 1 and 2: normalise and block ------------------------------------------------------
def normalise(entries: Sequence[Entry]) -> list[Norm]:
    return [Norm(i, e) for i, e in enumerate(entries)]


def recurring_titles(norms: Sequence[Norm], min_years: int) -> frozenset[str]:
    """Titles seen in at least ``min_years`` different years: journal columns and the like."""
    import numpy as np

    # candidates by (title hash, year) pairs in arrays, then the exact count for those titles only
    # (a dict of sets over millions of titles would cost ~300 bytes each)
    th = np.fromiter((hash(n.title) if n.title and n.year else 0 for n in norms), np.int64, len(norms))
    yr = np.fromiter((n.year or 0 for n in norms), np.int64, len(norms))
    keep = th != 0
    if not keep.any():
        return frozenset()
    pairs = np.unique(np.stack([th[keep], yr[keep]], axis=1), axis=0)
    hs, counts = np.unique(pairs[:, 0], return_counts=True)
    wanted = set(hs[counts >= min_years].tolist())
    if not wanted:
        return frozenset()
    years: dict[str, set] = {}
    for n in norms:
        if n.title and n.year and hash(n.title) in wanted:
            years.setdefault(n.title, set()).add(n.year)
    return frozenset(t for t, ys in years.items() if len(ys) >= min_years)


KeyArrays = tuple[array, array, array]  # key hashes, record indices, key kinds


def key_arrays(norms: Iterable[Norm]) -> KeyArrays:
    """The blocking keys of records as three flat arrays (hash, record, kind)."""
    hashes = array("q")
    recs = array("q")
    kinds = array("b")
    for n in norms:
        for key in blocking_keys(n):
            hashes.append(hash(key))
            recs.append(n.idx)
            kinds.append(_KIND_CODE[key[0]])
    return hashes, recs, kinds


def make_blocks(norms: Sequence[Norm], keys: KeyArrays | None = None) -> list[Block]:
    """Blocks of two or more records, built by sorting key hashes (no per-key objects kept)."""
    import numpy as np

    hashes, recs, kinds = keys if keys is not None else key_arrays(norms)
    if not hashes:
        return []
    h = np.frombuffer(hashes, dtype=np.int64)
    r = np.frombuffer(recs, dtype=np.int64)
    k = np.frombuffer(kinds, dtype=np.int8)
    order = np.argsort(h, kind="stable")
    hs = h[order]
    starts = np.flatnonzero(np.concatenate(([True], hs[1:] != hs[:-1])))
    ends = np.concatenate((starts[1:], [len(hs)]))
    big = np.flatnonzero(ends - starts >= 2)
    rs = r[order]
    ks = k[order]
    out: list[Block] = []
    for s, e in zip(starts[big].tolist(), ends[big].tolist(), strict=True):
        members = sorted(set(rs[s:e].tolist()))
        if len(members) >= 2:
            out.append((int(ks[s]), members))
    # identifier blocks first: their matches are certain, and later blocks skip pairs already joined;
    # then by members, so that the order (and the order of the decisions) does not depend on str hashes
    out.sort(key=lambda b: (b[0], b[1][0], b[1][1], len(b[1])))
    return out


# -- stage 2b: the block task ---------------------------------------------------------------
class BlockTask:
    """Compares the candidate pairs of a batch of blocks (picklable, no global state)."""

    def __init__(self, norms: Sequence[Norm], policy: Policy, recurring: frozenset[str]):
        self.norms = norms
        self.policy = policy
        self.recurring = recurring
        # records already joined by this task (in this process): a pair found in several blocks
        # is compared once; a small dict-based union-find, local to each worker
        self.parent: dict[int, int] = {}

    def _root(self, x: int) -> int:
        parent = self.parent
        while x in parent:
            nxt = parent[x]
            if nxt in parent:
                parent[x] = parent[nxt]
            x = nxt
        return x

    def pairs(self, kind: int, members: Sequence[int]) -> Iterator[tuple[int, int]]:
        norms, policy = self.norms, self.policy
        letter = _CODE_KIND[kind]
        if len(members) > policy.max_block:  # sorted neighbourhood inside an oversized block
            ordered = sorted(members, key=lambda m: (norms[m].title, norms[m].authors[:1], norms[m].year or 0))
            w = policy.window
            for x in range(len(ordered)):
                for y in range(x + 1, min(x + w, len(ordered))):
                    yield ordered[x], ordered[y]
            return
        cutoff = _PREFILTER.get(letter)
        if cutoff is not None and len(members) >= 6:
            import numpy as np
            from rapidfuzz.distance import Indel
            from rapidfuzz.process import cdist

            titles = [norms[m].title for m in members]
            sim = cdist(titles, titles, scorer=Indel.normalized_similarity, score_cutoff=cutoff,
                        dtype=np.float32, workers=1)
            xs, ys = np.nonzero(np.triu(sim, 1))
            for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
                yield members[x], members[y]
            if letter == "t":  # subtitle dropped: prefix pairs have a low similarity
                for x in range(len(members)):
                    tx = titles[x]
                    for y in range(x + 1, len(members)):
                        ty = titles[y]
                        if sim[x, y] == 0 and tx and ty and (tx.startswith(ty + " ") or ty.startswith(tx + " ")):
                            yield members[x], members[y]
            return
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                yield members[x], members[y]

    def __call__(self, blocks: list[Block]) -> list[Decision]:
        norms, policy, recurring = self.norms, self.policy, self.recurring
        out: list[Decision] = []
        seen: set[tuple[int, int]] = set()
        for kind, members in blocks:
            for i, j in self.pairs(kind, members):
                if i > j:
                    i, j = j, i
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                ri, rj = self._root(i), self._root(j)
                if ri == rj:
                    continue
                d = compare(norms[i], norms[j], policy, recurring)
                if d.same:
                    out.append(d)
                    if not d.version:  # versions may stay apart (--versions link/keep)
                        self.parent[max(ri, rj)] = min(ri, rj)
                elif d.score >= KEEP_NEGATIVE_SCORE:
                    out.append(d)
        return out


# -- stage 3: clusters ----------------------------------------------------------------------
class UnionFind:
    """Union-find with member lists (small groups; members are needed for the veto check)."""

    def __init__(self, n: int):
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def group(self, root: int) -> list[int]:
        return self.members.get(root, [root])

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        ga, gb = self.group(ra), self.group(rb)
        if len(ga) < len(gb):
            ra, rb, ga, gb = rb, ra, gb, ga
        self.parent[rb] = ra
        self.members[ra] = ga + gb
        self.members.pop(rb, None)
        return ra


_ID_RULES = ("ID-DOI", "ID-ARXIV", "ID-ISBN")


def cluster(norms: Sequence[Norm], decisions: list[Decision], policy: Policy = DEFAULT_POLICY,
            recurring: frozenset[str] = frozenset()) -> tuple[list[list[int]], list[Decision]]:
    """Join positive decisions into clusters, strongest first, refusing a union that would put
    two vetoed records together.  Returns the clusters (size >= 2) and the accepted decisions."""
    uf = UnionFind(len(norms))
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


def find_decisions(entries_or_norms: Sequence[Entry] | Sequence[Norm], policy: Policy = DEFAULT_POLICY,
                   backend: Backend | None = None, keys: KeyArrays | None = None
                   ) -> tuple[list[Norm], list[Decision], frozenset[str]]:
    """Stages 1 and 2: the decisions on every candidate pair (positive ones and near misses).

    ``keys``: the blocking keys of the given Norms, if already computed (:func:`key_arrays`).
    """
    from ..progress import current

    backend = backend or make_backend(policy)
    norms: list[Norm]
    progress = current()
    with progress.stage("blocking", total=len(entries_or_norms)) as stage:
        if entries_or_norms and isinstance(entries_or_norms[0], Norm):
            norms = list(entries_or_norms)  # type: ignore[arg-type]
        elif isinstance(backend, (SerialBackend, ProcessBackend)):
            norms, keys = backend.normalise(entries_or_norms, stage.advance)  # type: ignore[arg-type]
        elif hasattr(backend, "normalise"):
            norms, keys = backend.normalise(entries_or_norms)
        else:
            norms = normalise(entries_or_norms)  # type: ignore[arg-type]
        batches, recurring = run_blocks(norms, policy, backend, keys)
    best: dict[tuple[int, int], Decision] = {}
    with progress.stage("comparing", total=getattr(batches, "total", None), unit="batches") as stage:
        for batch in batches:
            for d in batch:
                best.setdefault((d.a, d.b), d)
            stage.advance()
    return norms, list(best.values()), recurring


def run_blocks(norms: Sequence[Norm], policy: Policy = DEFAULT_POLICY, backend: Backend | None = None,
               keys: KeyArrays | None = None) -> tuple[Iterator[list[Decision]], frozenset[str]]:
    """Stage 2 on normalised records: the batches of decisions as the backend yields them (a pair
    may be decided in several batches, always alike; the first decision counts), and the
    recurring titles the rules used."""
    backend = backend or make_backend(policy)
    recurring = recurring_titles(norms, policy.recurring_years)
    blocks = make_blocks(norms, keys)
    task = BlockTask(norms, policy, recurring)
    batch = getattr(backend, "batch", None)
    total = len(batch_bounds(blocks, batch)) if isinstance(batch, int) else None
    return _Batches(backend.run(task, blocks), total), recurring


class _Batches(Iterator[list[Decision]]):
    """The batches of decisions a backend yields, with their number when known (``total``, for progress)."""

    def __init__(self, batches: Iterator[list[Decision]], total: int | None):
        self.batches = batches
        self.total = total

    def __next__(self) -> list[Decision]:
        return next(self.batches)
