"""What Ibis does not hide about an engine, in one table.

Indicator code is written once against Ibis; where the engines still differ in a way that
matters for a result or its cost, the difference is a row here, read by the code that runs
expressions (``patentreach.indicators.run`` and ``results``), never an ``if engine == ...`` in
indicator code.

Differences avoided instead of tabled, because a portable form exists and costs nothing:
Spark has no DISTINCT window aggregates (counts of distinct documents are group-bys), allows
IN-subqueries only in filters (a PCT claim is a left join), and sorts nulls first where DuckDB
sorts them last (results are sorted after collection, in Arrow). Joins on breakdown keys that may
be null use null-safe equality (``identical_to``), which both engines support.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Capabilities:
    """How to run Ibis expressions well on one engine.

    * ``cache_shared_base``: when several indicators share one filtered base table, materialise
      it once (``Table.cache()``) instead of letting each query re-read and re-filter the facts.
      Spark re-plans and re-reads the Parquet for every action, so it caches. DuckDB does not: the
      prepared facts are sorted by document type, origin and office, so a query for one origin
      skips most row groups, and materialising the base for all origins cost more than it saved
      (100 million publications: 1.8 s without, 5.6 s with; BENCHMARKS.md).
    * ``float_digits``: fractional counts are float sums, and neither engine fixes the order of
      a parallel sum (Spark adds partitions in task-completion order), so the last bits can
      differ between runs and engines; results are rounded to this many *significant* digits
      (and at most 9 decimals, so that the noise of a difference of equal counts is 0).
      Decimals would not do: a sum of 100,000 shares of a third carries its noise in the tenth
      significant digit, which at 13,076.5 is the ninth decimal (seen at 100 million
      publications: 8282.999999999 on one plan, 8283 on another). Ten digits keep a tenth of a
      document exact up to a billion.
    """

    name: str
    cache_shared_base: bool
    float_digits: int


CAPABILITIES: dict[str, Capabilities] = {
    "duckdb": Capabilities(name="duckdb", cache_shared_base=False, float_digits=10),
    "spark": Capabilities(name="spark", cache_shared_base=True, float_digits=10),
}
