"""An open engine: an Ibis backend over one warehouse, with the engine's capability row.

The indicators take Ibis tables from ``Engine.table`` and never learn which engine they run on;
what still differs is in ``capabilities`` (see ``capabilities.py``). Writing a derived table
(``write_derived``) is the one engine-specific act: DuckDB writes one Parquet file, Spark a
directory of parts; both land in ``derived/`` where both engines read them back as views.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patentreach.warehouse.engines.capabilities import Capabilities
from patentreach.warehouse.engines.current_copy import Keep, current_children, current_publications, hash_partition
from patentreach.warehouse.layout import Warehouse

# The tables every engine presents: the current patent tables and the harmonisation tables.
PATENT_VIEWS = ("publications", "parties", "classifications", "priorities", "technology_fields")
DERIVED_VIEWS = ("entities", "party_entity", "origin_shares")
# Besides the views, each engine registers the raw parts of the patent tables as ``<table>_parts``
# (every stored row, committed or not) and ``ingest_log``, for ``current_copy``.


class MissingTable(LookupError):
    """A table the computation needs is not in the warehouse (e.g. not harmonised yet)."""


@dataclass
class Engine:
    name: str
    warehouse: Warehouse
    backend: Any  # an ibis BaseBackend
    capabilities: Capabilities
    # (expressions, target directory) -> writes one Parquet part per expression into it.
    _write: Callable[[list[Any], Path], None] = field(repr=False, default=lambda exprs, target: None)
    _refresh: Callable[[], None] = field(repr=False, default=lambda: None)
    _close: Callable[[], None] = field(repr=False, default=lambda: None)

    _tables: dict[str, Any] = field(default_factory=dict, repr=False)
    _names: frozenset[str] | None = field(default=None, repr=False)

    def table(self, name: str) -> Any:
        """The Ibis table of a warehouse view; ``MissingTable`` when the warehouse lacks it.
        Looked up once per engine (each lookup is a catalogue query)."""
        if name not in self._tables:
            if not self.has_table(name):
                hint = " (run `patentreach harmonize` first)" if name in DERIVED_VIEWS else ""
                raise MissingTable(f"{self.warehouse.root}: no table {name!r}{hint}")
            self._tables[name] = self.backend.table(name)
        return self._tables[name]

    def has_table(self, name: str) -> bool:
        if self._names is None:
            self._names = frozenset(self.backend.list_tables())
        return name in self._names

    @property
    def derived_dir(self) -> Path:
        return self.warehouse.derived_dir

    def write_derived(self, name: str, exprs: list[Any]) -> Path:
        """Write the rows of ``exprs`` (one part each) as the derived table ``name``, replacing it
        whole, and register its view: ``derived/<name>/`` holding the parts.

        Written beside the target under a dot-name (never read as a view), then swapped in, so a
        reader sees the old table or the new one, never half of one.
        """
        if not name.isidentifier():
            raise ValueError(f"derived table name {name!r} is not an identifier")
        self.derived_dir.mkdir(parents=True, exist_ok=True)
        staged = self.derived_dir / f".staging-{name}"
        shutil.rmtree(staged, ignore_errors=True)
        try:
            self._write(exprs, staged)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        final = self.derived_dir / name
        for old in (self.derived_dir / f"{name}.parquet", final):
            if old.is_dir():
                shutil.rmtree(old)
            elif old.exists():
                old.unlink()
        os.replace(staged, final)
        self._refresh()
        self._tables.clear()
        self._names = None
        return final

    def partition(self, index: int, count: int) -> EngineSlice:
        """The same tables restricted to the publications of hash partition ``index`` of
        ``count``, each computed from the raw parts (``current_copy.py``), so that a slice's
        de-duplication works on a slice of the rows."""
        return EngineSlice(self, hash_partition(index, count))

    def fingerprint(self, derived_inputs: tuple[str, ...] = DERIVED_VIEWS) -> str:
        """A digest of what the warehouse holds: committed ingests and the derived input files
        (name, size, modification time). It changes whenever an ingest commits or an input table
        is rewritten, so a table computed from them can tell that it is stale."""
        digest = hashlib.sha256()
        log_dir = self.warehouse.log_dir
        for path in sorted(log_dir.glob("*.parquet")) if log_dir.is_dir() else []:
            digest.update(path.name.encode())
        for name in derived_inputs:
            candidates = [self.derived_dir / f"{name}.parquet", self.derived_dir / name]
            for path in candidates:
                files = sorted(path.glob("*.parquet")) if path.is_dir() else [path] if path.exists() else []
                for f in files:
                    stat = f.stat()
                    digest.update(f"{f.relative_to(self.derived_dir)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        return digest.hexdigest()

    def close(self) -> None:
        self._close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class EngineSlice:
    """An engine's tables for one partition of the publications (see ``Engine.partition``)."""

    engine: Engine
    keep: Keep

    def table(self, name: str) -> Any:
        engine = self.engine
        if name == "publications":
            return current_publications(engine.table("publications_parts"), engine.table("ingest_log"), self.keep)
        if name in PATENT_VIEWS:
            return current_children(engine.table(f"{name}_parts"), self.table("publications"), self.keep)
        table = engine.table(name)
        return table.filter(self.keep(table.pub_id)) if "pub_id" in table.columns else table

    def has_table(self, name: str) -> bool:
        return name in PATENT_VIEWS or self.engine.has_table(name)
