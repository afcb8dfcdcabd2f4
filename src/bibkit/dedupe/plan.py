"""The deduplication plan, written once and run by an existing engine (DuckDB, or Spark on a cluster).

1. **normalise** (Python): every entry becomes one flat row (the fields of its
   :class:`~bibkit.dedupe.keys.Norm` as strings and integers: :data:`COLUMNS`) and one row per
   blocking key (``keys(key, rec)``); the rules' inputs travel as one ``norm`` column (the Norm's
   fields, marshalled: rebuilt in microseconds where a pair is compared);
2. **candidate pairs** (SQL, :func:`pairs_sql`, the same text for every engine): the records
   sharing a key form a block; blocks of at most ``policy.max_block`` records give every pair
   (a self-join), larger ones a sliding window over their records sorted by title, first author
   and year (sorted neighbourhood);  a pair found in several blocks is one row, flagged
   ``filtered`` when every block that found it is a title or author block of six records or more
   (``prefix`` when one of them is a title-prefix block);
3. **prefilter** (:func:`prefilter`): the flagged pairs need a title similarity of 0.75
   (rapidfuzz ``cpdist`` over the pair arrays), or in title-prefix blocks one title starting the
   other (a subtitle dropped);
4. **compare** (:func:`compare_batch`): bibkit's rules over a batch of pairs; the positive
   decisions and the near misses are kept;
5. **connected components** of the positive decisions (:func:`components`), then the veto-aware
   clustering of each component (:func:`bibkit.dedupe.engine.cluster`);
6. **merge** (Python, :mod:`bibkit.dedupe.merge`).

Stages 1 and 3-6 are plain functions over batches of rows; the engines differ only in how they
hold the tables and feed the batches (:mod:`bibkit.dedupe.duck`, :mod:`bibkit.dedupe.spark`).
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .keys import Norm, blocking_keys
from .rules import DEFAULT_POLICY, Decision, Policy, compare

#: the record table: what the SQL reads (index, title, year, first author for the sorted window),
#: then the whole Norm for the rules (``norm``: its fields, marshalled)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("idx", "BIGINT"), ("title", "VARCHAR"), ("year", "INTEGER"), ("fam1", "VARCHAR"), ("ini1", "VARCHAR"),
    ("norm", "BLOB"),
)
NAMES = tuple(name for name, _ in COLUMNS)
_SLOTS = Norm.__slots__

#: key kinds whose blocks get every pair compared (identifiers, volume+page); title (t, e) and
#: author (a) blocks of six records or more are prefiltered by title similarity
PREFILTER = 0.75

#: decisions kept although negative: the near misses (for --explain and the review queue)
KEEP_NEGATIVE_SCORE = 0.7


# -- 1. normalise ------------------------------------------------------------------------------
def norm_row(n: Norm) -> tuple:
    """The flat row of a Norm (one value per :data:`COLUMNS`)."""
    fam1, ini1 = n.authors[0] if n.authors else (None, None)
    return (n.idx, n.title, n.year, fam1, ini1, marshal.dumps(tuple(getattr(n, s) for s in _SLOTS)))


def norm_of(blob: bytes) -> Norm:
    """The Norm of a row's ``norm`` value (see :func:`norm_row`)."""
    n = Norm.__new__(Norm)
    for slot, value in zip(_SLOTS, marshal.loads(blob), strict=True):
        setattr(n, slot, value)
    return n


def rows_of(norms: Iterable[Norm], keys_out: list[tuple[str, int]] | None = None) -> dict[str, list]:
    """The record rows of some Norms as columns (a dict of lists, Arrow-ready); their blocking
    keys are appended to ``keys_out`` as ``(key, record)``."""
    cols: list[list] = [[] for _ in COLUMNS]
    for n in norms:
        for col, value in zip(cols, norm_row(n), strict=True):
            col.append(value)
        if keys_out is not None:
            idx = n.idx
            keys_out.extend((k, idx) for k in blocking_keys(n))
    return dict(zip(NAMES, cols, strict=True))


# -- 2. candidate pairs ------------------------------------------------------------------------
def pairs_sql(records: str = "records", keys: str = "keys", policy: Policy = DEFAULT_POLICY) -> str:
    """The candidate pairs ``(a, b, filtered, prefix)`` with ``a < b``, from the tables ``records``
    (:data:`COLUMNS`) and ``keys(key, rec)``: standard SQL that DuckDB and Spark both run."""
    big, window = int(policy.max_block), int(policy.window)
    return f"""
WITH sized AS (
    SELECT key, rec, COUNT(*) OVER (PARTITION BY key) AS n FROM {keys}
),
small AS (
    SELECT x.rec AS a, y.rec AS b,
           CASE WHEN substr(x.key, 1, 1) IN ('t', 'e', 'a') AND x.n >= 6 THEN 1 ELSE 0 END AS filtered,
           CASE WHEN substr(x.key, 1, 1) = 't' AND x.n >= 6 THEN 1 ELSE 0 END AS prefix
    FROM sized x JOIN sized y ON x.key = y.key AND x.rec < y.rec
    WHERE x.n >= 2 AND x.n <= {big}
),
ranked AS (
    SELECT s.key, s.rec,
           ROW_NUMBER() OVER (PARTITION BY s.key ORDER BY r.title, CASE WHEN r.fam1 IS NULL THEN 0 ELSE 1 END,
                              r.fam1, r.ini1, COALESCE(r.year, 0), s.rec) AS pos
    FROM sized s JOIN {records} r ON r.idx = s.rec
    WHERE s.n > {big}
),
windowed AS (
    SELECT LEAST(x.rec, y.rec) AS a, GREATEST(x.rec, y.rec) AS b, 0 AS filtered, 0 AS prefix
    FROM ranked x JOIN ranked y ON x.key = y.key AND y.pos > x.pos AND y.pos < x.pos + {window}
),
found AS (
    SELECT a, b, filtered, prefix FROM small
    UNION ALL
    SELECT a, b, filtered, prefix FROM windowed
)
SELECT a, b, MIN(filtered) AS filtered, MAX(prefix) AS prefix FROM found GROUP BY a, b
"""


