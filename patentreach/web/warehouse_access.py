"""The warehouse as the service sees it: one read-only DuckDB database per process, a cursor per
request, and a version that changes whenever what a figure could be counted from changes.

Why one database and cursors: opening an engine (``engines.connect``) creates an in-memory
database and defines some thirty views over the Parquet folders, which took 0.3-0.8 s per
request at 10 million publications and 0.7-2 s on the test warehouse (BENCHMARKS.md, "Web
service"); a cursor of an open database takes about 1 ms and shares its catalogue (the views),
its buffer pool and its Parquet metadata cache.
DuckDB's worker threads belong to the database, not to a connection: every concurrent query
shares one pool of ``threads`` workers (default: the cores given to this process divided by
uvicorn's ``$WEB_CONCURRENCY`` workers), so N concurrent requests do not start N x cores threads,
as N separate per-request databases would. Each request thread drives its own query; requests
run side by side (Starlette runs the sync routes in anyio's pool of 40 threads).

Read-only: the database is in memory (never ``warehouse.duckdb``), it holds views only, and an
engine handed out here refuses ``write_derived``. The views are defined for one warehouse
version (a new derived table, e.g. after ``stats prepare``, needs its view), so the shared
database is rebuilt when the version changes; requests already running finish on the old one.

The version is a digest of the ingest log and of the derived folder, read one level deep (names,
inode, size, modification time): an ``ingest`` commits a new log file, and ``harmonize`` and
``stats prepare`` replace whole derived tables (written beside, then renamed into place:
``Engine.write_derived``), which changes the derived folder's entries. Listing every part of the
derived tables instead costs time proportional to their number (thousands at 100 million
publications) on every request after the one-second TTL.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from patentreach.warehouse.layout import Warehouse

if TYPE_CHECKING:
    from patentreach.warehouse.engines import Engine

VERSION_TTL_SECONDS = 1.0
"""How long a computed version is trusted before the folders are looked at again."""

WORKERS_VARIABLE = "WEB_CONCURRENCY"
"""Uvicorn's (and gunicorn's) number of worker processes, which share the machine's cores."""


def default_threads() -> int:
    """DuckDB worker threads for this process: its usable cores over the worker processes."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        workers = max(1, int(os.environ.get(WORKERS_VARIABLE, "1")))
    except ValueError:
        workers = 1
    return max(1, cores // workers)


def _entries(folder: Path) -> list[str]:
    """``name:inode:size:mtime`` of each visible entry directly in ``folder`` (sorted), and the
    folder's own; a missing folder is one fixed line."""
    try:
        own = folder.stat()
    except FileNotFoundError:
        return [f"{folder.name}:absent"]
    lines = [f".:{own.st_ino}:{own.st_mtime_ns}"]
    with os.scandir(folder) as found:
        for entry in found:
            if entry.name.startswith("."):
                continue
            try:
                stat = entry.stat()
            except FileNotFoundError:  # removed while we looked: the next look sees the change
                continue
            lines.append(f"{entry.name}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}")
    return sorted(lines)


def warehouse_version(warehouse: Warehouse) -> str:
    """A short digest of the ingest log and of the derived folder's entries."""
    digest = hashlib.sha256()
    for folder in (warehouse.log_dir, warehouse.derived_dir):
        digest.update("\n".join(_entries(folder)).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


class ReadOnlyService(PermissionError):
    """Something tried to write a derived table through the service's engine."""


def _refuse_write(exprs: list[Any], target: Path) -> None:
    raise ReadOnlyService(f"{target}: the web service never writes to the warehouse")


class _Catalogue:
    """What every request asks the database before its query, asked once per version: the view
    names and each view's columns. Binding a view (``DESCRIBE``) globs its Parquet folders and
    reads their footers: 65-375 ms per request for the tables an outbound figure reads
    (BENCHMARKS.md), the same answer every time until the version changes."""

    def __init__(self, opened: Engine) -> None:
        self.names: frozenset[str] = frozenset(opened.backend.list_tables())
        self._schemas: dict[str, Any] = {}
        self._lock = threading.Lock()

    def install(self, backend: Any) -> None:
        """Answer ``backend``'s schema look-ups of unqualified names from the catalogue."""
        ask = backend.get_schema

        def get_schema(table_name: str, *, catalog: str | None = None, database: str | None = None) -> Any:
            if catalog is not None or database is not None:
                return ask(table_name, catalog=catalog, database=database)
            with self._lock:
                known = self._schemas.get(table_name)
            if known is None:
                known = ask(table_name)  # ibis schemas are immutable: safe to share between requests
                with self._lock:
                    self._schemas[table_name] = known
            return known

        backend.get_schema = get_schema


class WarehouseAccess:
    """Read-only access to one warehouse for a running service (one per process)."""

    def __init__(self, warehouse: Warehouse, threads: int | None = None) -> None:
        self.warehouse = warehouse
        self.threads = threads or default_threads()
        self.ttl = VERSION_TTL_SECONDS
        self._lock = threading.Lock()  # held for microseconds: the version, the cursor
        self._open_lock = threading.Lock()  # held while a database is opened (about a second)
        self._version: tuple[float, str] | None = None
        self._shared: tuple[str, Engine, _Catalogue] | None = None  # version, the database's engine, its views
        self.opened = 0  # databases opened so far (tests and the benchmark read it)

    def exists(self) -> bool:
        return self.warehouse.exists()

    def version(self) -> str:
        """The warehouse's version (looked at again at most once a second)."""
        now = time.monotonic()
        with self._lock:
            if self._version is not None and now - self._version[0] < self.ttl:
                return self._version[1]
        version = warehouse_version(self.warehouse)
        with self._lock:
            self._version = (now, version)
        return version

    def _database(self, version: str) -> tuple[str, Engine, _Catalogue]:
        """The shared database for ``version``, opened on first use and after a change."""
        from patentreach.warehouse.engines import connect

        with self._open_lock:
            if self._shared is not None and self._shared[0] == version:
                return self._shared
            if self._shared is not None and version != warehouse_version(self.warehouse):
                # A request that read the version just before a newer database was opened: it
                # gets the newer views rather than reopening the old ones (its result is cached
                # under a version no later request asks for).
                return self._shared
            # Opened under the lock: concurrent first requests open it once, not once each.
            # The old database is not closed here: requests still running hold their cursor
            # and the old engine, and it is freed when the last of them finishes.
            opened = connect(self.warehouse, "duckdb", threads=self.threads)
            self._shared = (version, opened, _Catalogue(opened))
            self.opened += 1
            return self._shared

    @contextmanager
    def engine(self, version: str | None = None) -> Iterator[Engine]:
        """An engine for one request: its own cursor of the shared database (closed afterwards)."""
        import ibis

        from patentreach.warehouse.engines.engine import Engine

        _, shared, catalogue = self._database(version or self.version())
        with self._lock:
            cursor = shared.backend.con.cursor()
        try:
            cursor.execute("SET enable_progress_bar = false")  # a connection setting, not the database's
            backend = ibis.duckdb.from_connection(cursor)
            catalogue.install(backend)
            engine = Engine("duckdb", self.warehouse, backend, shared.capabilities, _write=_refuse_write,
                            _names=catalogue.names)
            yield engine
        finally:
            cursor.close()
