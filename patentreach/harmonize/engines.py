"""Where Splink runs: DuckDB (default, in process) or Spark (for data that outgrows one machine).

The model (``splink_settings``) is the same for both; only the Splink database API differs, and
this module is the only place that knows it. Spark needs ``pyspark`` (not a dependency of
patentreach: install it where a Spark cluster is available); asking for it without ``pyspark``
fails with a clear message rather than falling back silently.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

ENGINES = ("duckdb", "spark")


class EngineUnavailable(RuntimeError):
    """The requested engine cannot run here (unknown name, or its library is not installed)."""


def splink_backend(engine: str) -> Any:
    """A Splink database API for ``engine``."""
    if engine == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        connection = duckdb.connect(":memory:")
        connection.execute("SET threads TO 2")
        return DuckDBAPI(connection)
    if engine == "spark":
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise EngineUnavailable(
                "--engine spark needs pyspark (pip install pyspark) and a Java runtime"
            ) from None
        from splink import SparkAPI

        spark = SparkSession.builder.appName("patentreach-harmonize").getOrCreate()
        return SparkAPI(spark_session=spark)
    raise EngineUnavailable(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")


def register(backend: Any, table: pa.Table, name: str) -> Any:
    """Hand an Arrow table to the backend as a Splink input table."""
    if type(backend).__name__ == "SparkAPI":
        return backend.register(table.to_pandas(), table_name=name)
    return backend.register(table, table_name=name)
