"""The Spark engine: the plan of :mod:`bibkit.dedupe.plan` on a Spark cluster (``pip install 'bibkit[spark]'``).

The same SQL as DuckDB's (:mod:`bibkit.dedupe.plan`) finds the blocks and candidate pairs; the
prefilter and the rules run on the executors over Arrow batches (``mapInArrow``), and the kept
decisions come back to the driver, which clusters them (stage 5) and merges (stage 6).  Each stage
is a Spark job with its own description in the Spark UI.  The executors need bibkit importable
(``pip install bibkit`` on the nodes, or ``spark-submit --py-files``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..errors import UsageError
from . import plan
from .keys import Norm
from .rules import Decision, Policy

_SPARK_TYPES = {"BIGINT": "long", "INTEGER": "int", "VARCHAR": "string", "BLOB": "binary", "BOOLEAN": "boolean"}
DECISION_SCHEMA = "a long, b long, same boolean, rule string, reason string, score double, version boolean"


def _block_pairs(batches: Iterator[Any]) -> Iterator[Any]:
    """Stage 3 on the executors: the prefiltered pairs of each block."""
    import pyarrow as pa

    for batch in batches:
        cols = plan.block_pairs_batch(batch)
        yield pa.RecordBatch.from_pydict({"a": pa.array(cols["a"], pa.int64()), "b": pa.array(cols["b"], pa.int64())})


def _prefilter(batches: Iterator[Any]) -> Iterator[Any]:
    """Stage 4's title prefilter on the executors: the candidate pairs worth comparing."""
    import pyarrow as pa

    for batch in batches:
        a, b = plan.prefilter_batch(batch)
        yield pa.RecordBatch.from_pydict({"a": pa.array(a, pa.int64()), "b": pa.array(b, pa.int64())})


def _decide_batches(policy: Policy, recurring: frozenset[str]) -> Any:
    """The function ``mapInArrow`` runs on the executors: stages 3 and 4 over Arrow batches."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        for batch in batches:
            ds = plan.compare_batch(batch, policy, recurring)
            yield pa.RecordBatch.from_pydict({
                "a": [d.a for d in ds], "b": [d.b for d in ds], "same": [d.same for d in ds],
                "rule": [d.rule for d in ds], "reason": [d.reason for d in ds], "score": [d.score for d in ds],
                "version": [d.version for d in ds]})

    return run


def _frame(spark: Any, table: Any, schema: str) -> Any:
    """A Spark DataFrame of an Arrow table (Spark 4 takes Arrow directly; older ones get rows)."""
    try:
        return spark.createDataFrame(table, schema)
    except (TypeError, ValueError):
        return spark.createDataFrame(list(zip(*table.to_pydict().values(), strict=True)), schema)


class SparkEngine:
    """The plan on Spark (``master``: e.g. ``local[2]``, ``spark://host:7077``; default: the session
    spark-submit made, else ``local[*]``)."""

    name = "spark"

    def __init__(self, master: str | None = None, session: Any = None):
        self.master = master
        self._session = session

    def session(self) -> Any:
        if self._session is None:
            try:
                from pyspark.sql import SparkSession
            except ImportError:
                raise UsageError("--engine spark needs pyspark: pip install 'bibkit[spark]'") from None
            builder = SparkSession.builder.appName("bibkit dedupe")
            if self.master:
                builder = builder.master(self.master)
            self._session = builder.getOrCreate()
        return self._session

    def decide(self, chunks: Iterable[Sequence[Norm]], policy: Policy) -> tuple[list[Decision], frozenset[str]]:
        import pyarrow as pa

        spark = self.session()
        sc = spark.sparkContext
        schema = ", ".join(f"{name} {_SPARK_TYPES[kind]}" for name, kind in plan.COLUMNS)
        records, keys = None, None
        sc.setJobDescription("bibkit dedupe 1/4: normalised records and blocking keys")
        for chunk in chunks:
            found: tuple[list[str], list[int]] = ([], [])
            cols = plan.rows_of(chunk, found)
            part = _frame(spark, pa.Table.from_pydict(cols), schema)
            kpart = _frame(spark, pa.table({"key": found[0], "rec": found[1]}), "key string, rec long")
            records = part if records is None else records.unionByName(part)
            keys = kpart if keys is None else keys.unionByName(kpart)
        if records is None or keys is None:
            return [], frozenset()
        records.createOrReplaceTempView("records")
        keys.createOrReplaceTempView("keys")
        sc.setJobDescription("bibkit dedupe 2/4: recurring titles")
        recurring = frozenset(row[0] for row in spark.sql(plan.recurring_sql("records", policy)).collect())
        sc.setJobDescription("bibkit dedupe 3/4: blocks, candidate pairs, title prefilter")
        spark.sql(plan.sized_sql("keys")).createOrReplaceTempView("sized")
        spark.sql(plan.direct_pairs_sql("records", "sized", policy)).createOrReplaceTempView("direct_pairs")
        spark.sql(plan.filtered_blocks_sql("records", "sized", policy)).mapInArrow(_block_pairs, "a long, b long") \
            .createOrReplaceTempView("block_pairs")
        spark.sql(plan.candidates_sql("direct_pairs", "block_pairs")).createOrReplaceTempView("candidates")
        spark.sql(plan.prefilter_sql("records", "candidates")).mapInArrow(_prefilter, "a long, b long") \
            .createOrReplaceTempView("pairs")
        sc.setJobDescription("bibkit dedupe 4/4: the rules over the candidate pairs")
        rows = spark.sql(plan.compare_sql("records", "pairs")).mapInArrow(_decide_batches(policy, recurring),
                                                                     DECISION_SCHEMA).collect()
        sc.setJobDescription(None)
        decisions = [Decision(r.a, r.b, r.same, r.rule, r.reason, r.score, r.version) for r in rows]
        decisions.sort(key=lambda d: (d.a, d.b))
        return decisions, recurring
