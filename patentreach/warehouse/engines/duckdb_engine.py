"""The default engine: DuckDB over the warehouse's own views (``views.py``), through Ibis.

DuckDB reads the Parquet parts in place, so opening is instant; the "current publication"
views are exactly those analysts get in ``warehouse.duckdb``. The raw parts are registered too
(``<table>_parts``), for work done one slice of the publications at a time.
"""

from __future__ import annotations

import os
import re
import tempfile
import warnings
from pathlib import Path
from typing import Any

import duckdb
import ibis

from patentreach.model.schema import PATENT_TABLES
from patentreach.warehouse.engines.capabilities import CAPABILITIES
from patentreach.warehouse.engines.engine import Engine
from patentreach.warehouse.layout import Warehouse
from patentreach.warehouse.views import connect as connect_views
from patentreach.warehouse.views import derived_view_statements

_TYPES = {"string": "VARCHAR", "int64": "BIGINT", "double": "DOUBLE", "bool": "BOOLEAN", "date32[day]": "DATE"}


def _bridge_duckdb_2() -> None:
    """Ibis 12 calls ``fetch_arrow_table``/``fetch_record_batch`` on DuckDB connections, which
    DuckDB 2.0 renamed ``to_arrow_table``/``to_arrow_reader``; give the old names back (only
    when missing) so either DuckDB works. Only metadata queries take this path."""
    warnings.filterwarnings("ignore", message=r"fetch_arrow_table\(\) is deprecated", category=DeprecationWarning)
    klass = duckdb.DuckDBPyConnection
    if hasattr(klass, "fetch_arrow_table"):
        return

    def fetch_arrow_table(self: duckdb.DuckDBPyConnection, *args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return self.to_arrow_table(*args, **kwargs)

    def fetch_record_batch(self: duckdb.DuckDBPyConnection, rows_per_batch: int = 1_000_000) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return self.to_arrow_reader(rows_per_batch)

    klass.fetch_arrow_table = fetch_arrow_table  # type: ignore[attr-defined]
    klass.fetch_record_batch = fetch_record_batch  # type: ignore[attr-defined]


def _quote(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _parts_views(warehouse: Warehouse) -> list[str]:
    statements = []
    for table, schema in PATENT_TABLES.items():
        directory = warehouse.table_dir(table)
        if directory.is_dir() and any(directory.glob("*.parquet")):
            source = f"SELECT * FROM read_parquet({_quote(directory / '*.parquet')}, union_by_name = true)"
        else:
            columns = ", ".join(f"CAST(NULL AS {_TYPES[str(f.type)]}) AS {f.name}" for f in schema)
            source = f"SELECT {columns} WHERE false"
        statements.append(f"CREATE OR REPLACE VIEW {table}_parts AS {source}")
    return statements


def connect(warehouse: Warehouse, threads: int | None = None, memory_limit: str | None = None) -> Engine:
    """An in-memory DuckDB session with the warehouse views, wrapped as an Ibis backend.

    ``threads`` caps DuckDB's worker threads (default: one per core); ``memory_limit`` (e.g.
    ``"16GB"``) bounds its buffer manager, which spills to a temporary directory beyond it.
    """
    _bridge_duckdb_2()
    con = connect_views(warehouse)
    for statement in _parts_views(warehouse):
        con.execute(statement)
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", memory_limit.strip(), re.IGNORECASE):
            raise ValueError(f"memory limit {memory_limit!r}: expected e.g. 16GB")
        con.execute(f"SET memory_limit = '{memory_limit.strip()}'")
    con.execute("SET enable_progress_bar = false")
    # Spill beyond memory_limit to the system's temporary directory, not to ./.tmp (DuckDB's
    # default for an in-memory database), which would litter whatever directory the user is in.
    con.execute(f"SET temp_directory = {_quote(Path(tempfile.gettempdir()) / f'patentreach-duckdb-{os.getpid()}')}")
    backend = ibis.duckdb.from_connection(con)

    def write(exprs: list[Any], target: Path) -> None:
        target.mkdir(parents=True)
        for index, expr in enumerate(exprs):
            backend.to_parquet(expr, target / f"part-{index:05d}.parquet", compression="zstd", row_group_size=500_000)

    def refresh() -> None:
        for statement in derived_view_statements(warehouse):
            con.execute(statement)

    return Engine("duckdb", warehouse, backend, CAPABILITIES["duckdb"], _write=write, _refresh=refresh,
                  _close=con.close)
