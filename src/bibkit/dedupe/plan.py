"""The deduplication plan, written once and run by an existing engine (DuckDB, or Spark on a cluster).

1. **normalise** (Python): every entry becomes one flat row (:data:`COLUMNS`: index, title, year,
   first author, and the rules' input as one ``norm`` column, the Norm's fields marshalled and
   rebuilt in microseconds where a pair is compared) and one row per blocking key (``keys(key, rec)``);
2. **blocks and candidate pairs** (SQL, the same text for every engine): the records sharing a key
   form a block (:func:`sized_sql`); identifier and volume+page blocks of at most
   ``policy.max_block`` records, and any block under six, give every pair (a self-join), blocks over
   ``policy.max_block`` a sliding window over their records sorted by title, first author and year
   (a ``ROW_NUMBER`` window: sorted neighbourhood) (:func:`direct_pairs_sql`);
3. **prefilter** (:func:`block_pairs`): the other title and author blocks (:func:`filtered_blocks_sql`)
   keep the pairs whose titles are similar (one rapidfuzz ``cdist`` matrix per block) or, in
   title-prefix blocks, one title starting the other; the union of both, each pair once, are the
   candidates (:func:`candidates_sql`);
4. **compare** (:func:`compare_batch`): bibkit's rules over a batch of pairs; the positive
   decisions and the near misses are kept;
5. **connected components** of the positive decisions (:func:`components`), then the veto-aware
   clustering of each component (:func:`bibkit.dedupe.engine.cluster`);
6. **merge** (Python, :mod:`bibkit.dedupe.merge`).

Stages 1 and 3-6 are plain Python functions over batches of rows; the engines differ only in how they
hold the tables and feed the batches (:mod:`bibkit.dedupe.duck`, :mod:`bibkit.dedupe.spark`).
"""

from __future__ import annotations

import marshal
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any

from .keys import Norm, blocking_keys, is_preprint_doi
from .rules import DEFAULT_POLICY, Decision, Policy, compare

#: the record table: what the SQL reads (index, title, year, first author for the sorted window),
#: then the whole Norm for the rules (``norm``: its fields, marshalled)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("idx", "BIGINT"), ("title", "VARCHAR"), ("year", "INTEGER"), ("fam1", "VARCHAR"), ("ini1", "VARCHAR"),
    ("doi", "VARCHAR"), ("arxiv", "VARCHAR"), ("isbn", "VARCHAR"), ("volume", "VARCHAR"), ("page1", "VARCHAR"),
    ("alt", "BOOLEAN"), ("pdoi", "BOOLEAN"),
    ("norm", "BLOB"),
)
NAMES = tuple(name for name, _ in COLUMNS)
_SLOTS = Norm.__slots__
_get_slots = attrgetter(*_SLOTS)
# one assignment of every slot from a tuple (a Norm rebuilt per record of a compared pair: a loop of
# setattr calls was a third of that)
_namespace: dict[str, Any] = {}
exec(f"def _fill(n, t):\n    ({', '.join('n.' + s for s in _SLOTS)},) = t\n", _namespace)
_fill = _namespace["_fill"]

#: key kinds whose blocks get every pair compared (identifiers, volume+page); title (t, e) and
#: author (a) blocks of six records or more are prefiltered by title similarity
PREFILTER = 0.75

#: decisions kept although negative: the near misses (for --explain and the review queue)
KEEP_NEGATIVE_SCORE = 0.7


# -- 1. normalise ------------------------------------------------------------------------------
def norm_row(n: Norm) -> tuple:
    """The flat row of a Norm (one value per :data:`COLUMNS`)."""
    fam1, ini1 = n.authors[0] if n.authors else (None, None)
    doi = n.doi or ""
    return (n.idx, n.title, n.year, fam1, ini1, doi, n.arxiv or "", n.isbn or "", n.volume or "", n.first or "",
            bool(n.alt), bool(doi) and is_preprint_doi(doi), marshal.dumps(_get_slots(n)))


def norm_of(blob: bytes) -> Norm:
    """The Norm of a row's ``norm`` value (see :func:`norm_row`)."""
    n = Norm.__new__(Norm)
    _fill(n, marshal.loads(blob))
    return n


