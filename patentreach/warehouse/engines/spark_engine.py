"""Spark engine: the same warehouse tables on PySpark (local mode, or a cluster), through Ibis.

Spark cannot read ``warehouse.duckdb``, so the views are rebuilt from the same Parquet parts and
ingest log: the raw parts become ``<table>_parts`` temp views (read with the model's schema, so
no footer is read up front and a part lacking a newer column reads it as null); ``all_publications``,
``publications`` and the child tables are the Ibis expressions of ``current_copy.py`` (the rules of
``views.py``); each ``derived/<name>.parquet`` file or ``derived/<name>/`` directory becomes a view.
Needs a Java runtime (``scripts/system-deps.sh`` installs one).

Those views are deep (committed parts, a window per ``pub_id``, semi-joins of the children), and
Catalyst planned that whole chain again for every query: planning, not work on the rows, was most
of a query's time. So ``_Views`` materialises each of them (``localCheckpoint``) the first time a
query names it, and later plans start from its rows; and because a materialised view would not
see a new ingest, it lists the warehouse's files before every query and registers everything
again when they changed (``_Views.before``).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa

from patentreach.model.schema import CHILD_TABLES, PATENT_TABLES, TRANSFER_CHILD_TABLES, TRANSFER_TABLES
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
# The views worth materialising, each after the view it is built on (a child after its parent).
_CHILD_VIEWS = tuple(t for t in CHILD_TABLES if t in PATENT_VIEWS)
_MATERIALISED = {"all_publications": (), "publications": (), **{t: ("publications",) for t in _CHILD_VIEWS},
                 "all_transfers": (), "transfers": (), **{t: ("transfers",) for t in TRANSFER_CHILD_TABLES}}
_NAMED = {name: re.compile(rf"(?<![\w.]){name}(?!\w)") for name in _MATERIALISED}


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
    backend = ibis.pyspark.connect(spark)
    if getattr(backend, "_session", None) is not spark:
        raise RuntimeError(
            f"Ibis {ibis.__version__}'s PySpark backend no longer keeps its Spark session in `_session`:"
            " the Spark engine could not check the warehouse's freshness before each query; use the"
            " Ibis version the tests pass with (12)"
        )
    views = _Views(spark, backend, warehouse)
    backend._session = _CheckedSession(spark, views)  # every query of the backend passes views.before
    views.before("")

    def write(exprs: list[Any], target: Path) -> None:
        for index, expr in enumerate(exprs):
            backend.to_parquet(expr, target, mode="append" if index else "overwrite", compression="zstd")

    return Engine("spark", warehouse, backend, CAPABILITIES["spark"], _write=write,
                  _refresh=lambda: views.before(""), _close=views.release)


class _CheckedSession:
    """The Spark session as the Ibis backend sees it: each SQL statement is preceded by
    ``_Views.before`` (fresh views, materialised where named); the rest is the session's own."""

    def __init__(self, spark: Any, views: _Views) -> None:
        self._spark, self._views = spark, views

    def sql(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._views.before(query)
        return self._spark.sql(query, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._spark, name)


class _Views:
    """The warehouse's views on one Spark session: registered again whenever the warehouse's
    files change, and materialised one by one when a query first names them."""

    def __init__(self, spark: Any, backend: Any, warehouse: Warehouse) -> None:
        self.spark, self.backend, self.warehouse = spark, backend, warehouse
        self._parts_state: tuple = ()
        self._derived_state: tuple = ()
        self._derived_names: set[str] = set()
        self._materialised: dict[str, Any] = {}
        self._busy = False

    def before(self, query: str) -> None:
        """Make the views current (the parts, the ingest log and ``derived/`` as they are on disk
        now), then materialise the views ``query`` names."""
        if self._busy:  # a statement of our own
            return
        self._busy = True
        try:
            parts, derived = _state(self.warehouse)
            if parts != self._parts_state:
                self.release()
                self._register_views()
                self._parts_state = parts
            if derived != self._derived_state:
                self._register_derived()
                self._derived_state = derived
            for name, pattern in _NAMED.items():
                if name not in self._materialised and pattern.search(query):
                    self._materialise(name)
        finally:
            self._busy = False

    def release(self) -> None:
        """Drop the materialised copies with their views (registered again, deep, by ``before``);
        Spark frees a copy's blocks once nothing refers to it."""
        for name in self._materialised:
            self.spark.catalog.dropTempView(name)
        self._materialised.clear()

    def _materialise(self, name: str) -> None:
        for parent in _MATERIALISED[name]:
            if parent not in self._materialised:
                self._materialise(parent)
        frame = self.spark.table(name).localCheckpoint(eager=True)
        frame.createOrReplaceTempView(name)
        self._materialised[name] = frame

    def _register_views(self) -> None:
        spark, backend, warehouse = self.spark, self.backend, self.warehouse
        _frame(spark, _files(warehouse.log_dir), INGEST_LOG).createOrReplaceTempView("ingest_log")
        for table, schema in PATENT_TABLES.items():
            _frame(spark, _files(warehouse.table_dir(table)), schema).createOrReplaceTempView(f"{table}_parts")
        log, parts = backend.table("ingest_log"), backend.table("publications_parts")
        backend.create_view("all_publications", committed(parts, log), overwrite=True)
        publications = backend.create_view("publications", current_publications(parts, log), overwrite=True)
        for table in _CHILD_VIEWS:
            backend.create_view(table, current_children(backend.table(f"{table}_parts"), publications),
                                overwrite=True)
        for statement in transfer_view_statements(spark, warehouse, _frame):
            spark.sql(statement)

    def _register_derived(self) -> None:
        """A view per ``derived/<name>.parquet`` file or ``derived/<name>/`` directory of parts;
        the view of a table no longer there is dropped."""
        names = set()
        for name, files in _derived(self.warehouse):
            _frame(self.spark, files, None).createOrReplaceTempView(name)
            names.add(name)
        for gone in self._derived_names - names:
            self.spark.catalog.dropTempView(gone)
        self._derived_names = names


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


def _derived(warehouse: Warehouse) -> list[tuple[str, list[Path]]]:
    root = warehouse.derived_dir
    found = []
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        name = path.stem if path.suffix == ".parquet" else path.name
        files = _files(path)
        if name.isidentifier() and files:
            found.append((name, files))
    return found


def _state(warehouse: Warehouse) -> tuple[tuple, tuple]:
    """What the views are built from, as (the ingest log and the parts, the derived tables): each
    file's path, size and modification time. Staged files (dot-names) are not part of it."""
    directories = [warehouse.log_dir, *(warehouse.table_dir(t) for t in (*PATENT_TABLES, *TRANSFER_TABLES))]
    parts = tuple(_stat(path) for directory in directories for path in _files(directory))
    derived = tuple(_stat(path) for _, files in _derived(warehouse) for path in files)
    return parts, derived


def _stat(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except FileNotFoundError:  # replaced since it was listed: the next query lists again
        return str(path), -1, -1
    return str(path), stat.st_size, stat.st_mtime_ns
