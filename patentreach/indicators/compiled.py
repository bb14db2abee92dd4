"""Compiled indicator queries kept per process, so a figure asked again skips Ibis entirely.

Why: building an indicator's Ibis expression and compiling it to SQL costs about 0.2 s per
indicator whatever the warehouse's size (Ibis rewrites and validates its expression graph in
Python); at 20 million publications that made the standard set 1.57x hand-written SQL. The SQL
of one figure depends only on its spec, on where its facts come from (prepared tables or views,
and which) and on the warehouse's content (its fingerprint: the tables' schemas follow from it),
so ``run_query`` keeps the SQL and the result schema under that key and later runs hand the
stored SQL to the engine directly: no expression, no schema round trip. A miss compiles once
and then runs the same stored SQL, so a figure is computed by one code path whether or not it
was cached. The same queries are also kept on disk for the next process (``query_store.py``),
so a one-off CLI call skips Ibis too; a kept query that fails is compiled afresh.

Running stored SQL: a backend whose connection makes relations from SQL (``con.sql(sql)``
with ``to_arrow_table()``, as Ibis itself runs DuckDB queries) is given the SQL as it is, and
the result is converted to the kept Arrow schema as Ibis converts it (without Ibis's own
execution, which loads pandas: 0.8 s on a process's first figure); any other backend (Spark) gets
``backend.sql(sql, schema=...)``, which re-parses the SQL with sqlglot (tens of ms, small
beside Spark's own planning).

Not cached (built and run as before): engines without a fingerprint or a SQL backend, queries
that read a per-run cached table (``cache_shared_base``), whose name changes each run, and
queries holding in-memory tables (the IPC concordance when the facts are computed from the
views, not prepared): Ibis registers those on the connection that runs them, so their SQL does
not stand alone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import pyarrow.types as pa_types

from patentreach.indicators import query_store
from patentreach.indicators.tables import EngineLike

MAX_QUERIES = 512


class CompiledQuery:
    """A figure's SQL and its result's types, as an Ibis schema and as an Arrow schema (which the
    DuckDB path converts results to, as Ibis's ``convert_table`` does). A query read from the
    store (``stored``) has both as text; the Ibis schema is parsed from it only when asked
    (parsing Ibis type names cost 10-20 ms on a process's first figure)."""

    def __init__(
        self, sql: str, schema: Any = None, stored: bool = False, *,
        schema_text: tuple[tuple[str, str], ...] | None = None, arrow: Any = None,
    ) -> None:
        self.sql, self.stored = sql, stored
        self._schema, self._text, self._arrow = schema, schema_text, arrow

    @property
    def schema(self) -> Any:
        """The ``ibis.Schema`` of the result."""
        if self._schema is None and self._text is not None:
            import ibis

            self._schema = ibis.schema({name: ibis.dtype(dtype) for name, dtype in self._text})
        return self._schema

    @property
    def arrow(self) -> Any:
        """The ``pyarrow.Schema`` of the result."""
        if self._arrow is None:
            from ibis.formats.pyarrow import PyArrowSchema

            self._arrow = PyArrowSchema.from_ibis(self.schema)
        return self._arrow


class QueryCache:
    """A bounded map from a figure's key to its compiled query (least recently used dropped);
    also used for the counts behind the notes (``NOTE_COUNTS``)."""

    def __init__(self, size: int = MAX_QUERIES) -> None:
        self.size = size
        self._queries: OrderedDict[Hashable, CompiledQuery] = OrderedDict()
        self._lock = threading.Lock()  # (the web service's threads share it)
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> CompiledQuery | None:
        with self._lock:
            query = self._queries.get(key)
            if query is not None:
                self._queries.move_to_end(key)
                self.hits += 1
            return query

    def put(self, key: Hashable, query: CompiledQuery) -> None:
        with self._lock:
            self.misses += 1
            self._queries[key] = query
            self._queries.move_to_end(key)
            while len(self._queries) > self.size:
                self._queries.popitem(last=False)

    def discard(self, key: Hashable) -> None:
        with self._lock:
            self._queries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._queries.clear()
            self.hits = self.misses = 0


QUERIES = QueryCache()
# The counts behind a result's notes (``explanations.explain``'s ``shared`` dict), per engine and
# fact source: they depend on the warehouse's content only, which ``engine_key`` names.
NOTE_COUNTS = QueryCache(64)


def note_counts(key: Hashable | None) -> dict:
    """The kept dict of note counts for ``key`` (a new one each time when ``key`` is None)."""
    if key is None:
        return {}
    counts = NOTE_COUNTS.get(key)
    if counts is None:
        counts = {}
        NOTE_COUNTS.put(key, counts)  # type: ignore[arg-type]
    return counts  # type: ignore[return-value]


def engine_key(engine: EngineLike) -> tuple | None:
    """What, besides the spec, a compiled query depends on: the engine's dialect and the
    warehouse's content (its fingerprint, last); None when the engine cannot say (then nothing
    is cached)."""
    fingerprint = getattr(engine, "fingerprint", None)
    backend = getattr(engine, "backend", None)
    if fingerprint is None or backend is None or not hasattr(backend, "sql") or not hasattr(backend, "compile"):
        return None
    warehouse = getattr(engine, "warehouse", None)
    return (engine.name, type(backend).__name__, repr(getattr(engine, "capabilities", None)),
            str(getattr(warehouse, "root", "")), fingerprint())


def run_query(engine: EngineLike, key: Hashable | None, build: Callable[[], Any]) -> Any:
    """The pyarrow table of the query ``build()`` returns, compiled once per ``key`` (None:
    build and run without caching): kept in this process and on disk (``query_store.py``)."""
    if key is None:
        return build().to_pyarrow()
    query = QUERIES.get(key)
    if query is None:
        query = query_store.load(engine, key)
        if query is None:
            return _compile_and_run(engine, key, build)
        QUERIES.put(key, query)
    if not query.stored:
        return execute(engine.backend, query)
    try:
        return execute(engine.backend, query)
    except Exception as exc:  # a kept query that no longer runs: dropped, and compiled afresh
        if _not_the_query(exc):
            raise
        query_store.discard(engine, key)
        QUERIES.discard(key)
        return _compile_and_run(engine, key, build)


# Failures that say nothing about the query: an interruption, or the machine (named, as
# nothing here imports DuckDB).
_MACHINE_ERRORS = {"InterruptException", "IOException", "OutOfMemoryException", "PermissionException"}


def _not_the_query(exc: Exception) -> bool:
    return (isinstance(exc, OSError | MemoryError) or type(exc).__name__ in _MACHINE_ERRORS
            or str(exc).strip() == "Query interrupted")


def run_once(engine: EngineLike, expr: Any) -> Any:
    """The pyarrow table of ``expr``, compiled and run as ``run_query`` runs a figure, but kept
    nowhere (its result is what is kept: ``explanations._selection_counts``)."""
    if engine_key(engine) is None or _holds_memtables(expr):
        return expr.to_pyarrow()
    return execute(engine.backend, CompiledQuery(str(engine.backend.compile(expr)), expr.schema()))


def _compile_and_run(engine: EngineLike, key: Hashable, build: Callable[[], Any]) -> Any:
    expr = build()
    if _holds_memtables(expr):
        return expr.to_pyarrow()
    query = CompiledQuery(str(engine.backend.compile(expr)), expr.schema())
    QUERIES.put(key, query)
    query_store.save(engine, key, query)
    return execute(engine.backend, query)


def _holds_memtables(expr: Any) -> bool:
    import ibis.expr.operations as ops

    return bool(expr.op().find(ops.InMemoryTable))


def execute(backend: Any, query: CompiledQuery) -> Any:
    """The pyarrow table of ``query`` on ``backend``, typed by its kept schema."""
    relation = _native_relation(backend, query.sql)
    if relation is None or any(pa_types.is_null(f.type) for f in query.arrow):
        return backend.sql(query.sql, schema=query.schema).to_pyarrow()
    return _converted(relation.to_arrow_table(), query.arrow)


def _converted(table: Any, desired: Any) -> Any:
    """``table`` typed as ``desired``: what Ibis's ``PyArrowData.convert_table`` does, from the
    Arrow schema (so that a kept query needs no Ibis type)."""
    if table.schema == desired:
        return table
    import pyarrow as pa

    arrays = [column if column.type == field.type else column.cast(field.type)
              for field, column in ((field, table[field.name]) for field in desired)]
    return pa.Table.from_arrays(arrays, schema=desired)


def _native_relation(backend: Any, sql: str) -> Any:
    make = getattr(getattr(backend, "con", None), "sql", None)
    if make is None:
        return None
    relation = make(sql)
    return relation if hasattr(relation, "to_arrow_table") else None