def rows_of(norms: Iterable[Norm], keys_out: tuple[list[str], list[int]] | None = None) -> dict[str, Sequence]:
    """The record rows of some Norms as columns (a dict of sequences, Arrow-ready); their blocking
    keys are appended to ``keys_out``, a pair of lists (keys, records)."""
    norms = norms if isinstance(norms, Sequence) else list(norms)
    cols: list[Sequence] = list(zip(*map(norm_row, norms), strict=True)) or [() for _ in COLUMNS]
    if keys_out is not None:
        keys, recs = keys_out
        for n in norms:
            found = blocking_keys(n)
            keys += found
            recs += [n.idx] * len(found)
    return dict(zip(NAMES, cols, strict=True))


# -- 2. candidate pairs ------------------------------------------------------------------------
def sized_sql(keys: str = "keys") -> str:
    """Every key row with the size of its block."""
    return f"SELECT key, rec, COUNT(*) OVER (PARTITION BY key) AS n FROM {keys}"


#: key kinds whose blocks of six records or more are prefiltered by title similarity (title prefix,
#: title end, first author + year); identifier and volume+page blocks get every pair compared
_FILTERED = "('t', 'e', 'a')"


def direct_pairs_sql(records: str = "records", sized: str = "sized", policy: Policy = DEFAULT_POLICY) -> str:
    """The pairs taken without the prefilter ``(a, b)``, ``a < b`` (a pair may repeat): every pair of a
    small block (identifier and volume+page blocks up to ``policy.max_block`` records, others under
    six), and in blocks over ``policy.max_block`` the pairs of a sliding window of ``policy.window``
    over the records sorted by title, first author and year.  Standard SQL, run by DuckDB and Spark."""
    big, window = int(policy.max_block), int(policy.window)
    return f"""
WITH small AS (
    SELECT x.rec AS a, y.rec AS b
    FROM {sized} x JOIN {sized} y ON x.key = y.key AND x.rec < y.rec
    WHERE x.n >= 2 AND x.n <= {big} AND (x.n < 6 OR substr(x.key, 1, 1) NOT IN {_FILTERED})
),
ranked AS (
    SELECT s.key, s.rec,
           ROW_NUMBER() OVER (PARTITION BY s.key ORDER BY r.title, CASE WHEN r.fam1 IS NULL THEN 0 ELSE 1 END,
                              r.fam1, r.ini1, COALESCE(r.year, 0), s.rec) AS pos
    FROM {sized} s JOIN {records} r ON r.idx = s.rec
    WHERE s.n > {big}
),
windowed AS (
    SELECT LEAST(x.rec, y.rec) AS a, GREATEST(x.rec, y.rec) AS b
    FROM ranked x JOIN ranked y ON x.key = y.key AND y.pos > x.pos AND y.pos < x.pos + {window}
)
SELECT a, b FROM small
UNION ALL
SELECT a, b FROM windowed
"""


def filtered_blocks_sql(records: str = "records", sized: str = "sized", policy: Policy = DEFAULT_POLICY) -> str:
    """The blocks whose pairs go through the prefilter: ``(key, recs, titles)``, one row per block."""
    return f"""
SELECT s.key, array_agg(s.rec) AS recs, array_agg(r.title) AS titles
FROM {sized} s JOIN {records} r ON r.idx = s.rec
WHERE s.n >= 6 AND s.n <= {int(policy.max_block)} AND substr(s.key, 1, 1) IN {_FILTERED}
GROUP BY s.key
"""


def candidates_sql(direct: str = "direct_pairs", filtered: str = "block_pairs") -> str:
    """The candidate pairs: each pair once."""
    return f"SELECT DISTINCT a, b FROM (SELECT a, b FROM {direct} UNION ALL SELECT a, b FROM {filtered}) AS found"


def recurring_sql(records: str = "records", policy: Policy = DEFAULT_POLICY) -> str:
    """Titles seen in at least ``policy.recurring_years`` different years (journal columns and the like)."""
    return (f"SELECT title FROM {records} WHERE title <> '' AND year IS NOT NULL AND year <> 0 "
            f"GROUP BY title HAVING COUNT(DISTINCT year) >= {int(policy.recurring_years)}")


