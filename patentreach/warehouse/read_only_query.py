"""Analyst SQL over the warehouse views that can look but not touch: backs ``patentreach query``.

A DuckDB connection can do far more than read: ``COPY ... TO`` writes anywhere (a file copied
into ``ingest_log/`` breaks every later ingest), ``ATTACH`` + ``DROP VIEW`` alters
``warehouse.duckdb``, ``read_csv('/etc/passwd')`` reads any local file, ``INSTALL httpfs`` goes
to the network. So by default a query runs in a sandbox with two independent walls:

1. **Only SELECT statements** (including ``WITH``, ``FROM``-first, ``VALUES``, ``DESCRIBE``,
   ``SHOW``, ``SUMMARIZE``), as DuckDB's own parser classifies them; every other statement
   (``COPY``, ``ATTACH``, ``INSTALL``, ``LOAD``, ``SET``, ``PRAGMA``, ``CREATE``, ``DROP``,
   ``EXPLAIN``, ``CALL`` ...) is refused before anything runs. This is what keeps the warehouse
   folder itself safe, since the views must be allowed to read it.
2. **No file system or network outside the warehouse**: ``enable_external_access=false`` with
   the warehouse folder as the one ``allowed_directories`` entry, extension auto-install/auto-load
   and community extensions off, and ``lock_configuration=true`` so SQL cannot undo any of it.

``unsafe=True`` (``patentreach query --unsafe``) runs the SQL on a plain in-memory connection with
the views, as DuckDB itself would: for power users who know what they are writing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from patentreach.warehouse.layout import Warehouse

# Statement types a read-only query may contain (names of duckdb.StatementType members).
ALLOWED_STATEMENTS = ("SELECT",)

SANDBOX_SETTINGS = (
    ("autoinstall_known_extensions", "false"),
    ("autoload_known_extensions", "false"),
    ("allow_community_extensions", "false"),
    ("enable_external_access", "false"),
    ("lock_configuration", "true"),
)


class QueryRefused(ValueError):
    """The SQL asks for something a read-only query may not do; the message says what and how
    to lift it."""


@dataclass(frozen=True, slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    truncated: bool = False
    """True when the statement had more than ``max_rows`` rows (only the first are in ``rows``)."""


def run_read_only_query(
    warehouse: Warehouse, sql: str, unsafe: bool = False, max_rows: int | None = None
) -> QueryResult:
    """Run ``sql`` over the warehouse views and return the last statement's result (at most
    ``max_rows`` rows when given, so a screen listing never pulls a whole table into memory).

    Raises ``QueryRefused`` for a statement outside the read-only set (nothing has run then) or
    an access the sandbox forbids, and ``duckdb.Error`` for SQL that is simply wrong."""
    import duckdb

    from patentreach.warehouse.views import connect

    statements = duckdb.extract_statements(sql)
    if not statements:
        raise QueryRefused("the query is empty")
    if not unsafe:
        for statement in statements:
            kind = statement.type.name
            if kind not in ALLOWED_STATEMENTS:
                raise QueryRefused(
                    f"query is read-only: {kind} statements are not allowed, only SELECT "
                    f"(statement: {' '.join(statement.query.split())[:80]}); --unsafe lifts this"
                )
    con = connect(warehouse)
    try:
        # DuckDB draws its own progress bar on stdout for long queries: it would end up in the
        # CSV or JSON a user pipes or redirects.
        con.execute("SET enable_progress_bar = false")
        if not unsafe:
            _lock_down(con, warehouse)
        cursor = None
        for statement in statements:
            try:
                cursor = con.execute(statement)
            except duckdb.PermissionException as exc:
                reason = str(exc).splitlines()[0].removeprefix("Permission Error: ")
                raise QueryRefused(f"query is read-only: {reason}; --unsafe lifts this") from None
        if cursor is None or cursor.description is None:
            return QueryResult([], [])
        columns = [d[0] for d in cursor.description]
        if max_rows is None:
            return QueryResult(columns, cursor.fetchall())
        rows = cursor.fetchmany(max_rows + 1)
        return QueryResult(columns, rows[:max_rows], truncated=len(rows) > max_rows)
    finally:
        con.close()


def _lock_down(con, warehouse: Warehouse) -> None:
    """The second wall: the views keep reading the warehouse's Parquet files, nothing else."""
    root = str(warehouse.root).rstrip(os.sep) + os.sep
    con.execute(f"SET allowed_directories = ['{root.replace(chr(39), chr(39) * 2)}']")
    for name, value in SANDBOX_SETTINGS:
        con.execute(f"SET {name} = {value}")
