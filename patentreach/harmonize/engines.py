"""Where Splink runs: DuckDB (default, in process) or Spark (for data that outgrows one machine).

The model (``splink_settings``) is the same for both; only the Splink database API differs, and
this module is the only place that knows it. Spark runs on the process's one Spark session
(``warehouse.engines.spark_engine.session``: local mode unless a master is given), which carries
Splink's jar of similarity functions (Jaro-Winkler, Damerau-Levenshtein) from its start; without
``pyspark`` or a Java runtime, asking for Spark fails with a clear message rather than falling
back silently.
"""

from __future__ import annotations

import difflib
import tempfile
from typing import Any

import pyarrow as pa

ENGINES = ("duckdb", "spark")
LOCAL_SHUFFLE_PARTITIONS = 8


class EngineUnavailable(RuntimeError):
    """The requested engine cannot run here (unknown name, or its library is not installed)."""


def splink_backend(engine: str, spark_master: str | None = None) -> Any:
    """A Splink database API for ``engine``."""
    if engine == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        connection = duckdb.connect(":memory:")
        connection.execute("SET threads TO 2")
        return DuckDBAPI(connection)
    if engine == "spark":
        try:
            import pyspark  # noqa: F401
        except ImportError:
            raise EngineUnavailable(
                "--engine spark needs pyspark (pip install pyspark) and a Java runtime"
            ) from None
        from splink.backends.spark import SparkAPI

        from patentreach.warehouse.engines.spark_engine import session

        try:
            spark = session(spark_master or "local[2]")
        except Exception as exc:  # no Java runtime, or a master that cannot be reached
            raise EngineUnavailable(f"--engine spark could not start Spark: {str(exc).splitlines()[0][:200]}") from None
        # Spark's WARN lines (one per checkpoint read) would bury the progress display on stderr.
        spark.sparkContext.setLogLevel("ERROR")
        if spark.sparkContext._jsc.sc().getCheckpointDir().isEmpty():
            # Splink cuts the lineage of its intermediate tables by checkpointing them.
            spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="patentreach-spark-checkpoints-"))
        linking = spark.newSession()
        if spark_master is None:
            # Local mode has two cores: Spark's default of 200 shuffle partitions would spend most of
            # the time scheduling near-empty tasks (this setting is the new session's own).
            linking.conf.set("spark.sql.shuffle.partitions", str(LOCAL_SHUFFLE_PARTITIONS))
        return SparkAPI(spark_session=linking, num_partitions_on_repartition=4)
    raise EngineUnavailable(unknown_engine(engine))


def unknown_engine(engine: str) -> str:
    """The one-line message for an engine name that is not one of ``ENGINES``."""
    close = difflib.get_close_matches(engine.lower(), ENGINES, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}{hint}"


def register(backend: Any, table: pa.Table, name: str) -> Any:
    """Hand an Arrow table to the backend as a Splink input table."""
    if type(backend).__name__ == "SparkAPI":
        # Spark takes Arrow directly (list columns included); pandas would lose the list types.
        return backend.register(backend.spark.createDataFrame(table), table_name=name)
    return backend.register(table, table_name=name)