def recurring_sql(records: str = "records", policy: Policy = DEFAULT_POLICY) -> str:
    """Titles seen in at least ``policy.recurring_years`` different years (journal columns and the like)."""
    return (f"SELECT title FROM {records} WHERE title <> '' AND year IS NOT NULL AND year <> 0 "
            f"GROUP BY title HAVING COUNT(DISTINCT year) >= {int(policy.recurring_years)}")


def compare_sql(records: str = "records", pairs: str = "pairs") -> str:
    """The candidate pairs with both records' titles and Norms, ordered by pair."""
    return (f"SELECT p.filtered, p.prefix, ra.title AS a_title, rb.title AS b_title, ra.norm AS a_norm, "
            f"rb.norm AS b_norm FROM {pairs} p JOIN {records} ra ON ra.idx = p.a JOIN {records} rb ON rb.idx = p.b "
            "ORDER BY p.a, p.b")


# -- 3. prefilter --------------------------------------------------------------------------------
def prefilter(title_a: Sequence[str], title_b: Sequence[str], filtered: Sequence[int],
              prefix: Sequence[int]) -> Any:
    """A boolean mask of the pairs kept: every unflagged pair, and flagged pairs whose titles are
    similar (normalised Indel similarity >= 0.75) or, in title-prefix blocks, one the start of
    the other."""
    import numpy as np
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cpdist

    keep = np.asarray(filtered, dtype=np.int8) == 0
    check = np.flatnonzero(~keep)
    if len(check):
        ta = [title_a[i] for i in check.tolist()]
        tb = [title_b[i] for i in check.tolist()]
        sim = cpdist(ta, tb, scorer=Indel.normalized_similarity, score_cutoff=PREFILTER, dtype=np.float32,
                     workers=1)
        keep[check[sim > 0]] = True
        for k in check[(sim == 0) & (np.asarray(prefix, dtype=np.int8)[check] == 1)].tolist():
            x, y = title_a[k], title_b[k]
            if x and y and (x.startswith(y + " ") or y.startswith(x + " ")):
                keep[k] = True
    return keep


# -- 4. compare ----------------------------------------------------------------------------------
def keep_decision(d: Decision) -> bool:
    """The decisions the plan keeps: positive ones and near misses."""
    return d.same or d.score >= KEEP_NEGATIVE_SCORE


def compare_pairs(norms_a: Sequence[bytes], norms_b: Sequence[bytes], policy: Policy,
                  recurring: frozenset[str]) -> list[Decision]:
    """bibkit's rules over a batch of pairs given as ``norm`` values (each Norm rebuilt once per batch)."""
    built: dict[bytes, Norm] = {}

    def norm(blob: bytes) -> Norm:
        n = built.get(blob)
        if n is None:
            n = built[blob] = norm_of(blob)
        return n

    out = []
    for ra, rb in zip(norms_a, norms_b, strict=True):
        d = compare(norm(ra), norm(rb), policy, recurring)
        if keep_decision(d):
            out.append(d)
    return out


def compare_batch(batch: Any, policy: Policy, recurring: frozenset[str]) -> list[Decision]:
    """Stages 3 and 4 over one Arrow record batch of :func:`compare_sql` (or a dict of its columns)."""
    cols = batch.to_pydict() if hasattr(batch, "to_pydict") else batch
    keep = prefilter(cols["a_title"], cols["b_title"], cols["filtered"], cols["prefix"])
    idx = keep.nonzero()[0].tolist()
    na, nb = cols["a_norm"], cols["b_norm"]
    return compare_pairs([na[i] for i in idx], [nb[i] for i in idx], policy, recurring)


# -- 5. components -----------------------------------------------------------------------------
class UnionFind:
    """Union-find with member lists (small groups; members are needed for the veto check)."""

    def __init__(self, n: int = 0):
        self.parent: dict[int, int] = {}
        self.members: dict[int, list[int]] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while root in parent:
            root = parent[root]
        while x != root:
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



def components(n: int, decisions: Iterable[Decision], policy: Policy = DEFAULT_POLICY) -> dict[int, int]:
    """The connected component (a label) of every record in a positive decision that clustering
    may accept (versions only when they are merged); records alone are left out."""
    uf = UnionFind()
    for d in decisions:
        if d.same and (policy.versions == "merge" or not d.version):
            uf.union(d.a, d.b)
    return {x: root for root, members in uf.members.items() for x in members}


def by_component(labels: dict[int, int], decisions: Sequence[Decision]) -> Iterator[list[Decision]]:
    """The decisions inside each component (a near miss across two components, or with a record
    alone, cannot change a cluster and is left out)."""
    groups: dict[int, list[Decision]] = {}
    for d in decisions:
        la = labels.get(d.a)
        if la is not None and la == labels.get(d.b):
            groups.setdefault(la, []).append(d)
    yield from groups.values()
