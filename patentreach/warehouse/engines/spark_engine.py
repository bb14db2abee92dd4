"""Spark engine: the same warehouse tables on PySpark (local mode, or a cluster), through Ibis.

Spark cannot read ``warehouse.duckdb``, so the "current publication" views of ``views.py`` are
rebuilt here in Spark SQL over the same Parquet parts and ingest log: parts count only when their
ingest id is in the log; per ``pub_id`` the copy of the most recently committed ingest wins (then
the later record); a missing family id is taken from any other copy; child rows are those of the
winning copy. Derived tables (``derived/<name>.parquet`` or ``derived/<name>/*.parquet``) become
views of the same name. Needs a Java runtime (``scripts/system-deps.sh`` installs one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa

from patentreach.model.schema import CHILD_TABLES, PATENT_TABLES
from patentreach.warehouse.engines.capabilities import CAPABILITIES
from patentreach.warehouse.engines.engine import Engine
from patentreach.warehouse.engines.spark_transfer_views import transfer_view_statements
from patentreach.warehouse.ingest_log import INGEST_LOG
from patentreach.warehouse.layout import Warehouse

_SPARK_TYPES = {
    pa.string(): "STRING", pa.int64(): "BIGINT", pa.float64(): "DOUBLE", pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE", pa.timestamp("us", tz="UTC"): "TIMESTAMP",
}


def session(master: str = "local[2]", driver_memory: str = "4g") -> Any:
    """The process's Spark session (created on first use; settings apply only then)."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master)
        .appName("patentreach")
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "100000")
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
    for statement in _register(spark, warehouse):
        spark.sql(statement)
    backend = ibis.pyspark.connect(spark)

    def write(expr: Any, target: Path) -> Path:
        backend.to_parquet(expr, target, mode="overwrite", compression="zstd")
        return target

    return Engine("spark", warehouse, backend, CAPABILITIES["spark"], _write=write,
                  _refresh=lambda: _register_derived(spark, warehouse))


def _frame(spark: Any, paths: list[Path], schema: pa.Schema | None) -> Any:
    """The parts as one DataFrame. With the model's schema given, Spark reads no footers up front
    and a part lacking a newer column reads it as null (as DuckDB's ``union_by_name`` does)."""
    if schema is None:
        return spark.read.parquet(*[str(p) for p in paths])
    ddl = ", ".join(f"`{f.name}` {_SPARK_TYPES[f.type]}" for f in schema)
    if paths:
        return spark.read.schema(ddl).parquet(*[str(p) for p in paths])
    return spark.createDataFrame([], ddl)


def _register(spark: Any, warehouse: Warehouse) -> list[str]:
    """Register the Parquet parts as ``*_parts`` views; return the SQL of the current views."""
    def parts(directory: Path) -> list[Path]:
        return sorted(directory.glob("*.parquet")) if directory.is_dir() else []

    _frame(spark, parts(warehouse.log_dir), INGEST_LOG).createOrReplaceTempView("ingest_log")
    for table, schema in PATENT_TABLES.items():
        _frame(spark, parts(warehouse.table_dir(table)), schema).createOrReplaceTempView(f"{table}_parts")
    columns = [f.name for f in PATENT_TABLES["publications"]]
    selected = ", ".join("coalesce(a.family_id, f.family_id) AS family_id" if c == "family_id" else f"a.{c}"
                         for c in columns)
    statements = [
        "CREATE OR REPLACE TEMP VIEW all_publications AS SELECT * FROM publications_parts "
        "WHERE ingest_id IN (SELECT ingest_id FROM ingest_log)",
        "CREATE OR REPLACE TEMP VIEW publication_sources AS "
        "SELECT a.pub_id, a.source_format, a.source_file, a.record_index, a.ingest_id, l.finished_at,"
        "  row_number() OVER (PARTITION BY a.pub_id"
        "    ORDER BY l.finished_at DESC, a.ingest_id DESC, a.record_index DESC) = 1 AS current"
        " FROM all_publications a JOIN ingest_log l ON a.ingest_id = l.ingest_id",
        f"CREATE OR REPLACE TEMP VIEW publications AS SELECT {selected} FROM all_publications a "
        "JOIN (SELECT pub_id, ingest_id, record_index FROM publication_sources WHERE current) s "
        "  ON a.pub_id = s.pub_id AND a.ingest_id = s.ingest_id AND a.record_index = s.record_index "
        "LEFT JOIN (SELECT pub_id, min(family_id) AS family_id FROM all_publications "
        "  WHERE family_id IS NOT NULL GROUP BY pub_id) f ON a.pub_id = f.pub_id",
    ]
    for table in CHILD_TABLES:
        statements.append(
            f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT c.* FROM {table}_parts c "
            "LEFT SEMI JOIN publications p ON c.pub_id = p.pub_id AND c.ingest_id = p.ingest_id "
            "AND c.record_index = p.record_index"
        )
    statements.extend(transfer_view_statements(spark, warehouse, _frame))
    _register_derived(spark, warehouse)
    return statements


def _register_derived(spark: Any, warehouse: Warehouse) -> None:
    """A view per ``derived/<name>.parquet`` file or ``derived/<name>/`` directory of parts."""
    root = warehouse.derived_dir
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        name = path.stem if path.suffix == ".parquet" else path.name
        files = sorted(path.glob("*.parquet")) if path.is_dir() else [path] if path.suffix == ".parquet" else []
        if name.isidentifier() and files:
            _frame(spark, files, None).createOrReplaceTempView(name)
