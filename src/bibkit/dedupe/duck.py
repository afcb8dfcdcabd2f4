"""The DuckDB engine: the plan of :mod:`bibkit.dedupe.plan` in an in-process DuckDB database.

The records and their blocking keys are appended as Arrow batches (one chunk of Norms at a
time, so only a chunk is ever held as Python objects); the blocks and candidate pairs are the
plan's SQL, the prefiltered blocks are read back in Arrow batches for their title matrices, and
the candidate pairs with both records' Norms in Arrow batches for the rules.  DuckDB runs the
joins and sorts on ``threads`` threads within ``memory_limit`` and spills to ``temp_directory``
beyond it, so inputs larger than memory stream through it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .keys import Norm
from .plan import (
    COLUMNS,
    block_pairs_batch,
    candidates_sql,
    compare_batch,
    compare_sql,
    direct_pairs_sql,
    filtered_blocks_sql,
    norm_of,
    prefilter_batch,
    prefilter_sql,
    recurring_sql,
    rows_of,
    sized_sql,
)
from .rules import Decision, Policy
from .trace import trace

#: DuckDB's memory limit unless ``BIBKIT_DEDUPE_MEMORY`` says otherwise (beyond it, DuckDB spills to disk)
MEMORY_LIMIT = "512MB"
#: pairs (with both records' columns) per batch read back for the rules
BATCH_ROWS = 20_000
#: candidate pairs (with both titles) per batch of the title prefilter
PREFILTER_ROWS = 100_000
#: prefiltered blocks per batch
BLOCK_ROWS = 2_000


def _arrow_schema() -> Any:
    import pyarrow as pa

    kinds = {"BIGINT": pa.int64(), "INTEGER": pa.int32(), "VARCHAR": pa.string(), "BLOB": pa.binary(),
             "BOOLEAN": pa.bool_()}
    return pa.schema([(name, kinds[kind]) for name, kind in COLUMNS])


class DuckDBEngine:
    """The plan in DuckDB (``threads``: DuckDB's worker threads, ``bibkit dedupe --jobs``)."""

    name = "duckdb"

    def __init__(self, threads: int = 1, memory_limit: str | None = None, temp_directory: str | None = None):
        self.threads = max(1, int(threads))
        self.memory_limit = memory_limit or os.environ.get("BIBKIT_DEDUPE_MEMORY") or MEMORY_LIMIT
        self.temp_directory = temp_directory
        self.con: Any = None
        self._tmp: str | None = None

    # -- the database ----------------------------------------------------------------------
    def open(self) -> DuckDBEngine:
        import duckdb

        if self.temp_directory is None:
            self._tmp = tempfile.mkdtemp(prefix="bibkit-duckdb-")
        config: dict[str, str | int | bool] = {
            "threads": self.threads, "memory_limit": self.memory_limit,
            "temp_directory": self.temp_directory or self._tmp or "", "preserve_insertion_order": False}
        self.con = duckdb.connect(config=config)  # type: ignore[arg-type]
        cols = ", ".join(f'"{name}" {kind}' for name, kind in COLUMNS)
        self.con.execute(f"CREATE TABLE records ({cols})")
        self.con.execute("CREATE TABLE keys (key VARCHAR, rec BIGINT)")
        return self

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> DuckDBEngine:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the plan --------------------------------------------------------------------------
    def add(self, norms: Iterable[Norm]) -> int:
        """Stage 1: append the rows and blocking keys of some Norms; returns how many."""
        import pyarrow as pa

        keys: tuple[list[str], list[int]] = ([], [])
        cols = rows_of(norms, keys)
        records = pa.Table.from_pydict(cols, schema=_arrow_schema())
        key_table = pa.table({"key": pa.array(keys[0], pa.string()), "rec": pa.array(keys[1], pa.int64())})
        self.con.register("records_arrow", records)
        self.con.register("keys_arrow", key_table)
        self.con.execute("INSERT INTO records SELECT * FROM records_arrow")
        self.con.execute("INSERT INTO keys SELECT * FROM keys_arrow")
        self.con.unregister("records_arrow")
        self.con.unregister("keys_arrow")
        return records.num_rows

    def replace(self, norms: Sequence[Norm]) -> None:
        """Stage 1 again for some records (their Norms changed): their rows and keys replaced."""
        import pyarrow as pa

        if not norms:
            return
        self.con.register("gone_arrow", pa.table({"idx": pa.array([n.idx for n in norms], pa.int64())}))
        self.con.execute("DELETE FROM records WHERE idx IN (SELECT idx FROM gone_arrow)")
        self.con.execute("DELETE FROM keys WHERE rec IN (SELECT idx FROM gone_arrow)")
        self.con.unregister("gone_arrow")
        self.add(norms)

    def chunks(self, size: int) -> Iterator[list[Norm]]:
        """The Norms of every record, in record order, ``size`` at a time (for another engine)."""
        for batch in self.con.sql("SELECT norm FROM records ORDER BY idx").to_arrow_reader(size):
            yield [norm_of(blob) for blob in batch.column("norm").to_pylist()]

    def recurring(self, policy: Policy) -> frozenset[str]:
        return frozenset(t for (t,) in self.con.execute(recurring_sql("records", policy)).fetchall())

    def run_pairs(self, policy: Policy, recurring: frozenset[str], positives_only: bool = False) -> list[Decision]:
        """Stages 2-4: blocks, candidate pairs, prefilter, the rules; the kept decisions ordered by pair
        (``positives_only``: only the positive ones, when only the clusters are wanted)."""
        import numpy as np
        import pyarrow as pa

        self.make_pairs(policy)
        kept_a, kept_b = [], []
        for batch in self.con.sql(prefilter_sql("records", "pairs", positives_only)).to_arrow_reader(PREFILTER_ROWS):
            a, b = prefilter_batch(batch)
            kept_a.append(a)
            kept_b.append(b)
        kept = pa.table({"a": np.concatenate(kept_a or [np.zeros(0, np.int64)]),
                         "b": np.concatenate(kept_b or [np.zeros(0, np.int64)])})
        del kept_a, kept_b
        trace(f"pairs to compare: {kept.num_rows:,}")
        self.con.execute("DROP TABLE pairs")
        self.con.register("kept_arrow", kept)
        self.con.execute("CREATE TABLE pairs AS SELECT * FROM kept_arrow")
        self.con.unregister("kept_arrow")
        del kept
        out: list[Decision] = []
        for batch in self.con.sql(compare_sql("records", "pairs")).to_arrow_reader(BATCH_ROWS):
            out += compare_batch(batch, policy, recurring, positives_only)
        trace(f"compared: {len(out)} decisions kept")
        self.con.execute("DROP TABLE pairs")
        self.con.execute("CREATE TABLE keys (key VARCHAR, rec BIGINT)")
        out.sort(key=lambda d: (d.a, d.b))
        return out

    def make_pairs(self, policy: Policy) -> None:
        """Stages 2-3: the table ``pairs(a, b)`` of candidate pairs (the keys are dropped)."""
        import numpy as np
        import pyarrow as pa

        con = self.con
        con.execute(f"CREATE OR REPLACE TABLE sized AS {sized_sql('keys')}")
        con.execute("DROP TABLE keys")
        if os.environ.get("BIBKIT_TRACE") == "2":  # the blocks' sizes (a query of its own)
            for kind, blocks, cells, big in con.execute(
                    "SELECT substr(key, 1, 1) AS k, COUNT(DISTINCT key), SUM(n) FILTER (WHERE n BETWEEN 6 AND "
                    f"{int(policy.max_block)}), SUM(n) FILTER (WHERE n > {int(policy.max_block)}) FROM sized "
                    "WHERE n >= 2 GROUP BY k ORDER BY k").fetchall():
                trace(f"key kind {kind}: {blocks:,} blocks of 2+, records x block size in 6..max: {cells}, "
                      f"records in blocks over max: {big}")
        con.execute(f"CREATE OR REPLACE TABLE direct_pairs AS {direct_pairs_sql('records', 'sized', policy)}")
        trace("direct pairs: " + self._count("direct_pairs"))
        found_a, found_b = [], []
        for batch in con.sql(filtered_blocks_sql("records", "sized", policy)).to_arrow_reader(BLOCK_ROWS):
            cols = block_pairs_batch(batch)
            found_a.append(np.asarray(cols["a"], np.int64))
            found_b.append(np.asarray(cols["b"], np.int64))
        block_table = pa.table({"a": np.concatenate(found_a or [np.zeros(0, np.int64)]),
                                "b": np.concatenate(found_b or [np.zeros(0, np.int64)])})
        del found_a, found_b
        con.register("block_pairs_arrow", block_table)
        con.execute("CREATE OR REPLACE TABLE block_pairs AS SELECT * FROM block_pairs_arrow")
        con.unregister("block_pairs_arrow")
        del block_table
        trace("prefiltered block pairs: " + self._count("block_pairs"))
        con.execute(f"CREATE OR REPLACE TABLE pairs AS {candidates_sql('direct_pairs', 'block_pairs')}")
        trace("candidate pairs: " + self._count("pairs"))
        for table in ("sized", "direct_pairs", "block_pairs"):
            con.execute(f"DROP TABLE {table}")

    def _count(self, table: str) -> str:
        return f"{self.con.execute(f'SELECT COUNT(*) FROM {table}').fetchall()[0][0]:,}" if os.environ.get(
            "BIBKIT_TRACE") else ""

    def norms(self, idxs: Sequence[int]) -> dict[int, Norm]:
        """The Norms of some records, rebuilt from the records table."""
        import pyarrow as pa

        if not idxs:
            return {}
        wanted = pa.table({"idx": pa.array(list(idxs), pa.int64())})
        self.con.register("wanted_arrow", wanted)
        rows = self.con.execute("SELECT r.idx, r.norm FROM records r JOIN wanted_arrow w ON r.idx = w.idx").fetchall()
        self.con.unregister("wanted_arrow")
        return {idx: norm_of(blob) for idx, blob in rows}

    def decide(self, chunks: Iterable[Sequence[Norm]], policy: Policy) -> tuple[list[Decision], frozenset[str]]:
        """Stages 1-4 on chunks of Norms in a database of its own (opened and closed here)."""
        with self:
            for chunk in chunks:
                self.add(chunk)
            recurring = self.recurring(policy)
            return self.run_pairs(policy, recurring), recurring