def prefilter_sql(records: str = "records", pairs: str = "pairs", positives_only: bool = False) -> str:
    """The candidate pairs with both records' titles (in no particular order), and ``need``: the title
    similarity under which the rules are sure to drop the pair (:func:`keep_decision`), so that it is
    not compared (:func:`prefilter_batch`):

    - 0 (always compared): one DOI or arXiv id, a translated title (``alt``), one title the start or the
      end of the other (:func:`bibkit.dedupe.rules.title_similarity` raises those), a title missing, or
      one volume and first page;
    - 0.9: two DOIs (of publishers, or both of preprint servers): ``V-DOI``, kept only from 0.9;
    - 0.6: otherwise ``NO-MATCH`` below 0.6.

    ``positives_only`` (only the clusters are wanted, not the near misses): 2 (never compared) for years
    more than three apart without a shared identifier (``V-YEAR`` unless an identifier says otherwise).
    Standard SQL, run by DuckDB and Spark."""
    years = ("WHEN ra.year IS NOT NULL AND ra.year <> 0 AND rb.year IS NOT NULL AND rb.year <> 0 "
             "AND abs(ra.year - rb.year) > 3 AND NOT (ra.isbn <> '' AND ra.isbn = rb.isbn) THEN 2.0") \
        if positives_only else ""
    return f"""
SELECT p.a, p.b, ra.title AS a_title, rb.title AS b_title,
    CAST(CASE
        WHEN (ra.doi <> '' AND ra.doi = rb.doi) OR (ra.arxiv <> '' AND ra.arxiv = rb.arxiv) THEN 0.0
        {years}
        WHEN ra.alt OR rb.alt OR ra.title = '' OR rb.title = ''
             OR left(ra.title, length(rb.title)) = rb.title OR left(rb.title, length(ra.title)) = ra.title
             OR right(ra.title, length(rb.title)) = rb.title OR right(rb.title, length(ra.title)) = ra.title THEN 0.0
        WHEN ra.doi <> '' AND rb.doi <> '' AND ra.pdoi = rb.pdoi THEN 0.9
        WHEN ra.volume <> '' AND ra.volume = rb.volume AND ra.page1 = rb.page1 THEN 0.0
        ELSE 0.6
    END AS DOUBLE) AS need
FROM {pairs} p JOIN {records} ra ON ra.idx = p.a JOIN {records} rb ON rb.idx = p.b
"""


def compare_sql(records: str = "records", pairs: str = "pairs") -> str:
    """The pairs to compare with both records' Norms, by first record (a batch rebuilds each Norm once:
    the pairs of one record together rebuild it once)."""
    return (f"SELECT ra.norm AS a_norm, rb.norm AS b_norm FROM {pairs} p "
            f"JOIN {records} ra ON ra.idx = p.a JOIN {records} rb ON rb.idx = p.b ORDER BY p.a")


# -- 3. prefilter --------------------------------------------------------------------------------
def block_pairs(key: str, recs: Sequence[int], titles: Sequence[str]) -> tuple[list[int], list[int]]:
    """The pairs of one prefiltered block ``(a, b)``, ``a < b``: titles similar enough for a rule to
    accept them (normalised Indel similarity >= 0.75, one rapidfuzz ``cdist`` matrix per block) or,
    in title-prefix blocks, one title the start of the other (a subtitle dropped)."""
    import numpy as np
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cdist

    sim = cdist(titles, titles, scorer=Indel.normalized_similarity, score_cutoff=PREFILTER, dtype=np.float32,
                workers=1)
    xs, ys = np.nonzero(np.triu(sim, 1))
    if key[0] == "t":
        # the titles starting with ``title + " "`` are one run of the sorted titles: found by bisection
        # (a loop over every pair of a block grew with the square of its size)
        order = sorted(range(len(titles)), key=titles.__getitem__)
        ordered = [titles[i] for i in order]
        px: list[int] = []
        py: list[int] = []
        for x, tx in enumerate(titles):
            if not tx:
                continue
            lo, hi = bisect_left(ordered, tx + " "), bisect_left(ordered, tx + "!")
            for y in order[lo:hi]:
                if sim[x, y] == 0:
                    px.append(x)
                    py.append(y)
        if px:
            xs, ys = np.concatenate([xs, np.asarray(px, xs.dtype)]), np.concatenate([ys, np.asarray(py, ys.dtype)])
    r = np.asarray(recs, np.int64)
    ra, rb = r[xs], r[ys]
    return np.minimum(ra, rb).tolist(), np.maximum(ra, rb).tolist()


