"""The warehouse as the service sees it: read-only engines per request, and a version that
changes whenever what a figure could be counted from changes.

Every request gets its own engine (``engine()``), so requests run side by side and none sees
another's state; nothing the service runs writes to the warehouse. The version is a digest of
the committed ingest log and of the derived folder's files (harmonised tables, their stamp,
prepared facts): an ``ingest``, ``harmonize`` or ``stats prepare`` changes it, and cached
results of the old version are never served again.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from patentreach.warehouse.layout import Warehouse

if TYPE_CHECKING:
    from patentreach.warehouse.engines import Engine

VERSION_TTL_SECONDS = 1.0
"""How long a computed version is trusted before the folders are listed again."""


def _listing(folder: Path) -> list[str]:
    entries = []
    if not folder.is_dir():
        return entries
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            stat = path.stat()
            entries.append(f"{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}")
    return entries


class WarehouseAccess:
    """Read-only access to one warehouse for a running service."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        self._lock = threading.Lock()
        self._version: tuple[float, str] | None = None

    def exists(self) -> bool:
        return self.warehouse.exists()

    def version(self) -> str:
        """A short digest of the ingest log and the derived tables (recomputed at most once a second)."""
        now = time.monotonic()
        with self._lock:
            if self._version is not None and now - self._version[0] < VERSION_TTL_SECONDS:
                return self._version[1]
        digest = hashlib.sha256()
        for folder in (self.warehouse.log_dir, self.warehouse.derived_dir):
            digest.update("\n".join(_listing(folder)).encode())
            digest.update(b"\0")
        version = digest.hexdigest()[:16]
        with self._lock:
            self._version = (now, version)
        return version

    @contextmanager
    def engine(self) -> Iterator[Engine]:
        """A DuckDB engine over the warehouse for one request (closed afterwards)."""
        from patentreach.warehouse.engines import connect

        with connect(self.warehouse, "duckdb") as opened:
            yield opened
