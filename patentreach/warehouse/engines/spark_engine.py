"""Spark engine: the same warehouse tables on PySpark (local mode, or a cluster), through Ibis.

Spark cannot read ``warehouse.duckdb``, so the views are rebuilt from the same Parquet parts and
ingest log: the raw parts become ``<table>_parts`` temp views (read with the model's schema, so
no footer is read up front and a part lacking a newer column reads it as null); ``all_publications``,
``publications`` and the child tables are the Ibis expressions of ``current_copy.py`` (the rules of
``views.py``); each ``derived/<name>.parquet`` file or ``derived/<name>/`` directory becomes a view.
Needs a Java runtime (``scripts/system-deps.sh`` installs one).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa

from patentreach.model.schema import CHILD_TABLES, PATENT_TABLES
from patentreach.warehouse.engines.capabilities import CAPABILITIES
from patentreach.warehouse.engines.current_copy import committed, current_children, current_publications
from patentreach.warehouse.engines.engine import PATENT_VIEWS, Engine
from patentreach.warehouse.engines.spark_transfer_views import transfer_view_statements
from patentreach.warehouse.ingest_log import INGEST_LOG
from patentreach.warehouse.layout import Warehouse

_SPARK_TYPES = {
    pa.string(): "STRING", pa.int64(): "BIGINT", pa.float64(): "DOUBLE", pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE", pa.timestamp("us", tz="UTC"): "TIMESTAMP",
}


def session(master: str = "local[2]", driver_memory: str = "4g") -> Any:
    """The process's Spark session (created on first use; settings apply only then).

    It always carries Splink's jar of similarity functions: a Spark context takes jars only when
    it starts, and one process may both count (here) and link names (``harmonize``)."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    if master.startswith("local"):  # Python workers run this interpreter (with patentreach's readers)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(master)
        .appName("patentreach")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "100000")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )


def connect(
    warehouse: Warehouse, master: str | None = None, shuffle_partitions: int = 8, **session_options: Any
) -> Engine:
    """An Ibis backend on a fresh Spark SQL session (own temp views, shared Spark context).

    ``shuffle_partitions``: Spark's default of 200 suits a cluster; in local mode every shuffle
    would run 200 tiny tasks, so the default here is 8 (use a few per core)."""
    root = session(master or "local[2]", **session_options)
    root.sparkContext.setLogLevel("ERROR")
    spark = root.newSession()
    spark.conf.set("spark.sql.shuffle.partitions", str(shuffle_partitions))
    _register_parts(spark, warehouse)
    backend = ibis.pyspark.connect(spark)
    log, parts = backend.table("ingest_log"), backend.table("publications_parts")
    backend.create_view("all_publications", committed(parts, log), overwrite=True)
    publications = backend.create_view("publications", current_publications(parts, log), overwrite=True)
    for table in CHILD_TABLES:
        if table in PATENT_VIEWS:
            backend.create_view(table, current_children(backend.table(f"{table}_parts"), publications), overwrite=True)
    for statement in transfer_view_statements(spark, warehouse, _frame):
        spark.sql(statement)
    _register_derived(spark, warehouse)

    def write(exprs: list[Any], target: Path) -> None:
        for index, expr in enumerate(exprs):
            backend.to_parquet(expr, target, mode="append" if index else "overwrite", compression="zstd")

    return Engine("spark", warehouse, backend, CAPABILITIES["spark"], _write=write,
                  _refresh=lambda: _register_derived(spark, warehouse))


def _frame(spark: Any, paths: list[Path], schema: pa.Schema | None) -> Any:
    if schema is None:
        return spark.read.parquet(*[str(p) for p in paths])
    ddl = ", ".join(f"`{f.name}` {_SPARK_TYPES[f.type]}" for f in schema)
    if paths:
        return spark.read.schema(ddl).parquet(*[str(p) for p in paths])
    return spark.createDataFrame([], ddl)


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.parquet"))
    return [path] if path.suffix == ".parquet" and path.exists() else []


def _register_parts(spark: Any, warehouse: Warehouse) -> None:
    _frame(spark, _files(warehouse.log_dir), INGEST_LOG).createOrReplaceTempView("ingest_log")
    for table, schema in PATENT_TABLES.items():
        _frame(spark, _files(warehouse.table_dir(table)), schema).createOrReplaceTempView(f"{table}_parts")


def _register_derived(spark: Any, warehouse: Warehouse) -> None:
    """A view per ``derived/<name>.parquet`` file or ``derived/<name>/`` directory of parts."""
    root = warehouse.derived_dir
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        name = path.stem if path.suffix == ".parquet" else path.name
        files = _files(path)
        if name.isidentifier() and files:
            _frame(spark, files, None).createOrReplaceTempView(name)