def block_pairs_batch(batch: Any) -> dict[str, list[int]]:
    """:func:`block_pairs` over one Arrow batch of :func:`filtered_blocks_sql` (or a dict of its columns)."""
    cols = batch.to_pydict() if hasattr(batch, "to_pydict") else batch
    out_a: list[int] = []
    out_b: list[int] = []
    for key, recs, titles in zip(cols["key"], cols["recs"], cols["titles"], strict=True):
        a, b = block_pairs(key, recs, titles)
        out_a += a
        out_b += b
    return {"a": out_a, "b": out_b}


def prefilter_batch(batch: Any) -> tuple[Any, Any]:
    """The pairs ``(a, b)`` (numpy arrays) of one Arrow batch of :func:`prefilter_sql` (or a dict of its
    columns) whose titles reach their ``need``: one rapidfuzz ``cpdist`` over the batch's titles (the
    others would be dropped by the rules, so their Norms are not even read)."""
    import numpy as np
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cpdist

    if hasattr(batch, "column"):
        cols = {name: batch.column(name) for name in ("a", "b", "need")}
        a, b, need = (cols[name].to_numpy(zero_copy_only=False) for name in ("a", "b", "need"))
        titles_a, titles_b = batch.column("a_title").to_pylist(), batch.column("b_title").to_pylist()
    else:
        a, b = np.asarray(batch["a"], np.int64), np.asarray(batch["b"], np.int64)
        need = np.asarray(batch["need"], np.float64)
        titles_a, titles_b = batch["a_title"], batch["b_title"]
    if not len(need):
        return a, b
    sim = cpdist(titles_a, titles_b, scorer=Indel.normalized_similarity, dtype=np.float64, workers=1)
    # the rules compute the same similarity (a hair of slack: a pair on the line is compared)
    keep = sim >= need - 1e-9
    return a[keep], b[keep]


# -- 4. compare ----------------------------------------------------------------------------------
def keep_decision(d: Decision) -> bool:
    """The decisions the plan keeps: positive ones, near misses, and identifier conflicts (one
    identifier on unrelated records: reported for a look)."""
    return d.same or d.score >= KEEP_NEGATIVE_SCORE or d.rule == "V-ID-CONFLICT"


def compare_pairs(norms_a: Sequence[bytes], norms_b: Sequence[bytes], policy: Policy,
                  recurring: frozenset[str], positives_only: bool = False) -> list[Decision]:
    """bibkit's rules over a batch of pairs given as ``norm`` values (each Norm rebuilt once per batch);
    the decisions :func:`keep_decision` keeps (``positives_only``: the positive ones)."""
    built: dict[bytes, Norm] = {}

    def norm(blob: bytes) -> Norm:
        n = built.get(blob)
        if n is None:
            n = built[blob] = norm_of(blob)
        return n

    out = []
    for ra, rb in zip(norms_a, norms_b, strict=True):
        d = compare(norm(ra), norm(rb), policy, recurring)
        if d.same if positives_only else keep_decision(d):
            out.append(d)
    return out


def compare_batch(batch: Any, policy: Policy, recurring: frozenset[str], positives_only: bool = False
                  ) -> list[Decision]:
    """Stage 4 over one Arrow record batch of :func:`compare_sql` (or a dict of its columns)."""
    cols = batch.to_pydict() if hasattr(batch, "to_pydict") else batch
    return compare_pairs(cols["a_norm"], cols["b_norm"], policy, recurring, positives_only)


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
