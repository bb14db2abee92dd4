"""Write one ingest's rows into staging Parquet parts, then move them into place.

Rows are buffered and flushed in row groups of ``ROW_GROUP_ROWS`` so memory stays flat whatever
the file size. ``commit`` moves the finished parts into ``tables/`` and only then writes the
ingest-log entry that makes them visible.

An ingest read by parallel workers has one part per worker range and table, named
``<ingest_id>.range-NNNNNN.parquet`` (renamed into place, not copied: copying them into one part
cost the main process a read and a write of every row); the ingest id is the name up to its
first dot (``ingest_id_of``), which is what clean-up and withdrawal go by.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from patentreach.model.schema import (
    INGEST_WARNINGS,
    LEGAL_EVENT_TABLES,
    PATENT_TABLES,
    QUARANTINE,
    TRANSFER_TABLES,
)
from patentreach.warehouse.layout import Warehouse

ROW_GROUP_ROWS = 100_000
# The record families (publications, transfers, legal events) plus the ingest tables.
ALL_TABLES: dict[str, pa.Schema] = (
    PATENT_TABLES | TRANSFER_TABLES | LEGAL_EVENT_TABLES
    | {"quarantine": QUARANTINE, "ingest_warnings": INGEST_WARNINGS}
)


class PartWriter:
    def __init__(self, warehouse: Warehouse, ingest_id: str, directory: Path | None = None):
        """``directory``: where to stage (default ``staging/<ingest_id>``); a byte-range worker
        stages its range's parts in a folder of its own inside the ingest's."""
        self.warehouse = warehouse
        self.ingest_id = ingest_id
        self.dir = directory or warehouse.staging_dir / ingest_id
        self.dir.mkdir(parents=True, exist_ok=True)
        self._buffers: dict[str, list[pa.Table]] = {t: [] for t in ALL_TABLES}
        self._buffered: dict[str, int] = dict.fromkeys(ALL_TABLES, 0)
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._adopted: list[Path] = []

    def add(self, table: str, rows: pa.Table) -> None:
        if rows.num_rows == 0:
            return
        self._buffers[table].append(rows)
        self._buffered[table] += rows.num_rows
        if self._buffered[table] >= ROW_GROUP_ROWS:
            self._flush(table)

    def _flush(self, table: str) -> None:
        if not self._buffers[table]:
            return
        data = pa.concat_tables(self._buffers[table])
        writer = self._writers.get(table)
        if writer is None:
            writer = pq.ParquetWriter(self.dir / f"{table}.parquet", ALL_TABLES[table], compression="zstd")
            self._writers[table] = writer
        writer.write_table(data)
        self._buffers[table] = []
        self._buffered[table] = 0

    def adopt(self, directory: Path) -> None:
        """Make the parts another writer finished (durably) in ``directory``, a folder inside this
        one (a byte range's), parts of this ingest: ``move_into_place`` renames them beside its
        own. Call in file order; a range that stored nothing has no folder."""
        if directory.is_dir():
            self._adopted.append(directory)

    def finish(self, sync: bool = True) -> None:
        """Flush and close the parts; ``sync`` makes them durable (a byte range's worker syncs its
        own parts, in parallel, since the commit renames them into place as they are)."""
        for table in ALL_TABLES:
            self._flush(table)
        for writer in self._writers.values():
            writer.close()
        for path in self.dir.glob("*.parquet") if sync else ():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())

    def move_into_place(self) -> None:
        """Move finished parts to ``tables/<table>/<ingest_id>.parquet``; still invisible until
        the ingest-log entry is written."""
        for table in self._writers:
            target_dir = self.warehouse.table_dir(table)
            target_dir.mkdir(parents=True, exist_ok=True)
            os.replace(self.dir / f"{table}.parquet", target_dir / f"{self.ingest_id}.parquet")
        for directory in self._adopted:
            for table in ALL_TABLES:
                part = directory / f"{table}.parquet"
                if part.exists():
                    target_dir = self.warehouse.table_dir(table)
                    target_dir.mkdir(parents=True, exist_ok=True)
                    os.replace(part, target_dir / f"{self.ingest_id}.{directory.name}.parquet")
        shutil.rmtree(self.dir, ignore_errors=True)

    def abandon(self) -> None:
        """Drop the staged parts (the file failed or was already ingested)."""
        for writer in self._writers.values():
            with contextlib.suppress(Exception):  # best effort on the failure path
                writer.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def reset(self) -> None:
        """Drop the staged parts and start again empty (the native tabular path handing a file
        back to its per-row reader)."""
        self.abandon()
        self.__init__(self.warehouse, self.ingest_id)  # type: ignore[misc]

    def withdraw(self) -> None:
        """Remove parts already moved into ``tables/`` when the commit failed (e.g. the disk filled
        up while writing the log entry), so that no uncommitted part of the file stays behind."""
        for table in ALL_TABLES:
            directory = self.warehouse.table_dir(table)
            for part in [directory / f"{self.ingest_id}.parquet", *directory.glob(f"{self.ingest_id}.*.parquet")]:
                with contextlib.suppress(OSError):
                    part.unlink(missing_ok=True)
        self.abandon()


def remove_uncommitted(warehouse: Warehouse, committed: set[str]) -> int:
    """Delete staging dirs and table parts left by interrupted ingests. Returns how many."""
    removed = 0
    if warehouse.staging_dir.is_dir():
        for path in warehouse.staging_dir.iterdir():
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    tables_root = warehouse.root / "tables"
    if tables_root.is_dir():
        for part in tables_root.glob("*/*.parquet"):
            if ingest_id_of(part) not in committed:
                part.unlink(missing_ok=True)
                removed += 1
    return removed


def ingest_id_of(part: Path) -> str:
    """The ingest a table part belongs to: its name up to the first dot (``<id>.parquet`` or,
    for a file read in ranges, ``<id>.range-NNNNNN.parquet``)."""
    return part.name.split(".", 1)[0]
